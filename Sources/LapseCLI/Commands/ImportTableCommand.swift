import ArgumentParser
import Foundation
import LapseApp
import LapseCore

/// `lapse import table`: any CSV or TSV, with the columns mapped on the command line.
struct ImportTableCommand: AppCommand {
    static let writes = true
    var isDryRun: Bool { options.dryRun }
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Import a CSV or TSV file, one incident per row, mapping its columns.",
        discussion: """
            One incident per row, its id made from --id-column (with --id-prefix), its organization \
            from --organization-column (one party per distinct name, with a slug id). Each --event \
            TYPE=COLUMN turns a date column into an event; an empty cell means no such event. Dates \
            are EventTimes (2024-03-12) unless --date-format gives a Unicode pattern; a time of \
            exactly midnight (12:00:00 AM) is read as the date alone.

            Examples:
              lapse import table wa.csv --id-column Id --organization-column Name \\
                  --id-prefix wa- \\
                  --event intrusion=DateStart --event detection=DateAware \\
                  --event regulator_notification=DateSubmitted \\
                  --date-format "MM/dd/yyyy hh:mm:ss a" \\
                  --records-column WashingtoniansAffected
              lapse import table incidents.tsv --id-column id \\
                  --organization-column company \\
                  --event disclosure=disclosed --dry-run
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ImportOptions

    @Argument(help: ArgumentHelp("The CSV or TSV file.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The column whose value makes each incident's id.", valueName: "column"))
    var idColumn: String

    @Option(help: ArgumentHelp("The column naming the organization.", valueName: "column"))
    var organizationColumn: String

    @Option(help: ArgumentHelp("The column holding the title (default: organization, kind and id).", valueName: "column"))
    var titleColumn: String?

    @Option(name: .customLong("kind"), help: ArgumentHelp("The incidents' kind (repeatable; default breach).", valueName: "kind"))
    var kinds: [IncidentKind] = []

    @Option(name: .customLong("event"), help: ArgumentHelp("An event type and the column holding its date (repeatable).", valueName: "type=column"))
    var events: [String] = []

    @Option(help: ArgumentHelp("A Unicode date pattern such as \"MM/dd/yyyy hh:mm:ss a\" (default: EventTimes).", valueName: "pattern"))
    var dateFormat: String?

    @Option(help: ArgumentHelp("The field delimiter: one character, or \"tab\" (default: tab for .tsv files, else comma).", valueName: "c"))
    var delimiter: String?

    @Option(help: ArgumentHelp("The column holding the number of records affected.", valueName: "column"))
    var recordsColumn: String?

    @Option(help: ArgumentHelp("The column holding the organization's sector.", valueName: "column"))
    var sectorColumn: String?

    @Option(help: ArgumentHelp("Put before every incident id, such as \"wa-\".", valueName: "prefix"))
    var idPrefix = ""

    @Option(name: .customLong("jurisdiction"), help: ArgumentHelp("A jurisdiction of every incident (repeatable), such as US-WA.", valueName: "code"))
    var jurisdictions: [String] = []

    @Option(help: ArgumentHelp("The IANA zone local times are read in (default UTC).", valueName: "zone"))
    var timezone: String?

    @Flag(name: .customLong("no-match-parties"), help: "Make a new party for every distinct name, instead of attaching a row to a party whose name is the same once case, punctuation and legal forms (Inc, LLC...) are ignored.")
    var noMatchParties = false

    func eventColumns() throws -> [(type: EventType, column: String)] {
        try events.map { spec in
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex, spec.index(after: eq) != spec.endIndex else {
                throw ValidationError("--event \(spec): expected TYPE=COLUMN, such as detection=DateAware")
            }
            guard let type = EventType(rawValue: String(spec[..<eq])) else {
                throw ValidationError("--event \(spec): \"\(spec[..<eq])\" is not an event type; expected one of: \(EventType.allowedValues)")
            }
            return (type, String(spec[spec.index(after: eq)...]))
        }
    }

    func delimiterByte() throws -> UInt8 {
        guard let delimiter else { return file.lowercased().hasSuffix(".tsv") || file.lowercased().hasSuffix(".tab") ? 9 : 44 }
        switch delimiter {
        case "tab", "\\t", "\t": return 9
        default:
            guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte != UInt8(ascii: "\""), byte != 10, byte != 13 else {
                throw ValidationError("--delimiter: expected one ASCII character (not a quote or line break), or \"tab\"")
            }
            return byte
        }
    }

    func validate() throws {
        _ = try eventColumns()
        _ = try delimiterByte()
        if events.isEmpty { throw ValidationError("give at least one --event TYPE=COLUMN") }
        if let dateFormat {
            do { _ = try DatePattern(dateFormat) } catch let error as DatePatternError { throw ValidationError(error.description) }
        }
        if !idPrefix.isEmpty && !Validator.isSlug(idPrefix + "x") {
            throw ValidationError("--id-prefix: \"\(idPrefix)\" cannot begin a slug; use lower-case letters, digits, '.', '_' or '-'")
        }
        if let timezone, TimeZone(identifier: timezone) == nil {
            throw ValidationError("--timezone: \"\(timezone)\" is not a known time zone; expected an IANA name such as America/Los_Angeles")
        }
    }

    func checkOutputs(console: Console) throws {
        _ = try options.rejectsFile(store: store, console: console, inputs: [file])
    }

    func run(store database: any IncidentStore, console: Console) throws {
        let mapping = TableMapping(
            idColumn: idColumn, organizationColumn: organizationColumn, titleColumn: titleColumn,
            kinds: kinds.isEmpty ? [.breach] : kinds, events: try eventColumns(),
            datePattern: try dateFormat.map { try DatePattern($0) }, recordsColumn: recordsColumn,
            sectorColumn: sectorColumn, idPrefix: idPrefix, jurisdictions: jurisdictions, timezone: timezone)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let delimiter = try delimiterByte()
        try options.perform(into: database, console: console, store: store, command: ["import", "table", file], source: file, inputs: [file], total: size) { runner, progress in
            runner.directory.matchNames = !noMatchParties
            try TableImporter(mapping: mapping).run(path: file, delimiter: delimiter, into: runner) { progress.update($0) }
        }
    }
}
