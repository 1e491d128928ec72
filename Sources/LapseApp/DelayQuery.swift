import Foundation
import LapseCore
import LapseReports

/// Measures disclosure delays: one row per incident and metric.
public struct DelayQuery: Sendable {
    let store: any MeasuringStore

    public init(store: any MeasuringStore) { self.store = store }

    /// Measures each definition on each selected incident and hands the rows over one by one,
    /// so a million delays never sit in memory: the incidents are read a batch at a time. Rows
    /// lacking an end only `includeMissing`. Returns how many incidents were selected.
    @discardableResult
    public func measure(_ selection: IncidentSelection, definitions: [DelayDefinition], includeMissing: Bool,
                        row: (DelayRow) throws -> Void) throws -> Int {
        let engine = DelayEngine(definitions: definitions)
        return try selection.forEachIncident(in: store) { incident, parties in
            let organization = parties[incident.organization]?.name ?? incident.organization
            for outcome in engine.delays(for: incident) where includeMissing || outcome.delay != nil {
                try row(DelayRow(outcome, incident: incident.id, organization: organization))
            }
        }
    }

    /// The keys `delays` sorts by.
    public static let sortKeys = ["days", "incident", "company", "metric", "from", "to"]

    /// Every row at once, with the number of incidents selected, in incident order or sorted
    /// and cut as `order` says (`days` sorts by exact hours where known, else the midpoint of the
    /// days). With a limit, only the best rows so far are held while the incidents are read.
    public func rows(_ selection: IncidentSelection, definitions: [DelayDefinition], includeMissing: Bool,
                     order: ListingOrder = ListingOrder()) throws -> (rows: [DelayRow], incidents: Int) {
        if let key = order.key, !Self.sortKeys.contains(key) { throw UnknownSortKey(key: key, allowed: Self.sortKeys) }
        var kept = OrderedRows<DelayRow>(order)
        let count = try measure(selection, definitions: definitions, includeMissing: includeMissing) { r in
            kept.add(r, value: Self.sortValue(r, key: order.key))
        }
        return (kept.rows(), count)
    }

    /// The rows in the order `order` says, handed over one by one: as they are measured when
    /// the listing keeps its natural order, or is only cut (the first `limit`); sorted, once
    /// every row is known, holding only the best `limit` with a limit, else every row. Returns
    /// how many incidents were selected.
    @discardableResult
    public func list(_ selection: IncidentSelection, definitions: [DelayDefinition], includeMissing: Bool,
                     order: ListingOrder = ListingOrder(), row: (DelayRow) throws -> Void) throws -> Int {
        if let key = order.key, !Self.sortKeys.contains(key) { throw UnknownSortKey(key: key, allowed: Self.sortKeys) }
        guard order.sorts else {
            var left = order.limit ?? .max
            return try measure(selection, definitions: definitions, includeMissing: includeMissing) { r in
                guard left > 0 else { return }
                left -= 1
                try row(r)
            }
        }
        let (rows, count) = try self.rows(selection, definitions: definitions, includeMissing: includeMissing, order: order)
        for r in rows { try row(r) }
        return count
    }

    static func sortValue(_ r: DelayRow, key: String?) -> SortValue? {
        switch key ?? "incident" {
        case "days":
            if let seconds = r.seconds { return .number(Double(seconds) / 86_400) }
            guard let lo = r.daysMin, let hi = r.daysMax else { return nil }
            return .number(Double(lo + hi) / 2)
        case "company": return .text(r.organization)
        case "metric": return .text(r.metric)
        case "from": return r.from.map { .text($0) }
        case "to": return r.to.map { .text($0) }
        default: return .text(r.incident)
        }
    }
}
