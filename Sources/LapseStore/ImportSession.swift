import Foundation
import GRDB
import LapseCore

/// One import: parties and incidents written in a single transaction, validated as they
/// come, with references to parties checked at the end (a party may come after its use).
public final class ImportSession: IncidentImportSink {
    let db: Database
    private var pendingReferences: [String: DataProblem] = [:]
    private var incidentsSeen: [String: RecordLocation] = [:]
    private var partiesSeen: [String: RecordLocation] = [:]
    private var touchedParties: Set<String> = []
    private var partyIDsWritten: Set<String> = []
    private var incidentsWritten = 0
    private var eventsWritten = 0
    private var incidentsReplaced = 0
    /// While a bulk import defers full-text indexing: the insert triggers it dropped (name, SQL),
    /// restored by `finish()`, and the incident ids stored before it began.
    private var deferredTriggers: [(name: String, sql: String)] = []
    private var storedIncidentIDs: Set<String>?
    private var storedPartyIDs: Set<String>?
    /// The smallest rowids written by this session: every row from there on is new (SQLite gives
    /// a new row the largest rowid plus one), so these bound what the deferred indexing must add.
    private var firstNewIncidentSeq: Int64?
    private var firstNewEventSeq: Int64?
    /// The session's INSERTs, prepared on first use.
    private let writers = Writers()
    /// Where an import records what it changed (nil: the caller records the change itself).
    var recorder: ChangeRecorder?
    /// With a recorder: each party written, as it stood before this import first wrote it.
    private var partiesBefore: [(id: String, before: LapseRecord?)] = []
    /// With a recorder: incidents accepted but not yet written, so that the states they replace
    /// are read a batch at a time (one query per table) rather than one incident at a time.
    private var pendingIncidents: [PreparedIncident] = []
    static let incidentBatch = 256

    init(db: Database) {
        self.db = db
    }

    public var tally: ImportTally {
        ImportTally(parties: partyIDsWritten.count, incidents: incidentsWritten, events: eventsWritten, incidentsReplaced: incidentsReplaced)
    }

