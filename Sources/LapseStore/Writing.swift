import Foundation
import GRDB
import LapseCore

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
}

/// All data problems found in one write, reported together; nothing was written.
public struct DataProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [DataProblem]

    public init(problems: [DataProblem]) {
        self.problems = problems
    }

    public var description: String {
        let shown = problems.prefix(20).map(\.description)
        let more = problems.count > 20 ? ["... and \(problems.count - 20) more problems"] : []
        return (shown + more).joined(separator: "\n")
    }
}

/// One import: parties and incidents written in a single transaction, validated as they
/// come, with references to parties checked at the end (a party may come after its use).
public final class ImportSession {
    let db: Database
    private var pendingReferences: [String: DataProblem] = [:]
    private var incidentsSeen: [String: RecordLocation] = [:]
    private var partiesSeen: [String: RecordLocation] = [:]
    private var touchedParties: Set<String> = []
    /// Distinct parties added or merged (a party named in several files counts once).
    public var partiesWritten: Int { partyIDsWritten.count }
    private var partyIDsWritten: Set<String> = []
    public private(set) var incidentsWritten = 0
    public private(set) var eventsWritten = 0
    /// Incidents that replaced one already stored with the same id.
    public private(set) var incidentsReplaced = 0
    /// While a bulk import defers full-text indexing: the insert triggers it dropped (name, SQL),
    /// restored by `finish()`, and the incident ids stored before it began.
    private var deferredTriggers: [(name: String, sql: String)] = []
    private var storedIncidentIDs: Set<String>?
    /// The smallest rowids written by this session: every row from there on is new (SQLite gives
    /// a new row the largest rowid plus one), so these bound what the deferred indexing must add.
    private var firstNewIncidentSeq: Int64?
    private var firstNewEventSeq: Int64?

    init(db: Database) {
        self.db = db
    }

