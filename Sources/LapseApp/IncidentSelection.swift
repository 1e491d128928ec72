import Foundation
import LapseCore

/// Which incidents a measuring use case looks at: the query model (`IncidentFilter`: named ids,
/// a company with its subsidiaries, kinds, sectors, jurisdictions, records, a date range on the
/// first event or on an event type).
public struct IncidentSelection: Sendable {
    public var filter: IncidentFilter

    public init(_ filter: IncidentFilter = IncidentFilter()) { self.filter = filter }

    public init(ids: [String] = [], company: String? = nil, since: Int? = nil, before: Int? = nil) {
        filter = IncidentFilter(ids: ids, company: company, since: since, before: before)
    }

    public var ids: [String] { filter.ids }

    /// Loads the selection for measuring, failing on a named incident that is not stored.
    func load(from store: any IncidentReading, withText: Bool = false) throws -> MeasurementSet {
        let set = try store.measurementSet(selectedBy: filter, withText: withText)
        if !ids.isEmpty {
            let found = Set(set.incidents.map(\.id))
            if let missing = ids.first(where: { !found.contains($0) }) {
                // Named but filtered out is not "unknown": only ids the store lacks are.
                if try store.incident(withID: missing) == nil { throw StoreLookupError.noIncident(missing) }
            }
        }
        return set
    }
}

/// How a listing is ordered and cut: `--sort KEY`, `--desc`, `--limit N`.
public struct ListingOrder: Sendable {
    public var key: String?
    public var descending: Bool
    public var limit: Int?

    public init(key: String? = nil, descending: Bool = false, limit: Int? = nil) {
        self.key = key
        self.descending = descending
        self.limit = limit
    }

    /// True when the listing keeps its natural order and length.
    public var isNatural: Bool { key == nil && !descending && limit == nil }

    /// Sorts by the key's value (rows without one last, whatever the direction; ties keep their
    /// order) and keeps the first `limit`.
    func apply<Row>(_ rows: [Row], value: (Row) -> SortValue?) -> [Row] {
        var keyed = rows.enumerated().map { (offset: $0.offset, row: $0.element, value: value($0.element)) }
        if key != nil || descending {
            keyed.sort { a, b in
                switch (a.value, b.value) {
                case (nil, nil): return a.offset < b.offset
                case (nil, _): return false
                case (_, nil): return true
                case let (x?, y?):
                    if x == y { return a.offset < b.offset }
                    return descending ? y < x : x < y
                }
            }
        }
        let sorted = keyed.map(\.row)
        return limit.map { Array(sorted.prefix($0)) } ?? sorted
    }
}

/// A value a listing sorts by: a number or a text (compared ignoring case).
public enum SortValue: Comparable, Sendable {
    case number(Double)
    case text(String)

    public static func < (a: SortValue, b: SortValue) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): x < y
        case let (.text(x), .text(y)): x.compare(y, options: [.caseInsensitive, .numeric]) == .orderedAscending
        case (.number, .text): true
        case (.text, .number): false
        }
    }

    public static func == (a: SortValue, b: SortValue) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): x == y
        case let (.text(x), .text(y)): x.compare(y, options: [.caseInsensitive, .numeric]) == .orderedSame
        default: false
        }
    }
}

/// A sort key a listing does not have.
public struct UnknownSortKey: Error, Sendable, CustomStringConvertible {
    public var key: String
    public var allowed: [String]

    public var description: String {
        "--sort: unknown key \"\(key)\"; expected one of \(allowed.joined(separator: ", "))"
    }
}
