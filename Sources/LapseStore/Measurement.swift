import Foundation
import GRDB
import LapseCore

extension LapseDatabase {
    /// Loads the incidents matching the filter (all of them for an empty filter) for measuring;
    /// event summaries and quotes only `withText` (consistency checks compare them).
    public func measurementSet(matching filter: IncidentFilter, withText: Bool = false) throws -> MeasurementSet {
        try writer.read { db in
            let (condition, arguments) = try Self.condition(db, filter)
            // One pass per table, joined to the selected incidents, ordered so rows arrive grouped.
            let selected = "SELECT i.seq, i.id FROM incident i WHERE \(condition)"
            var incidents: [Incident] = []
            var slot: [String: Int] = [:]
            let incidentRows = try Row.fetchCursor(db, sql: """
                SELECT i.id, i.title, i.organization_id, i.records_affected, i.timezone, i.closed FROM incident i WHERE \(condition) ORDER BY i.id
                """, arguments: arguments)
            while let row = try incidentRows.next() {
                let id: String = row[0]
                slot[id] = incidents.count
                incidents.append(Incident(id: id, title: row[1], organization: row[2], kinds: [], recordsAffected: row[3], timezone: row[4],
                                          closed: (row[5] as String?).flatMap(EventTime.init)))
            }
            let kinds = try Row.fetchCursor(db, sql: "SELECT k.incident_id, k.kind FROM incident_kind k JOIN (\(selected)) s ON s.id = k.incident_id ORDER BY k.incident_id, k.position", arguments: arguments)
            while let row = try kinds.next() {
                if let i = slot[row[0]], let kind = IncidentKind(rawValue: row[1]) { incidents[i].kinds.append(kind) }
            }
            let jurisdictions = try Row.fetchCursor(db, sql: "SELECT j.incident_id, j.code FROM incident_jurisdiction j JOIN (\(selected)) s ON s.id = j.incident_id ORDER BY j.incident_id, j.position", arguments: arguments)
            while let row = try jurisdictions.next() {
                if let i = slot[row[0]] { incidents[i].jurisdictions.append(row[1]) }
            }
            let events = try Row.fetchCursor(db, sql: """
                SELECT e.incident_id, e.type, e.at, e.until, e.party_id, \(withText ? "e.summary, e.quote" : "NULL, NULL"), e.id
                FROM event e JOIN (\(selected)) s ON s.id = e.incident_id ORDER BY e.incident_id, e.position
                """, arguments: arguments)
            var current: (id: String, index: Int)?
            while let row = try events.next() {
                let incidentID: String = row[0]
                if current?.id != incidentID {
                    guard let i = slot[incidentID] else { continue }
                    current = (incidentID, i)
                }
                guard let type = EventType(rawValue: row[1]), let at = EventTime(row[2] as String) else { continue }
                let quote: String? = row[6]
                incidents[current!.index].events.append(Event(
                    id: row[7], type: type, at: at, until: (row[3] as String?).flatMap(EventTime.init), party: row[4],
                    summary: row[5], statement: quote.map { Quotation(quote: $0) }))
            }
            return MeasurementSet(incidents: incidents, parties: try Self.partyIndex(db))
        }
    }

    /// Every party by id, without aliases: names, kinds, chains, sectors.
    public func partyIndex() throws -> [String: Party] {
        try writer.read { try Self.partyIndex($0) }
    }

    static func partyIndex(_ db: Database) throws -> [String: Party] {
        var parties: [String: Party] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, name, kind, parent_id, affiliation_id, sector, country FROM party")
        while let row = try rows.next() {
            let id: String = row[0]
            parties[id] = Party(id: id, name: row[1], kind: PartyKind(rawValue: row[2]) ?? .organization,
                                parent: row[3], affiliation: row[4], country: row[6], sector: row[5])
        }
        return parties
    }
}
