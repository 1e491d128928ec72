import ArgumentParser
import Foundation
import LapseApp
import LapseCore
import LapsePostgres
import LapseStore

extension ColorChoice: ExpressibleByArgument {}
extension PartyKind: ExpressibleByArgument {}
extension IncidentKind: ExpressibleByArgument {}
extension EventType: ExpressibleByArgument {}
extension Audience: ExpressibleByArgument {}

/// Which database to use: `--db`, else `$LAPSE_DB`, else `$XDG_DATA_HOME/lapse/lapse.sqlite`.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database: a SQLite file (created on first use) or a postgresql:// URL.",
        discussion: "Default: $LAPSE_DB, else $XDG_DATA_HOME/lapse/lapse.sqlite (~/.local/share/lapse/lapse.sqlite). A URL such as postgresql://alice@db.example.org:5432/lapse names a shared PostgreSQL database (see Docs/team.md).",
        valueName: "path-or-url"))
    var db: String?

    /// The database path this invocation uses.
    func path(environment: [String: String]) -> String {
        if let db, !db.isEmpty { return db }
        if let env = environment["LAPSE_DB"], !env.isEmpty { return env }
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return xdg + "/lapse/lapse.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/lapse/lapse.sqlite"
    }

    /// The database as messages name it: a URL without its password.
    func displayName(environment: [String: String]) -> String {
        Self.displayName(path(environment: environment))
    }

    /// `location` as messages name it: a URL without its password.
    static func displayName(_ location: String) -> String {
        PostgresLocation.redacted(location)
    }

    /// Whether `location` names a PostgreSQL database rather than a SQLite file.
    static func isURL(_ location: String) -> Bool {
        PostgresLocation.isURL(location)
    }

    /// Applies the migrations this lapse knows to the database at `location`, and says what it did.
    static func migrate(_ location: String, _ console: Console) throws -> String {
        guard isURL(location) else {
            _ = try open(location, console, access: .write)
            return "\(location) is up to date."
        }
        let postgres = try PostgresLocation(url: location, environment: console.environment)
        let applied = try PostgresStore.migrate(postgres)
        if applied.isEmpty { return "\(postgres) is up to date (schema version \(PostgresStore.schemaVersion))." }
        return "Applied migration\(applied.count == 1 ? "" : "s") \(applied.map(String.init).joined(separator: ", ")) to \(postgres); its schema is at version \(PostgresStore.schemaVersion)."
    }

    /// Opens the store for reading or writing: a PostgreSQL database when the location is a
    /// `postgresql://` URL (migrated on open), else the SQLite file.
    func open(_ console: Console, access: LapseDatabase.Access) throws -> any IncidentStore & TokenStoring {
        try Self.open(path(environment: console.environment), console, access: access)
    }

    /// Opens the store for a dry run, which checks an import against the store and writes
    /// nothing: a SQLite file that does not exist yet is not created (nor its folder); the
    /// import is checked against an empty database in memory instead.
    func openForDryRun(_ console: Console) throws -> any IncidentStore & TokenStoring {
        let location = path(environment: console.environment)
        if !Self.isURL(location) && !FileManager.default.fileExists(atPath: location) { return try LapseDatabase.inMemory() }
        return try open(console, access: .write)
    }

    /// Opens the store at `location` (a SQLite path or a `postgresql://` URL). A SQLite reader
    /// opens without a lock and never waits; a writer waits for another writer, saying so on
    /// standard error (`LAPSE_LOCK_TIMEOUT` seconds at most, 300 by default).
    static func open(_ location: String, _ console: Console, access: LapseDatabase.Access, migrating: Bool = true) throws -> any IncidentStore & TokenStoring {
        var wait = LockWait(onWait: { console.note($0) })
        if let text = console.environment["LAPSE_LOCK_TIMEOUT"], !text.isEmpty {
            guard let seconds = Double(text), seconds >= 0, seconds <= 86_400 else {
                throw ValidationError("LAPSE_LOCK_TIMEOUT: expected a number of seconds from 0 to 86400, got \"\(text)\"")
            }
            wait.giveUpAfter = seconds
        }
        if PostgresLocation.isURL(location) {
            return try PostgresStore.open(PostgresLocation(url: location, environment: console.environment), migrating: migrating,
                                          lockTimeout: wait.giveUpAfter)
        }
        let database = try LapseDatabase.open(path: location, access: access, waiting: wait)
        if let notice = database.notice { console.note("note: \(notice)") }
        return database
    }
}

/// How data is printed: `--format` and `--color`.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Output format: \(OutputFormat.helpList).", valueName: "format"))
    var format: OutputFormat = .table

    @Option(name: .long, help: "Colour the table output: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    @Flag(help: "Show tables whole: no column is cut to fit the terminal's width.")
    var wide = false

    func style(_ console: Console) -> Style { Style(choice: color, console: console, fit: !wide) }
}

