import Foundation
import LapseCore

/// One import on PostgreSQL: parties and incidents written in the import's transaction,
/// validated as they come, with references to parties checked at the end. Incidents are
/// written a batch at a time, each table in one statement over arrays (`unnest`), so an import
/// of a million events makes a few thousand round trips, not millions.
final class PostgresImport: IncidentImportSink {
    let session: Session
    /// Where the import records what it changed (nil: the caller records the change itself).
    let recorder: ChangeRecorder?
    private var pendingReferences: [String: DataProblem] = [:]
    private var incidentsSeen: [String: RecordLocation] = [:]
    private var partiesSeen: [String: RecordLocation] = [:]
    private var touchedParties: Set<String> = []
    private var partyIDsWritten: Set<String> = []
    private var incidentsWritten = 0
    private var eventsWritten = 0
    private var incidentsReplaced = 0
    /// With a recorder: each party written, as it stood before this import first wrote it.
    private var partiesBefore: [(id: String, before: LapseRecord?)] = []
    private var pending: [PreparedIncident] = []
    /// Parties added and not yet written, by id, in the order first added.
    private var pendingParties: [String: Party] = [:]
    private var pendingPartyOrder: [String] = []
    static let batch = 500
    /// Whether the first batch of incidents has been written (the bulk load was decided then).
    private var firstBatchWritten = false
    /// What a bulk load dropped, as the statements that create it again.
    private var setAside: [String] = []

    init(session: Session, recorder: ChangeRecorder?) {
        self.session = session
        self.recorder = recorder
    }

    var tally: ImportTally {
        ImportTally(parties: partyIDsWritten.count, incidents: incidentsWritten, events: eventsWritten, incidentsReplaced: incidentsReplaced)
    }

    // MARK: Parties

    func add(_ party: Party, at location: RecordLocation, check: Validator.Check?) throws {
        let (problems, references) = check ?? Validator.check(party)
        guard problems.isEmpty else { throw DataProblems(problems: problems.map { location.place($0) }) }
        if let first = partiesSeen[party.id], first.file == location.file {
            throw DataProblems(problems: [location.place(DataProblem(path: "id", message: "party id \"\(party.id)\" is defined twice in this file (first at \(first.described)); expected each id once"))])
        }
        partiesSeen[party.id] = location
        remember(references, location)
        // Written a batch at a time (`writePendingParties`); a party given twice is merged.
        if let waiting = pendingParties[party.id] {
            pendingParties[party.id] = Self.merging(party, onto: waiting)
        } else {
            pendingParties[party.id] = party
            pendingPartyOrder.append(party.id)
            if pendingPartyOrder.count >= Self.batch { try writePendingParties() }
        }
    }

    /// `party` merged onto `base`: given fields replace, absent fields keep the base's, aliases
    /// are united in order.
    static func merging(_ party: Party, onto base: Party?) -> Party {
        guard let base else { return party }
        var merged = party
        merged.parent = party.parent ?? base.parent
        merged.affiliation = party.affiliation ?? base.affiliation
        merged.role = party.role ?? base.role
        merged.country = party.country ?? base.country
        merged.sector = party.sector ?? base.sector
        merged.aliases = base.aliases
        for alias in party.aliases where !merged.aliases.contains(alias) { merged.aliases.append(alias) }
        return merged
    }

    /// Writes the waiting parties, each merged onto its stored state: the stored states read in
    /// one query, the parties and their aliases written in one statement each.
    func writePendingParties() throws {
        guard !pendingPartyOrder.isEmpty else { return }
        let ids = pendingPartyOrder
        let waiting = pendingParties
        pendingPartyOrder = []
        pendingParties = [:]
        var stored: [String: Party] = [:]
        for party in try PostgresStore.parties(session, ids: ids) { stored[party.id] = party }
        var rows = Columns(9), aliases = Columns(3)
        for id in ids {
            let merged = Self.merging(waiting[id]!, onto: stored[id])
            if recorder != nil && !partyIDsWritten.contains(id) { partiesBefore.append((id, stored[id].map(LapseRecord.party))) }
            rows.add([.text(merged.id), .text(merged.name), .text(merged.kind.rawValue), .text(merged.parent), .text(merged.affiliation),
                      .text(merged.role), .text(merged.country), .text(merged.sector), .text(SearchText.vector([merged.name] + merged.aliases))])
            for (position, alias) in merged.aliases.enumerated() { aliases.add([.text(id), .int(position), .text(alias)]) }
            partyIDsWritten.insert(id)
            touchedParties.insert(id)
        }
        try rows.insert(into: "party", "id, name, kind, parent_id, affiliation_id, role, country, sector, search",
                        types: ["text", "text", "text", "text", "text", "text", "text", "text", "tsvector"], session, onConflict: """
                            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, parent_id = EXCLUDED.parent_id,
                                affiliation_id = EXCLUDED.affiliation_id, role = EXCLUDED.role, country = EXCLUDED.country,
                                sector = EXCLUDED.sector, search = EXCLUDED.search
                            """)
        try session.execute("DELETE FROM party_alias WHERE party_id = ANY($1)", [.texts(ids)])
        try aliases.insert(into: "party_alias", "party_id, position, alias", types: ["text", "bigint", "text"], session)
    }