    /// Defers full-text indexing of new incidents and events to `finish()`, one INSERT…SELECT per
    /// index: FTS5 flushes its pending terms at every statement savepoint, so a trigger per row
    /// writes one tiny segment per row and then merges them over and over. The delete triggers
    /// stay, so replaced incidents still leave the index. The triggers are dropped and restored
    /// inside the import's transaction, so no other connection ever sees them missing.
    func deferFullTextIndexing() throws {
        deferredTriggers = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('incident_fts_insert', 'event_fts_insert') ORDER BY name
            """).map { ($0[0], $0[1]) }
        for trigger in deferredTriggers { try db.execute(sql: "DROP TRIGGER \(trigger.name)") }
        storedIncidentIDs = try Set(String.fetchAll(db, sql: "SELECT id FROM incident"))
    }

    // MARK: Parties

    /// Adds a party, or merges it into the stored party with the same id: given fields
    /// replace stored ones, absent fields keep theirs, aliases are united.
    public func add(_ party: Party, at location: RecordLocation) throws {
        let (problems, references) = Validator.check(party)
        guard problems.isEmpty else { throw DataProblems(problems: problems.map { place($0, location) }) }
        if let first = partiesSeen[party.id], first.file == location.file {
            throw DataProblems(problems: [place(DataProblem(path: "id", message: "party id \"\(party.id)\" is defined twice in this file (first at \(describe(first))); expected each id once"), location)])
        }
        partiesSeen[party.id] = location
        remember(references, location)
        try writeParty(party)
        partyIDsWritten.insert(party.id)
    }

    func writeParty(_ party: Party) throws {
        try db.cachedStatement(sql: """
            INSERT INTO party (id, name, kind, parent_id, affiliation_id, role, country, sector)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, kind = excluded.kind,
                parent_id = coalesce(excluded.parent_id, parent_id),
                affiliation_id = coalesce(excluded.affiliation_id, affiliation_id),
                role = coalesce(excluded.role, role),
                country = coalesce(excluded.country, country),
                sector = coalesce(excluded.sector, sector)
            """).execute(arguments: [party.id, party.name, party.kind.rawValue, party.parent, party.affiliation,
                                     party.role, party.country, party.sector])
        var aliases = try String.fetchAll(db.cachedStatement(sql: "SELECT alias FROM party_alias WHERE party_id = ? ORDER BY position"),
                                          arguments: [party.id])
        let existing = aliases.count
        for alias in party.aliases where !aliases.contains(alias) { aliases.append(alias) }
        let insertAlias = try db.cachedStatement(sql: "INSERT INTO party_alias (party_id, position, alias) VALUES (?, ?, ?)")
        for (position, alias) in aliases.enumerated().dropFirst(existing) {
            try insertAlias.execute(arguments: [party.id, position, alias])
        }
        try db.cachedStatement(sql: "DELETE FROM party_term WHERE party_id = ?").execute(arguments: [party.id])
        let insertTerm = try db.cachedStatement(sql: "INSERT OR IGNORE INTO party_term (term, party_id) VALUES (?, ?)")
        for term in CompanyMatch.terms(id: party.id, name: party.name, aliases: aliases) {
            try insertTerm.execute(arguments: [term, party.id])
        }
        touchedParties.insert(party.id)
    }

    /// The name of the party stored under an id (including parties written earlier in this
    /// import), or nil: importers that derive ids from names use it to reuse or disambiguate.
    public func storedPartyName(id: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM party WHERE id = ?"), arguments: [id])
    }

    /// True when an incident with this id is stored (or was written earlier in this import).
    public func hasIncident(id: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM incident WHERE id = ?"), arguments: [id]) ?? false
    }

    // MARK: Incidents

    /// Adds an incident; an incident with the same id already stored is replaced whole.
    public func add(_ incident: Incident, at location: RecordLocation) throws {
        let (problems, references) = Validator.check(incident)
        guard problems.isEmpty else { throw DataProblems(problems: problems.map { place($0, location) }) }
        if let first = incidentsSeen[incident.id] {
            throw DataProblems(problems: [place(DataProblem(path: "id", message: "incident id \"\(incident.id)\" is given twice in this import (first at \(describe(first))); expected each incident once"), location)])
        }
        incidentsSeen[incident.id] = location
        remember(references, location)
        try writeIncident(incident)
        incidentsWritten += 1
        eventsWritten += incident.events.count
    }

    func writeIncident(_ incident: Incident) throws {
        // A bulk import knows which ids were stored before it: a new id has nothing to delete.
        if storedIncidentIDs?.contains(incident.id) ?? true {
            try db.cachedStatement(sql: "DELETE FROM incident WHERE id = ?").execute(arguments: [incident.id])
            if db.changesCount > 0 { incidentsReplaced += 1 }
        }
        let zone = incident.zone
        let first = Self.firstEvent(incident.events, zone: zone)
        try db.cachedStatement(sql: """
            INSERT INTO incident (id, title, organization_id, summary, records_affected, timezone, first_instant, first_at, event_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [incident.id, incident.title, incident.organization, incident.summary,
                                     incident.recordsAffected, incident.timezone, first?.instant, first?.at.description, incident.events.count])
        firstNewIncidentSeq = min(firstNewIncidentSeq ?? .max, db.lastInsertedRowID)
        let kind = try db.cachedStatement(sql: "INSERT INTO incident_kind (incident_id, position, kind) VALUES (?, ?, ?)")
        for (i, k) in incident.kinds.enumerated() { try kind.execute(arguments: [incident.id, i, k.rawValue]) }
        let jurisdiction = try db.cachedStatement(sql: "INSERT INTO incident_jurisdiction (incident_id, position, code) VALUES (?, ?, ?)")
        for (i, j) in incident.jurisdictions.enumerated() { try jurisdiction.execute(arguments: [incident.id, i, j]) }
        let tag = try db.cachedStatement(sql: "INSERT INTO incident_tag (incident_id, position, tag) VALUES (?, ?, ?)")
        for (i, t) in incident.tags.enumerated() { try tag.execute(arguments: [incident.id, i, t]) }
        for (i, event) in incident.events.enumerated() {
            try writeEvent(event, incidentID: incident.id, position: i, zone: zone)
        }
    }

