import Foundation
import LapseCore

// Reads: each call is one read-only transaction; incidents are loaded a table at a time for a
// list of ids (`= ANY($1)`), never one query per incident.

extension PostgresStore: IncidentReading {
    public func parties(ofKind kind: PartyKind?) throws -> [Party] {
        try read { session in
            try Self.parties(session, Statement("SELECT \(Self.partyColumns) FROM party p WHERE $1::text IS NULL OR p.kind = $1 ORDER BY p.id", [.text(kind?.rawValue)]))
        }
    }

    public func party(withID id: String) throws -> Party? {
        try read { session in try Self.fetchParty(session, id: id) }
    }

    public func partiesByID() throws -> [String: Party] {
        try read(Self.partiesByID)
    }

    /// Every party by id, without aliases.
    static func partiesByID(_ session: Session) throws -> [String: Party] {
        do {
            var index: [String: Party] = [:]
            for row in try session.rows("SELECT \(Self.partyColumns) FROM party p") {
                let party = try Self.party(row, aliases: [])
                index[party.id] = party
            }
            return index
        }
    }

    public func incident(withID id: String) throws -> Incident? {
        try read { session in try Self.fetchIncidents(session, ids: [id]).first }
    }

    public func incidents(selectedBy filter: IncidentFilter) throws -> [Incident] {
        try read { session in try Self.fetchIncidents(session, ids: Self.incidentIDs(session, filter)) }
    }

    public func incidentSummaries(selectedBy filter: IncidentFilter) throws -> [IncidentSummary] {
        try read { session in
            var statement = Statement()
            let condition = try Self.condition(session, filter, &statement)
            statement.sql = """
                SELECT i.id, i.title, i.organization_id, p.name, i.records_affected, i.kinds, i.first_at, i.event_count
                FROM incident i JOIN party p ON p.id = i.organization_id
                WHERE \(condition)
                ORDER BY i.first_instant IS NULL, i.first_instant, i.id
                """
            return try session.rows(statement).map { row in
                IncidentSummary(id: try row.string(0), title: try row.string(1), organization: try row.string(2), organizationName: try row.string(3),
                                kinds: try (try row.string(5)).split(separator: ",").map { try IncidentKind.parse(String($0)) },
                                recordsAffected: try row.int(4), firstEvent: try row.text(6), eventCount: try row.int(7) ?? 0)
            }
        }
    }

    public func measurementSet(selectedBy filter: IncidentFilter, withText: Bool) throws -> MeasurementSet {
        try read { session in
            let incidents = try Self.fetchIncidents(session, ids: Self.incidentIDs(session, filter), .measuring(withText: withText))
            return MeasurementSet(incidents: incidents, parties: try Self.partiesByID(session))
        }
    }

    public func incidentIDs(havingEventID id: String) throws -> [String] {
        try read { session in
            try session.strings("SELECT DISTINCT incident_id FROM event WHERE id = $1 ORDER BY incident_id", [.text(id)])
        }
    }

    // MARK: Parties

    static let partyColumns = "p.id, p.name, p.kind, p.parent_id, p.affiliation_id, p.role, p.country, p.sector"

    static func party(_ row: Row, aliases: [String]) throws -> Party {
        Party(id: try row.string(0), name: try row.string(1), kind: try PartyKind.parse(try row.string(2)), aliases: aliases,
              parent: try row.text(3), affiliation: try row.text(4), role: try row.text(5), country: try row.text(6), sector: try row.text(7))
    }