    /// Puts a party in exactly this state (creating it if new): every field and alias as given.
    /// For edits and reverts, which restore whole records.
    func replace(_ party: Party, at location: RecordLocation) throws {
        let (problems, references) = Validator.check(party)
        guard problems.isEmpty else { throw DataProblems(problems: problems.map { location.place($0) }) }
        remember(references, location)
        try writeExactly(party)
    }

    private func writeExactly(_ party: Party) throws {
        try session.execute("""
            INSERT INTO party (id, name, kind, parent_id, affiliation_id, role, country, sector, search)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::tsvector)
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, parent_id = EXCLUDED.parent_id,
                affiliation_id = EXCLUDED.affiliation_id, role = EXCLUDED.role, country = EXCLUDED.country, sector = EXCLUDED.sector,
                search = EXCLUDED.search
            """, [.text(party.id), .text(party.name), .text(party.kind.rawValue), .text(party.parent), .text(party.affiliation),
                  .text(party.role), .text(party.country), .text(party.sector), .text(SearchText.vector([party.name] + party.aliases))])
        try session.execute("DELETE FROM party_alias WHERE party_id = $1", [.text(party.id)])
        if !party.aliases.isEmpty {
            try session.execute("""
                INSERT INTO party_alias (party_id, position, alias)
                SELECT $1, n - 1, a FROM unnest($2::text[]) WITH ORDINALITY AS u(a, n)
                """, [.text(party.id), .texts(party.aliases)])
        }
        touchedParties.insert(party.id)
    }

    func storedPartyName(id: String) throws -> String? {
        if let waiting = pendingParties[id] { return waiting.name }
        return try session.one("SELECT name FROM party WHERE id = $1", [.text(id)])?.string(0)
    }

    func storedPartyNames() throws -> [(id: String, name: String, aliases: [String])] {
        try writePendingParties()
        return try PostgresStore.parties(session, Statement("SELECT \(PostgresStore.partyColumns) FROM party p WHERE p.kind <> 'person' ORDER BY p.id"))
            .map { ($0.id, $0.name, $0.aliases) }
    }

    func hasIncident(id: String) throws -> Bool {
        if incidentsSeen[id] != nil { return true }
        return try session.one("SELECT 1 FROM incident WHERE id = $1", [.text(id)]) != nil
    }

    // MARK: Incidents

    func add(_ prepared: PreparedIncident, at location: RecordLocation) throws {
        let problems = self.problems(with: prepared, at: location)
        guard problems.isEmpty else { throw DataProblems(problems: problems) }
        incidentsSeen[prepared.incident.id] = location
        remember(prepared.check.references, location)
        pending.append(prepared)
        if pending.count >= Self.batch { try writePending() }
        incidentsWritten += 1
        eventsWritten += prepared.incident.events.count
    }

    func problems(with prepared: PreparedIncident, at location: RecordLocation) -> [DataProblem] {
        guard prepared.check.problems.isEmpty else { return prepared.check.problems.map { location.place($0) } }
        if let first = incidentsSeen[prepared.incident.id] {
            return [location.place(DataProblem(path: "id", message: "incident id \"\(prepared.incident.id)\" is given twice in this import (first at \(first.described)); expected each incident once"))]
        }
        return []
    }