    /// The timeline's first event and its first instant, as listings show them.
    static func firstEvent(_ events: [Event], zone: TimeZone) -> (at: EventTime, instant: Int)? {
        Timeline.earliestIndex(of: events, zone: zone).map { (events[$0].at, events[$0].at.firstInstant(in: zone)) }
    }

    func writeEvent(_ event: Event, incidentID: String, position: Int, zone: TimeZone) throws {
        try db.cachedStatement(sql: """
            INSERT INTO event (incident_id, position, id, type, at, until, first_instant, party_id, summary, quote, channel, audience, language)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [incidentID, position, event.id, event.type.rawValue, event.at.description,
                                     event.until?.description, event.at.firstInstant(in: zone), event.party, event.summary,
                                     event.statement?.quote, event.statement?.channel, event.statement?.audience?.rawValue,
                                     event.statement?.language])
        let seq = db.lastInsertedRowID
        firstNewEventSeq = min(firstNewEventSeq ?? .max, seq)
        let source = try db.cachedStatement(sql: """
            INSERT INTO event_source (event_seq, position, url, title, publisher, published, retrieved) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for (i, s) in event.sources.enumerated() {
            try source.execute(arguments: [seq, i, s.url, s.title, s.publisher, s.published?.description, s.retrieved?.description])
        }
    }

    // MARK: References

    private func remember(_ references: [PartyReference], _ location: RecordLocation) {
        for ref in references where pendingReferences[ref.partyID] == nil {
            pendingReferences[ref.partyID] = place(DataProblem(path: ref.path, message: "no party with id \"\(ref.partyID)\"; expected the id of a party in this import or already in the database (see `lapse parties`)"), location)
        }
    }

    /// Checks what can only be checked once every record is in: references and parent chains.
    /// `importing` runs it before committing.
    public func finish() throws {
        var problems: [DataProblem] = []
        let exists = try db.cachedStatement(sql: "SELECT 1 FROM party WHERE id = ?")
        for (id, problem) in pendingReferences.sorted(by: { $0.key < $1.key })
        where try Bool.fetchOne(exists, arguments: [id]) == nil {
            problems.append(problem)
        }
        for id in touchedParties.sorted() {
            let cycle = try Bool.fetchOne(db, sql: """
                WITH RECURSIVE chain(id, depth) AS (
                    SELECT parent_id, 1 FROM party WHERE id = ?1
                    UNION ALL
                    SELECT p.parent_id, depth + 1 FROM party p JOIN chain c ON p.id = c.id WHERE depth < 1000
                )
                SELECT 1 FROM chain WHERE id = ?1 LIMIT 1
                """, arguments: [id]) ?? false
            if cycle {
                let location = partiesSeen[id] ?? RecordLocation()
                problems.append(place(DataProblem(path: "parent", message: "the parent chain of \"\(id)\" leads back to itself; expected a chain that ends at a top-level organization"), location))
            }
        }
        if !problems.isEmpty { throw DataProblems(problems: problems) }
        try indexDeferred()
    }

    /// Indexes the rows written while indexing was deferred, and restores the insert triggers.
    private func indexDeferred() throws {
        guard !deferredTriggers.isEmpty else { return }
        if let first = firstNewIncidentSeq {
            try db.execute(sql: "INSERT INTO incident_fts(rowid, title, summary) SELECT seq, title, summary FROM incident WHERE seq >= ?",
                           arguments: [first])
        }
        if let first = firstNewEventSeq {
            try db.execute(sql: "INSERT INTO event_fts(rowid, summary, quote) SELECT seq, summary, quote FROM event WHERE seq >= ?",
                           arguments: [first])
        }
        for trigger in deferredTriggers { try db.execute(sql: trigger.sql) }
        deferredTriggers = []
    }

    private func place(_ problem: DataProblem, _ location: RecordLocation) -> DataProblem {
        problem.within(file: location.file, line: location.line, prefix: location.path)
    }

    private func describe(_ location: RecordLocation) -> String {
        var parts: [String] = []
        if let line = location.line { parts.append("line \(line)") }
        if !location.path.isEmpty { parts.append(location.path) }
        return parts.isEmpty ? "an earlier record" : parts.joined(separator: " ")
    }
}

extension LapseDatabase {
    // MARK: - Imports