    /// Defers full-text indexing of new incidents and events, and of the parties written, to
    /// `finish()`, one INSERT…SELECT per index: FTS5 flushes its pending terms at every statement
    /// savepoint, so a trigger per row writes one tiny segment per row and then merges them over
    /// and over; and once a full-text table has been written in a transaction, every later
    /// statement of it calls into that table at its savepoints. The delete triggers stay, so
    /// replaced incidents still leave the index. The triggers are dropped and restored inside the
    /// import's transaction, so no other connection ever sees them missing.
    func deferFullTextIndexing() throws {
        deferredTriggers = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'trigger'
            AND name IN ('incident_fts_insert', 'event_fts_insert', 'party_fts_insert', 'party_fts_update', 'party_alias_fts_insert') ORDER BY name
            """).map { ($0[0], $0[1]) }
        for trigger in deferredTriggers { try db.execute(sql: "DROP TRIGGER \(trigger.name)") }
        storedIncidentIDs = try Set(String.fetchAll(db, sql: "SELECT id FROM incident"))
        storedPartyIDs = try Set(String.fetchAll(db, sql: "SELECT id FROM party"))
    }

    // MARK: Parties

    public func add(_ party: Party, at location: RecordLocation, check: Validator.Check?) throws {
        let (problems, references) = check ?? Validator.check(party)
        guard problems.isEmpty else { throw DataProblems(problems: problems.map { location.place($0) }) }
        if let first = partiesSeen[party.id], first.file == location.file {
            throw DataProblems(problems: [location.place(DataProblem(path: "id", message: "party id \"\(party.id)\" is defined twice in this file (first at \(first.described)); expected each id once"))])
        }
        partiesSeen[party.id] = location
        remember(references, location)
        try writeParty(party)
        partyIDsWritten.insert(party.id)
    }

    func writeParty(_ party: Party) throws {
        // A party neither stored before a bulk import nor written earlier in it has nothing to
        // merge with: no aliases or terms to read or replace.
        let isNew = (storedPartyIDs.map { !$0.contains(party.id) } ?? false) && !partyIDsWritten.contains(party.id)
        if recorder != nil && !partyIDsWritten.contains(party.id) {
            partiesBefore.append((party.id, isNew ? nil : try LapseDatabase.fetchParty(db, id: party.id).map(LapseRecord.party)))
        }
        let row = try writers.party(db)
        row.bind(1, party.id)
        row.bind(2, party.name)
        row.bind(3, party.kind.rawValue)
        row.bind(4, party.parent)
        row.bind(5, party.affiliation)
        row.bind(6, party.role)
        row.bind(7, party.country)
        row.bind(8, party.sector)
        try row.run()
        var aliases = isNew ? [] : try String.fetchAll(db.cachedStatement(sql: "SELECT alias FROM party_alias WHERE party_id = ? ORDER BY position"),
                                                       arguments: [party.id])
        let existing = aliases.count
        for alias in party.aliases where !aliases.contains(alias) { aliases.append(alias) }
        let insertAlias = try writers.alias(db)
        for (position, alias) in aliases.enumerated().dropFirst(existing) {
            insertAlias.bind(1, party.id)
            insertAlias.bind(2, position)
            insertAlias.bind(3, alias)
            try insertAlias.run()
        }
        if !isNew {
            try db.cachedStatement(sql: "DELETE FROM party_term WHERE party_id = ?").execute(arguments: [party.id])
        }
        let insertTerm = try writers.term(db)
        for term in CompanyMatch.terms(id: party.id, name: party.name, aliases: aliases) {
            insertTerm.bind(1, term)
            insertTerm.bind(2, party.id)
            try insertTerm.run()
        }
        touchedParties.insert(party.id)
    }

    public func storedPartyName(id: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM party WHERE id = ?"), arguments: [id])
    }

    public func hasIncident(id: String) throws -> Bool {
        if incidentsSeen[id] != nil { return true }
        return try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM incident WHERE id = ?"), arguments: [id]) ?? false
    }

    // MARK: Incidents

    public func add(_ prepared: PreparedIncident, at location: RecordLocation) throws {
        let incident = prepared.incident
        let problems = self.problems(with: prepared, at: location)
        guard problems.isEmpty else { throw DataProblems(problems: problems) }
        incidentsSeen[incident.id] = location
        remember(prepared.check.references, location)
        if recorder != nil {
            pendingIncidents.append(prepared)
            if pendingIncidents.count >= Self.incidentBatch { try writePendingIncidents() }
        } else {
            try write(prepared, before: nil)
        }
        incidentsWritten += 1
        eventsWritten += incident.events.count
    }

    public func problems(with prepared: PreparedIncident, at location: RecordLocation) -> [DataProblem] {
        guard prepared.check.problems.isEmpty else { return prepared.check.problems.map { location.place($0) } }
        if let first = incidentsSeen[prepared.incident.id] {
            return [location.place(DataProblem(path: "id", message: "incident id \"\(prepared.incident.id)\" is given twice in this import (first at \(first.described)); expected each incident once"))]
        }
        return []
    }

    /// Writes the incidents waiting for their before states, in the order they came: the states
    /// of those that may be stored are read together, then each is recorded and written.
    func writePendingIncidents() throws {
        guard let recorder, !pendingIncidents.isEmpty else { return }
        let batch = pendingIncidents
        pendingIncidents = []
        // A bulk import knows which ids were stored before it: a new id has nothing to read.
        // Ids are unique within an import, so no incident of the batch replaces another of it.
        let stored = batch.map(\.incident.id).filter { storedIncidentIDs?.contains($0) ?? true }
        var befores: [String: Incident] = [:]
        for incident in try LapseDatabase.fetchIncidents(db, ids: stored) { befores[incident.id] = incident }
        for prepared in batch {
            let before = befores[prepared.incident.id]
            try recorder.record(RecordKey(.incident, prepared.incident.id), beforeJSON: try before.map { try recorder.json(.incident($0)) },
                                afterJSON: nil, afterFollows: true)
            try write(prepared, before: before != nil)
        }
    }

    /// `before`: whether an incident with this id is stored (nil: unknown).
    private func write(_ prepared: PreparedIncident, before isStored: Bool?) throws {
        let incident = prepared.incident
        // A bulk import knows which ids were stored before it: a new id has nothing to delete.
        let mayBeStored = isStored ?? storedIncidentIDs?.contains(incident.id) ?? true
        if mayBeStored {
            try db.cachedStatement(sql: "DELETE FROM incident WHERE id = ?").execute(arguments: [incident.id])
            if db.changesCount > 0 { incidentsReplaced += 1 }
        }
        let row = try writers.incident(db)
        row.bind(1, incident.id)
        row.bind(2, incident.title)
        row.bind(3, incident.organization)
        row.bind(4, incident.summary)
        row.bind(5, incident.recordsAffected)
        row.bind(6, incident.timezone)
        row.bind(7, prepared.first?.instant)
        row.bind(8, prepared.first?.at)
        row.bind(9, incident.events.count)
        row.bind(10, incident.kinds.map(\.rawValue).joined(separator: ","))
        row.bind(11, incident.closed?.description)
        try row.run()
        firstNewIncidentSeq = min(firstNewIncidentSeq ?? .max, db.lastInsertedRowID)
        try writeList(incident.kinds.map(\.rawValue), of: incident.id, into: writers.kind(db))
        try writeList(incident.jurisdictions, of: incident.id, into: writers.jurisdiction(db))
        try writeList(incident.tags, of: incident.id, into: writers.tag(db))
        for (i, event) in incident.events.enumerated() {
            try writeEvent(event, prepared.events[i], incidentID: incident.id, position: i)
        }
    }

    func writeEvent(_ event: Event, _ columns: PreparedEvent, incidentID: String, position: Int) throws {
        let row = try writers.event(db)
        row.bind(1, incidentID)
        row.bind(2, position)
        row.bind(3, event.id)
        row.bind(4, event.type.rawValue)
        row.bind(5, columns.at)
        row.bind(6, columns.until)
        row.bind(7, columns.firstInstant)
        row.bind(8, event.party)
        row.bind(9, event.summary)
        row.bind(10, event.statement?.quote)
        row.bind(11, event.statement?.channel)
        row.bind(12, event.statement?.audience?.rawValue)
        row.bind(13, event.statement?.language)
        try row.run()
        let seq = db.lastInsertedRowID
        firstNewEventSeq = min(firstNewEventSeq ?? .max, seq)
        guard !event.sources.isEmpty else { return }
        let source = try writers.source(db)
        for (i, s) in event.sources.enumerated() {
            source.bind(1, seq)
            source.bind(2, i)
            source.bind(3, s.url)
            source.bind(4, s.title)
            source.bind(5, s.publisher)
            source.bind(6, columns.sourceDates[i].published)
            source.bind(7, columns.sourceDates[i].retrieved)
            try source.run()
        }
    }

    /// An incident's kinds, jurisdictions or tags, in order.
    private func writeList(_ values: [String], of incidentID: String, into row: RowWriter) throws {
        for (i, value) in values.enumerated() {
            row.bind(1, incidentID)
            row.bind(2, i)
            row.bind(3, value)
            try row.run()
        }
    }

    // MARK: References

    private func remember(_ references: [PartyReference], _ location: RecordLocation) {
        for ref in references where pendingReferences[ref.partyID] == nil {
            pendingReferences[ref.partyID] = location.place(ref.missingParty)
        }
    }

    public func finish() throws {
        try writePendingIncidents()
        var problems: [DataProblem] = []
        let exists = try db.cachedStatement(sql: "SELECT 1 FROM party WHERE id = ?")
        for (id, problem) in pendingReferences.sorted(by: { $0.key < $1.key })
        where try Bool.fetchOne(exists, arguments: [id]) == nil {
            problems.append(problem)
        }
        // Only a party with a parent can be in a loop; follow every touched chain at once, and
        // stop a chain where it comes back to where it started.
        let inLoops = try String.fetchAll(db, sql: """
            WITH RECURSIVE chain(start, id, depth) AS (
                SELECT p.id, p.parent_id, 1 FROM party p JOIN json_each(?) t ON t.value = p.id WHERE p.parent_id IS NOT NULL
                UNION ALL
                SELECT c.start, p.parent_id, c.depth + 1 FROM chain c JOIN party p ON p.id = c.id
                WHERE c.id <> c.start AND p.parent_id IS NOT NULL AND c.depth < 1000
            )
            SELECT DISTINCT start FROM chain WHERE id = start ORDER BY start
            """, arguments: [jsonArray(touchedParties.sorted())])
        for id in inLoops {
            let location = partiesSeen[id] ?? RecordLocation()
            problems.append(location.place(.parentLoop(of: id)))
        }
        if !problems.isEmpty { throw DataProblems(problems: problems) }
        try indexDeferred()
        if let recorder {
            for (id, before) in partiesBefore {
                try recorder.record(RecordKey(.party, id), beforeJSON: try before.map(recorder.json), afterJSON: nil, afterFollows: true)
            }
            partiesBefore = []
        }
    }

    /// Puts a party in exactly this state (creating it if new): every field and alias as given,
    /// nothing kept from the stored party. For edits and reverts, which restore whole records.
    func replace(_ party: Party, at location: RecordLocation) throws {
        let (problems, references) = Validator.check(party)
        guard problems.isEmpty else { throw DataProblems(problems: problems.map { location.place($0) }) }
        remember(references, location)
        try db.execute(sql: """
            INSERT INTO party (id, name, kind, parent_id, affiliation_id, role, country, sector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent_id = excluded.parent_id,
                affiliation_id = excluded.affiliation_id, role = excluded.role, country = excluded.country, sector = excluded.sector
            """, arguments: [party.id, party.name, party.kind.rawValue, party.parent, party.affiliation, party.role, party.country, party.sector])
        try db.execute(sql: "DELETE FROM party_alias WHERE party_id = ?", arguments: [party.id])
        try db.execute(sql: "DELETE FROM party_term WHERE party_id = ?", arguments: [party.id])
        for (position, alias) in party.aliases.enumerated() {
            try db.execute(sql: "INSERT INTO party_alias (party_id, position, alias) VALUES (?, ?, ?)", arguments: [party.id, position, alias])
        }
        for term in CompanyMatch.terms(id: party.id, name: party.name, aliases: party.aliases) {
            try db.execute(sql: "INSERT OR IGNORE INTO party_term (term, party_id) VALUES (?, ?)", arguments: [term, party.id])
        }
        touchedParties.insert(party.id)
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
        if !touchedParties.isEmpty {
            // A party's row holds its name and all its aliases; a merged party's old row goes.
            let touched: StatementArguments = [jsonArray(touchedParties.sorted())]
            try db.execute(sql: "DELETE FROM party_fts WHERE rowid IN (SELECT seq FROM party WHERE id IN (SELECT value FROM json_each(?)))",
                           arguments: touched)
            try db.execute(sql: """
                INSERT INTO party_fts(rowid, name, aliases)
                SELECT p.seq, p.name, coalesce((SELECT group_concat(alias, ' ') FROM party_alias a WHERE a.party_id = p.id), '')
                FROM party p WHERE p.id IN (SELECT value FROM json_each(?))
                """, arguments: touched)
        }
        for trigger in deferredTriggers { try db.execute(sql: trigger.sql) }
        deferredTriggers = []
    }

}

extension LapseDatabase {
    // MARK: - Imports

    /// Runs one import in one transaction (the contract's `IncidentImporting.importing`): if
    /// `body` or the final checks throw, nothing is written; a dry run checks everything against
    /// the stored data and writes nothing. The import is one change in the change log, with each
    /// incident it added or replaced and each party it wrote.
    func importSession<T>(dryRun: Bool, as context: ChangeContext = .fromEnvironment(command: "import"),
                          _ body: (ImportSession) throws -> T) throws -> (result: T, tally: ImportTally) {
        try writeTransaction(rollback: dryRun) { db in
            let session = ImportSession(db: db)
            session.recorder = ChangeRecorder(db: db, context: context)
            try session.deferFullTextIndexing()
            let result = try body(session)
            try session.finish()
            return (result, session.tally)
        }
    }
}