    /// Writes the waiting incidents: reads the states they replace (for the change log), deletes
    /// those, and inserts every table's rows in one statement each.
    func writePending() throws {
        try writePendingParties()
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        let ids = batch.map(\.incident.id)
        let stored = try session.strings("SELECT id FROM incident WHERE id = ANY($1)", [.texts(ids)])
        if let recorder {
            var befores: [String: Incident] = [:]
            for before in try PostgresStore.fetchIncidents(session, ids: stored) { befores[before.id] = before }
            for id in ids { try recorder.record(RecordKey(.incident, id), before: befores[id].map(LapseRecord.incident), after: nil, afterFollows: true) }
        }
        if !stored.isEmpty {
            incidentsReplaced += try session.execute("DELETE FROM incident WHERE id = ANY($1)", [.texts(stored)])
        }
        if !firstBatchWritten {
            firstBatchWritten = true
            // Only the tables' owner may drop and create their indexes: another role loads row by row.
            if recorder != nil, batch.count >= Self.batch, try session.one("""
                SELECT NOT EXISTS (SELECT 1 FROM incident) AND bool_and(pg_has_role(relowner, 'USAGE'))
                FROM pg_class WHERE oid = ANY(\(Self.incidentTables)) OR oid = 'party'::regclass
                """)?.bool(0) == true {
                try setAsideIndexes()
            }
        }
        try insert(batch)
    }

    // MARK: Bulk load

    /// The tables an import fills with its incidents (the store's own names, never user text).
    static let incidentTables = "'{incident,incident_kind,incident_jurisdiction,incident_tag,event,event_source}'::regclass[]"

    /// Into an empty database, an import of more than one batch by the tables' owner drops the
    /// secondary indexes of the incident tables and the foreign keys between them inside its
    /// transaction, and creates them again from the same definitions (read from the catalog)
    /// before it commits: PostgreSQL builds an index at once by sorting, and checks a foreign key
    /// with one join, many times faster than row by row. Primary keys, unique constraints, CHECKs and the (deferred)
    /// foreign keys to parties stay; every foreign key and unique index is checked when it is
    /// created again, and the import fails whole if one does not hold. Until the import ends,
    /// other connections' reads of these tables wait for it.
    private func setAsideIndexes() throws {
        let definitions = try session.rows("""
            SELECT 0, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
                   format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
            FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(\(Self.incidentTables)) AND confrelid <> 'party'::regclass
            UNION ALL
            SELECT 1, format('DROP INDEX %s', indexrelid::regclass), pg_get_indexdef(indexrelid)
            FROM pg_index i WHERE indrelid = ANY(\(Self.incidentTables))
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1, 2
            """)
        var restore: [String] = []
        for row in definitions {
            try session.execute(try row.string(1))
            restore.append(try row.string(2))
        }
        // Created again in the reverse order: indexes, then foreign keys.
        setAside = restore.reversed()
    }

    /// Creates again what `setAsideIndexes` dropped. PostgreSQL alters no table with deferred
    /// checks pending, so those (the references to parties, checked by the import beforehand)
    /// are made now.
    private func restoreIndexes() throws {
        guard !setAside.isEmpty else { return }
        try session.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in setAside { try session.execute(statement) }
        setAside = []
    }

    /// Inserts incidents known not to be stored.
    private func insert(_ batch: [PreparedIncident]) throws {
        var incident = Columns(12), lists = [Columns(3), Columns(3), Columns(3)], event = Columns(14), source = Columns(8)
        for prepared in batch {
            let i = prepared.incident
            incident.add([.text(i.id), .text(i.title), .text(i.organization), .text(i.summary), .int(i.recordsAffected), .text(i.timezone),
                          .int(prepared.first?.instant), .text(prepared.first?.at), .int(i.events.count),
                          .text(i.kinds.map(\.rawValue).joined(separator: ",")), .text(i.closed?.description), .text(SearchText.vector([i.title, i.summary]))])
            for (n, values) in [i.kinds.map(\.rawValue), i.jurisdictions, i.tags].enumerated() {
                for (position, value) in values.enumerated() { lists[n].add([.text(i.id), .int(position), .text(value)]) }
            }
            for (position, e) in i.events.enumerated() {
                let columns = prepared.events[position]
                event.add([.text(i.id), .int(position), .text(e.id), .text(e.type.rawValue), .text(columns.at), .text(columns.until),
                           .int(columns.firstInstant), .text(e.party), .text(e.summary), .text(e.statement?.quote), .text(e.statement?.channel),
                           .text(e.statement?.audience?.rawValue), .text(e.statement?.language), .text(SearchText.vector([e.summary, e.statement?.quote]))])
                for (n, s) in e.sources.enumerated() {
                    source.add([.text(i.id), .int(position), .int(n), .text(s.url), .text(s.title), .text(s.publisher),
                                .text(columns.sourceDates[n].published), .text(columns.sourceDates[n].retrieved)])
                }
            }
        }
        try incident.insert(into: "incident", "id, title, organization_id, summary, records_affected, timezone, first_instant, first_at, event_count, kinds, closed, search",
                            types: ["text", "text", "text", "text", "bigint", "text", "bigint", "text", "bigint", "text", "text", "tsvector"], session)
        for (n, table) in [("incident_kind", "kind"), ("incident_jurisdiction", "code"), ("incident_tag", "tag")].enumerated() {
            try lists[n].insert(into: table.0, "incident_id, position, \(table.1)", types: ["text", "bigint", "text"], session)
        }
        try event.insert(into: "event", "incident_id, position, id, type, at, until, first_instant, party_id, summary, quote, channel, audience, language, search",
                         types: ["text", "bigint", "text", "text", "text", "text", "bigint", "text", "text", "text", "text", "text", "text", "tsvector"], session)
        try source.insert(into: "event_source", "incident_id, event_position, position, url, title, publisher, published, retrieved",
                          types: ["text", "bigint", "bigint", "text", "text", "text", "text", "text"], session)
    }