/// A command that calls the application layer: the default `run()` checks its output files,
/// opens the store (read-only unless the command writes) and hands it in as the store contract,
/// so each command's body is only parse → use case → render.
protocol AppCommand: ParsableCommand {
    var store: StoreOptions { get }
    /// Whether the command writes: readers open the database without a lock and never wait.
    static var writes: Bool { get }
    /// Whether this run only checks what it would write (`--dry-run`): a database that does
    /// not exist yet is then not created.
    var isDryRun: Bool { get }
    /// Checks the files the command will write (`--output`) before the database is opened, so a
    /// refused path leaves even the database file untouched. Default: none.
    func checkOutputs(console: Console) throws
    func run(store: any IncidentStore, console: Console) throws
}

extension AppCommand {
    static var writes: Bool { false }

    var isDryRun: Bool { false }

    func checkOutputs(console: Console) throws {}

    mutating func run() throws {
        let console = Console.current
        try checkOutputs(console: console)
        let opened = isDryRun ? try store.openForDryRun(console) : try store.open(console, access: Self.writes ? .write : .read)
        try run(store: opened, console: console)
    }
}

/// Validates an EventTime argument with the reason it is wrong.
func parseTime(_ text: String, option: String) throws -> EventTime {
    do {
        return try EventTime(parsing: text)
    } catch {
        throw ValidationError("\(option): \(error.description)")
    }
}

/// `--since` and `--until`: dates of any precision compared with an incident's first event
/// (or, with `--date-of`, its earliest event of a type).
struct DateRangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only incidents whose first event (or --date-of event) is on or after this date.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only incidents whose first event (or --date-of event) is on or before this date (--until 2017 includes all of 2017).", valueName: "date"))
    var until: String?

    func validate() throws {
        if let since { _ = try parseTime(since, option: "--since") }
        if let until { _ = try parseTime(until, option: "--until") }
    }

    /// The first instant allowed and the instant before which first events must fall (UTC).
    func bounds() throws -> (since: Int?, before: Int?) {
        (try since.map { try parseTime($0, option: "--since").firstInstant(in: Zones.utc) },
         try until.map { try parseTime($0, option: "--until").endInstant(in: Zones.utc) })
    }
}

/// The query model every command about incidents shares: which company, kinds, sectors,
/// jurisdictions, how many records, and a date range on the first event or another event type.
struct IncidentQueryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only incidents of this company and its subsidiaries (case, punctuation and Inc/LLC/... ignored; a word or phrase of the name or an alias).", valueName: "name"))
    var company: String?

    @Option(name: .customLong("kind"), help: ArgumentHelp("Only incidents of this kind (repeatable): \(IncidentKind.allowedValues).", valueName: "kind"))
    var kinds: [IncidentKind] = []

    @Option(name: .customLong("sector"), help: ArgumentHelp("Only incidents whose organization is in this sector (repeatable; ignoring case).", valueName: "sector"))
    var sectors: [String] = []

    @Option(name: .customLong("jurisdiction"), help: ArgumentHelp("Only incidents in this jurisdiction (repeatable; US also selects US-WA...).", valueName: "code"))
    var jurisdictions: [String] = []

    @Option(name: .customLong("min-records"), help: ArgumentHelp("Only incidents affecting at least this many records (unknown counts are left out).", valueName: "count"))
    var minRecords: Int?

    @OptionGroup var dates: DateRangeOptions

    @Option(name: .customLong("date-of"), help: ArgumentHelp("Date incidents by their earliest event of this type instead of their first event (for --since, --until and stats --by year).", valueName: "type"))
    var dateOf: EventType?

    func validate() throws {
        if let minRecords, minRecords < 0 { throw ValidationError("--min-records: expected a whole number of records, 0 or more, got \(minRecords)") }
        if let company, company.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--company: expected a name, got an empty string") }
    }

    /// True when no option narrows the selection.
    var isEmpty: Bool {
        company == nil && kinds.isEmpty && sectors.isEmpty && jurisdictions.isEmpty && minRecords == nil
            && dates.since == nil && dates.until == nil
    }

    /// The store filter of these options, for the given incident ids (all when none).
    func filter(ids: [String] = []) throws -> IncidentFilter {
        let (since, before) = try dates.bounds()
        return IncidentFilter(ids: ids, company: company, kinds: kinds, sectors: sectors, jurisdictions: jurisdictions,
                              minRecords: minRecords, dateOf: dateOf, since: since, before: before)
    }
}

/// How a listing is ordered and cut.
struct ListingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Sort by this key (see the command's help for its keys).", valueName: "key"))
    var sort: String?

    @Flag(help: "Sort in descending order (largest first); rows without a value stay last.")
    var desc = false

    @Option(help: ArgumentHelp("Show at most this many rows (after sorting).", valueName: "n"))
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit: expected a number of rows, 1 or more, got \(limit)") }
    }

    var order: ListingOrder { ListingOrder(key: sort, descending: desc, limit: limit) }

    /// Checks the key against a listing's keys, as a usage error naming them.
    func check(_ keys: [String]) throws {
        if let sort, !keys.contains(sort) {
            throw ValidationError("--sort: unknown key \"\(sort)\"; expected one of \(keys.joined(separator: ", "))")
        }
    }
}
