import Foundation

/// Where a record came from, to name it in errors: the file, the line (JSON Lines) and the path.
public struct RecordLocation: Sendable, Hashable {
    public var file: String?
    public var line: Int?
    public var path: String

    public init(file: String? = nil, line: Int? = nil, path: String = "") {
        self.file = file
        self.line = line
        self.path = path
    }

    /// `problem` placed at this record: its file, line, and path before the problem's own.
    public func place(_ problem: DataProblem) -> DataProblem {
        problem.within(file: file, line: line, prefix: path)
    }

    /// The record in words, as an error names where something was first given ("line 3
    /// incidents[2]"), or "an earlier record".
    public var described: String {
        var parts: [String] = []
        if let line { parts.append("line \(line)") }
        if !path.isEmpty { parts.append(path) }
        return parts.isEmpty ? "an earlier record" : parts.joined(separator: " ")
    }
}

/// Bulk imports: many parties and incidents written all or nothing.
public protocol IncidentImporting: Sendable {
    /// Runs one import: `body` adds records to the sink; then references to parties and parent
    /// chains are checked and the import commits. If `body` or the checks throw, nothing is
    /// written; a dry run checks everything against the stored data and writes nothing. The
    /// import is one change in the change log, made by `context`.
    func importing<T>(dryRun: Bool, as context: ChangeContext, _ body: (any IncidentImportSink) throws -> T) throws -> (result: T, tally: ImportTally)
}

/// One import in progress, valid only inside `IncidentImporting.importing`. Records are
/// validated as they come; references to parties are checked at the end (a party may come after
/// its use).
public protocol IncidentImportSink: AnyObject {
    /// Adds a party, or merges it into the stored party with the same id: given fields replace
    /// stored ones, absent fields keep theirs, aliases are united. `check` is
    /// `Validator.check(party)` when the caller has already run it (on another thread). A party
    /// it refuses (`DataProblems`: invalid, or its id defined twice in one file) leaves nothing
    /// written, and the import goes on: the import runner leaves such records out with
    /// `--skip-invalid`.
    func add(_ party: Party, at location: RecordLocation, check: Validator.Check?) throws
    /// Adds an incident prepared beforehand; an incident with the same id already stored is
    /// replaced whole. An incident it refuses (the problems of `problems(with:at:)`) leaves
    /// nothing written, and the import goes on.
    func add(_ prepared: PreparedIncident, at location: RecordLocation) throws
    /// What `add` would refuse the incident for, without writing anything: its own problems, or
    /// an id given earlier in this import. (Parties it refers to are checked at the end.)
    func problems(with prepared: PreparedIncident, at location: RecordLocation) -> [DataProblem]
    /// The name of the party stored under an id (including parties added earlier in this
    /// import), or nil: importers that derive ids from names use it to reuse or disambiguate.
    func storedPartyName(id: String) throws -> String?
    /// Every stored party other than people, with its aliases (for matching names).
    func storedPartyNames() throws -> [(id: String, name: String, aliases: [String])]
    /// True when an incident with this id is stored (or was added earlier in this import).
    func hasIncident(id: String) throws -> Bool
    /// Checks what can only be checked once every record is in (references, parent chains);
    /// `importing` runs it before committing, and a caller may run it early to report its
    /// problems together with the records' own.
    func finish() throws
    /// Appends the changes of another store's change log (a document exported with
    /// `--history`), oldest first, keeping their times, authors, commands and states.
    func restoreHistory(_ changes: [Change]) throws
    /// What the import has written so far.
    var tally: ImportTally { get }
}

extension PartyReference {
    /// The problem of a reference to a party that is neither stored nor in the import, as an
    /// import reports it (placed at the record that makes the reference).
    public var missingParty: DataProblem {
        DataProblem(path: path, message: "no party with id \"\(partyID)\"; expected the id of a party in this import or already in the database (see `lapse parties`)")
    }
}

extension DataProblem {
    /// The problem of a party whose parent chain leads back to itself, as an import reports it
    /// (placed at the party's record).
    public static func parentLoop(of id: String) -> DataProblem {
        DataProblem(path: "parent", message: "the parent chain of \"\(id)\" leads back to itself; expected a chain that ends at a top-level organization")
    }
}

extension IncidentImportSink {
    /// Adds a party, checking it here.
    public func add(_ party: Party, at location: RecordLocation) throws {
        try add(party, at: location, check: nil)
    }

    /// Adds an incident, preparing it here.
    public func add(_ incident: Incident, at location: RecordLocation) throws {
        try add(PreparedIncident(incident), at: location)
    }
}

/// What one import wrote (or, in a dry run, would have written).
public struct ImportTally: Sendable, Hashable {
    /// Distinct parties added or merged (a party named in several files counts once).
    public var parties: Int
    public var incidents: Int
    public var events: Int
    /// Incidents that replaced one already stored with the same id.
    public var incidentsReplaced: Int

    public init(parties: Int = 0, incidents: Int = 0, events: Int = 0, incidentsReplaced: Int = 0) {
        self.parties = parties
        self.incidents = incidents
        self.events = events
        self.incidentsReplaced = incidentsReplaced
    }
}

/// An incident made ready to write: checked, with the values a store derives from it (times as
/// text, first instants, the first event) computed. It needs no database, so a bulk import
/// prepares incidents on its reading thread while the writing thread writes.
public struct PreparedIncident: Sendable {
    public let incident: Incident
    /// `Validator.check(incident)`.
    public let check: Validator.Check
    /// The timeline's first event (as listings show it) and its first instant.
    public let first: (at: String, instant: Int)?
    /// The incident's events, prepared, in order.
    public let events: [PreparedEvent]

    public init(_ incident: Incident) {
        self.incident = incident
        check = Validator.check(incident)
        let zone = incident.zone
        first = Self.firstEvent(incident.events, zone: zone).map { ($0.at.description, $0.instant) }
        events = incident.events.map { PreparedEvent($0, zone: zone) }
    }

    /// The timeline's first event and its first instant, as listings show them.
    public static func firstEvent(_ events: [Event], zone: TimeZone) -> (at: EventTime, instant: Int)? {
        Timeline.earliestIndex(of: events, zone: zone).map { (events[$0].at, events[$0].at.firstInstant(in: zone)) }
    }
}

/// The values of an event a store keeps besides the event as it is: its times as text and its
/// first instant in the incident's zone.
public struct PreparedEvent: Sendable {
    public let at: String
    public let until: String?
    public let firstInstant: Int
    public let sourceDates: [(published: String?, retrieved: String?)]

    public init(_ event: Event, zone: TimeZone) {
        at = event.at.description
        until = event.until?.description
        firstInstant = event.at.firstInstant(in: zone)
        sourceDates = event.sources.map { ($0.published?.description, $0.retrieved?.description) }
    }
}

extension IncidentImporting {
    /// An import whose author comes from the environment, named "import" in the change log.
    @discardableResult
    public func importing<T>(dryRun: Bool, _ body: (any IncidentImportSink) throws -> T) throws -> (result: T, tally: ImportTally) {
        try importing(dryRun: dryRun, as: .fromEnvironment(command: "import"), body)
    }

    /// An import that writes (not a dry run).
    @discardableResult
    public func importing<T>(_ body: (any IncidentImportSink) throws -> T) throws -> (result: T, tally: ImportTally) {
        try importing(dryRun: false, body)
    }
}