    // MARK: References

    private func remember(_ references: [PartyReference], _ location: RecordLocation) {
        for ref in references where pendingReferences[ref.partyID] == nil {
            pendingReferences[ref.partyID] = location.place(ref.missingParty)
        }
    }

    func finish() throws {
        try writePending()
        var problems: [DataProblem] = []
        if !pendingReferences.isEmpty {
            let missing = Set(try session.strings("SELECT r FROM unnest($1::text[]) r WHERE NOT EXISTS (SELECT 1 FROM party p WHERE p.id = r)",
                                                  [.texts(Array(pendingReferences.keys))]))
            for (id, problem) in pendingReferences.sorted(by: { $0.key < $1.key }) where missing.contains(id) { problems.append(problem) }
        }
        // Only a party with a parent can be in a loop; follow every touched chain at once, and
        // stop a chain where it comes back to where it started.
        if !touchedParties.isEmpty {
            let inLoops = try session.strings("""
                WITH RECURSIVE chain(start, id, depth) AS (
                    SELECT p.id, p.parent_id, 1 FROM party p WHERE p.id = ANY($1) AND p.parent_id IS NOT NULL
                    UNION ALL
                    SELECT c.start, p.parent_id, c.depth + 1 FROM chain c JOIN party p ON p.id = c.id
                    WHERE c.id <> c.start AND p.parent_id IS NOT NULL AND c.depth < 1000
                )
                SELECT DISTINCT start FROM chain WHERE id = start ORDER BY start
                """, [.texts(touchedParties.sorted())])
            for id in inLoops {
                problems.append((partiesSeen[id] ?? RecordLocation()).place(.parentLoop(of: id)))
            }
        }
        if !problems.isEmpty { throw DataProblems(problems: problems) }
        try restoreIndexes()
        if let recorder {
            for (id, before) in partiesBefore { try recorder.record(RecordKey(.party, id), before: before, after: nil, afterFollows: true) }
            partiesBefore = []
            try recorder.flush()
        }
    }

    func restoreHistory(_ changes: [Change]) throws {
        try writePending()
        try recorder?.flush()
        for change in changes.sorted(by: { $0.id < $1.id }) {
            let restored = ChangeRecorder(session: session, context: ChangeContext(author: change.author, command: change.command), at: change.at)
            for record in change.records { try restored.record(record.key, before: record.before, after: record.after) }
            try restored.begin()
            try restored.flush()
        }
    }

}

/// Rows of one table gathered column by column, inserted in one statement over arrays.
struct Columns {
    private var texts: [[String?]]
    private var count = 0

    init(_ width: Int) {
        texts = Array(repeating: [], count: width)
    }

    mutating func add(_ values: [Bind]) {
        for (i, value) in values.enumerated() {
            switch value {
            case .text(let text): texts[i].append(text)
            case .int(let int): texts[i].append(int.map(String.init))
            case .bool(let bool): texts[i].append(bool ? "true" : "false")
            case .texts, .ints: texts[i].append(nil)
            }
        }
        count += 1
    }

    /// `INSERT INTO table (columns) SELECT … FROM unnest($1::text[], …)`, each column cast to its type.
    func insert(into table: String, _ columns: String, types: [String], _ session: Session, onConflict: String = "") throws {
        guard count > 0 else { return }
        let names = (1...texts.count).map { "c\($0)" }
        let casts = zip(names, types).map { $1 == "text" ? $0 : "\($0)::\($1)" }.joined(separator: ", ")
        let arrays = (1...texts.count).map { "$\($0)::text[]" }.joined(separator: ", ")
        try session.execute("INSERT INTO \(table) (\(columns)) SELECT \(casts) FROM unnest(\(arrays)) AS u(\(names.joined(separator: ", "))) \(onConflict)",
                            texts.map { .texts($0) })
    }
}