    /// Parties a statement selects (its columns `partyColumns`), with their aliases.
    static func parties(_ session: Session, _ statement: Statement) throws -> [Party] {
        let rows = try session.rows(statement)
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.string(0) }
        var aliases: [String: [String]] = [:]
        for row in try session.rows("SELECT party_id, alias FROM party_alias WHERE party_id = ANY($1) ORDER BY party_id, position", [.texts(ids)]) {
            aliases[try row.string(0), default: []].append(try row.string(1))
        }
        return try rows.map { try party($0, aliases: aliases[try $0.string(0)] ?? []) }
    }

    static func parties(_ session: Session, ids: [String]) throws -> [Party] {
        guard !ids.isEmpty else { return [] }
        return try parties(session, Statement("SELECT \(partyColumns) FROM party p WHERE p.id = ANY($1) ORDER BY p.id", [.texts(ids)]))
    }

    static func fetchParty(_ session: Session, id: String) throws -> Party? {
        try parties(session, ids: [id]).first
    }

    /// The parties named, and every parent and affiliation those name in turn.
    static func withParentsAndAffiliations(_ session: Session, _ named: Set<String>) throws -> Set<String> {
        guard !named.isEmpty else { return [] }
        return Set(try session.strings("""
            WITH RECURSIVE needed(id) AS (
                SELECT unnest($1::text[]) COLLATE "C"
                UNION
                SELECT x FROM needed n JOIN party p ON p.id = n.id, LATERAL (VALUES (p.parent_id), (p.affiliation_id)) v(x) WHERE x IS NOT NULL
            )
            SELECT id FROM needed
            """, [.texts(Array(named))]))
    }

    // MARK: The query model

    static func incidentIDs(_ session: Session, _ filter: IncidentFilter) throws -> [String] {
        var statement = Statement()
        let condition = try condition(session, filter, &statement)
        statement.sql = "SELECT i.id FROM incident i WHERE \(condition) ORDER BY i.id"
        return try session.rows(statement).map { try $0.string(0) }
    }

    /// The SQL condition on `incident i` for a filter, its values bound into `statement`.
    static func condition(_ session: Session, _ filter: IncidentFilter, _ statement: inout Statement) throws -> String {
        var clauses = ["true"]
        if !filter.ids.isEmpty {
            clauses.append("i.id = ANY(\(statement.bind(.texts(filter.ids))))")
        }
        var organizations: [String]? = filter.organizations.isEmpty ? nil : filter.organizations
        if let company = filter.company {
            let matched = try matchingParties(session, company)
            organizations = organizations.map { Array(Set($0).intersection(matched)) } ?? matched
        }
        if let organizations {
            clauses.append("""
                i.organization_id IN (
                    WITH RECURSIVE matched(id) AS (
                        SELECT unnest(\(statement.bind(.texts(organizations)))::text[]) COLLATE "C"
                        UNION
                        SELECT p.id FROM party p JOIN matched m ON p.parent_id = m.id
                    )
                    SELECT id FROM matched)
                """)
        }
        if !filter.kinds.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM incident_kind k WHERE k.incident_id = i.id AND k.kind = ANY(\(statement.bind(.texts(filter.kinds.map(\.rawValue))))))")
        }
        if !filter.sectors.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM party sp WHERE sp.id = i.organization_id AND lower(sp.sector) = ANY(\(statement.bind(.texts(filter.sectors.map { $0.lowercased() })))))")
        }
        if !filter.jurisdictions.isEmpty {
            clauses.append("""
                EXISTS (SELECT 1 FROM incident_jurisdiction j, unnest(\(statement.bind(.texts(filter.jurisdictions.map { $0.uppercased() })))::text[]) w(code)
                        WHERE j.incident_id = i.id AND (upper(j.code) = w.code OR starts_with(upper(j.code), w.code || '-')))
                """)
        }
        if let minRecords = filter.minRecords {
            clauses.append("i.records_affected >= \(statement.bind(.int(minRecords)))::bigint")
        }
        func dated() -> String {
            guard let type = filter.dateOf else { return "i.first_instant" }
            return "(SELECT min(e.first_instant) FROM event e WHERE e.incident_id = i.id AND e.type = \(statement.bind(.text(type.rawValue))))"
        }
        if let since = filter.since {
            clauses.append("\(dated()) >= \(statement.bind(.int(since)))::bigint")
        }
        if let before = filter.before {
            clauses.append("\(dated()) < \(statement.bind(.int(before)))::bigint")
        }
        return clauses.joined(separator: " AND ")
    }

    /// The ids of the parties a company name matches (`CompanyMatch`), any rank.
    static func matchingParties(_ session: Session, _ name: String) throws -> [String] {
        let query = CompanyMatch.Query(name)
        var names: [String: [String]] = [:]
        for row in try session.rows("SELECT id, name FROM party") { names[try row.string(0), default: []].insert(try row.string(1), at: 0) }
        for row in try session.rows("SELECT party_id, alias FROM party_alias ORDER BY party_id, position") {
            names[try row.string(0), default: []].append(try row.string(1))
        }
        return names.compactMap { id, names in query.rank(id: id, names: names) == nil ? nil : id }.sorted()
    }

    // MARK: Incidents

    /// How much of each incident `fetchIncidents` reads.
    enum Detail {
        case whole
        /// What measuring uses: events without sources, their summaries and quotes only `withText`.
        case measuring(withText: Bool)
    }

    /// Whole incidents (or what measuring needs), in the order of `ids`; ids not stored are left out.
    static func fetchIncidents(_ session: Session, ids: [String], _ detail: Detail = .whole) throws -> [Incident] {
        guard !ids.isEmpty else { return [] }
        let wanted: [Bind] = [.texts(ids)]
        var incidents: [Incident] = []
        var slot: [String: Int] = [:]
        for r in try session.rows("SELECT id, title, organization_id, summary, records_affected, timezone, closed FROM incident WHERE id = ANY($1)", wanted) {
            let id = try r.string(0)
            slot[id] = incidents.count
            incidents.append(Incident(id: id, title: try r.string(1), organization: try r.string(2), kinds: [], summary: try r.text(3),
                                      recordsAffected: try r.int(4), timezone: try r.text(5), closed: try r.text(6).map { try EventTime(parsing: $0) }))
        }
        guard !incidents.isEmpty else { return [] }
        for r in try session.rows("SELECT incident_id, kind FROM incident_kind WHERE incident_id = ANY($1) ORDER BY incident_id, position", wanted) {
            if let i = slot[try r.string(0)] { incidents[i].kinds.append(try IncidentKind.parse(try r.string(1))) }
        }
        for r in try session.rows("SELECT incident_id, code FROM incident_jurisdiction WHERE incident_id = ANY($1) ORDER BY incident_id, position", wanted) {
            if let i = slot[try r.string(0)] { incidents[i].jurisdictions.append(try r.string(1)) }
        }
        for r in try session.rows("SELECT incident_id, tag FROM incident_tag WHERE incident_id = ANY($1) ORDER BY incident_id, position", wanted) {
            if let i = slot[try r.string(0)] { incidents[i].tags.append(try r.string(1)) }
        }
        let sql: String
        switch detail {
        case .whole:
            sql = """
                SELECT e.incident_id, e.seq, e.id, e.type, e.at, e.until, e.party_id, e.summary, e.quote, e.channel, e.audience, e.language,
                       s.url, s.title, s.publisher, s.published, s.retrieved
                FROM event e LEFT JOIN event_source s ON s.incident_id = e.incident_id AND s.event_position = e.position
                WHERE e.incident_id = ANY($1) ORDER BY e.incident_id, e.position, s.position
                """
        case .measuring(let withText):
            sql = """
                SELECT e.incident_id, e.seq, e.id, e.type, e.at, e.until, e.party_id, \(withText ? "e.summary, e.quote" : "NULL::text, NULL::text"),
                       NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text
                FROM event e WHERE e.incident_id = ANY($1) ORDER BY e.incident_id, e.position
                """
        }
        var lastSeq: Int?
        for r in try session.rows(sql, wanted) {
            guard let i = slot[try r.string(0)] else { continue }
            let seq = try r.int(1)
            if seq != lastSeq {
                lastSeq = seq
                let statement = Quotation(quote: try r.text(8), channel: try r.text(9), audience: try r.text(10).map { try Audience.parse($0) },
                                          language: try r.text(11))
                incidents[i].events.append(Event(id: try r.text(2), type: try EventType.parse(try r.string(3)), at: try EventTime(parsing: try r.string(4)),
                                                 until: try r.text(5).map { try EventTime(parsing: $0) }, party: try r.text(6), summary: try r.text(7),
                                                 statement: statement.isEmpty ? nil : statement))
            }
            if let url = try r.text(12) {
                incidents[i].events[incidents[i].events.count - 1].sources.append(Source(
                    url: url, title: try r.text(13), publisher: try r.text(14),
                    published: try r.text(15).map { try EventTime(parsing: $0) }, retrieved: try r.text(16).map { try EventTime(parsing: $0) }))
            }
        }
        return ids.compactMap { slot[$0].map { incidents[$0] } }
    }
}