    /// Runs one import in one transaction: if `body` or the final checks throw, nothing is written;
    /// a dry run checks everything against the stored data and writes nothing.
    @discardableResult
    public func importing<T>(dryRun: Bool = false, _ body: (ImportSession) throws -> T) throws -> (result: T, session: ImportSession) {
        try writeTransaction(rollback: dryRun) { db in
            let session = ImportSession(db: db)
            try session.deferFullTextIndexing()
            let result = try body(session)
            try session.finish()
            return (result, session)
        }
    }

    // MARK: - Single edits from the command line

    /// Adds a new party; fails if the id is taken.
    public func addParty(_ party: Party) throws {
        try writeTransaction { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM party WHERE id = ?", arguments: [party.id]) != nil {
                throw DataProblems(problems: [DataProblem(path: "id", message: "a party with id \"\(party.id)\" already exists; expected a new id (import a lapse/1 file to merge changes into a party)")])
            }
            let session = ImportSession(db: db)
            try session.add(party, at: RecordLocation())
            try session.finish()
        }
    }

    /// Adds a new incident; fails if the id is taken.
    public func addIncident(_ incident: Incident) throws {
        try writeTransaction { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM incident WHERE id = ?", arguments: [incident.id]) != nil {
                throw DataProblems(problems: [DataProblem(path: "id", message: "an incident with id \"\(incident.id)\" already exists; expected a new id (`lapse log` adds events to it)")])
            }
            let session = ImportSession(db: db)
            try session.add(incident, at: RecordLocation())
            try session.finish()
        }
    }

    /// Appends an event to a stored incident and returns the incident as it now stands,
    /// with the input index of the new event.
    public func logEvent(_ event: Event, toIncident incidentID: String) throws -> (incident: Incident, index: Int) {
        try writeTransaction { db in
            guard var incident = try Self.fetchIncidents(db, ids: [incidentID]).first else {
                throw StoreLookupError.noIncident(incidentID)
            }
            var probe = incident
            probe.events.append(event)
            let (problems, references) = Validator.check(probe)
            if let problem = problems.first {
                throw DataProblems(problems: [problem])
            }
            let session = ImportSession(db: db)
            for ref in references where ref.path.hasPrefix("events[\(incident.events.count)]") {
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM party WHERE id = ?", arguments: [ref.partyID]) == nil {
                    throw DataProblems(problems: [DataProblem(path: "party", message: "no party with id \"\(ref.partyID)\"; expected the id of a stored party (see `lapse parties`, or add one with `lapse party add`)")])
                }
            }
            let position = (try Int.fetchOne(db, sql: "SELECT max(position) FROM event WHERE incident_id = ?", arguments: [incidentID]) ?? -1) + 1
            let zone = incident.zone
            try session.writeEvent(event, incidentID: incidentID, position: position, zone: zone)
            incident.events.append(event)
            let first = ImportSession.firstEvent(incident.events, zone: zone)
            try db.execute(sql: "UPDATE incident SET first_instant = ?, first_at = ?, event_count = ? WHERE id = ?",
                           arguments: [first?.instant, first?.at.description, incident.events.count, incidentID])
            return (incident, incident.events.count - 1)
        }
    }
}

/// A lookup of something that is not in the database.
public enum StoreLookupError: Error, Sendable, CustomStringConvertible {
    case noIncident(String)
    case noParty(String)

    public var description: String {
        switch self {
        case .noIncident(let id): "no incident with id \"\(id)\"; `lapse incidents` lists them"
        case .noParty(let id): "no party with id \"\(id)\"; `lapse parties` lists them"
        }
    }
}
