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

    /// Reads the selected incidents in id order, a bounded batch at a time inside one read
    /// transaction, and hands each to `body` with the parties its batch needs (those the
    /// incidents name and their parents and affiliations, among at most `partiesKept` read so
    /// far): memory stays flat in the number of incidents and parties. Fails before reading on a named incident that is not
    /// stored. The incidents are read for measuring (`forEachMeasurementBatch`): a store may leave
    /// out sources, and event summaries and statements unless `withText`. Returns how many
    /// incidents were read.
    @discardableResult
    func forEachIncident(in store: any MeasuringStore, withText: Bool = false,
                         _ body: (Incident, _ parties: [String: Party]) throws -> Void) throws -> Int {
        if !ids.isEmpty {
            let found = Set(try store.incidentSummaries(selectedBy: IncidentFilter(ids: ids)).map(\.id))
            if let missing = ids.first(where: { !found.contains($0) }) { throw StoreLookupError.noIncident(missing) }
        }
        return try store.withExportReader(selectedBy: filter.isEmpty ? nil : filter) { reader in
            var count = 0
            var parties: [String: Party] = [:]
            try reader.forEachMeasurementBatch(withText: withText) { batch in
                try Self.addParties(of: batch, from: reader, to: &parties)
                for incident in batch { try body(incident, parties) }
                count += batch.count
            }
            return count
        }
    }

    /// How many parties measuring keeps between batches: most batches find theirs already read,
    /// and memory stays bounded however many parties the store holds.
    static let partiesKept = 32_768

    /// Adds the parties a batch of incidents names (organizations and the parties of events),
    /// with the parents and affiliations those name in turn, to those already read; when more
    /// than `partiesKept` are held, starts again from the batch's own.
    static func addParties(of batch: [Incident], from reader: any IncidentExportReader, to parties: inout [String: Party]) throws {
        let named = Set(batch.flatMap { [$0.organization] + $0.events.compactMap(\.party) })
        if parties.count > partiesKept { parties.removeAll(keepingCapacity: true) }
        var wanted = named.filter { parties[$0] == nil }
        while !wanted.isEmpty {
            let found = try reader.parties(ids: wanted.sorted())
            for party in found { parties[party.id] = party }
            wanted = Set(found.flatMap { [$0.parent, $0.affiliation].compactMap { $0 } }.filter { parties[$0] == nil })
        }
    }
}

/// What a measuring use case reads: summaries (to check named incidents) and the incidents in
/// key order, a batch at a time (`IncidentExporting`).
public typealias MeasuringStore = IncidentReading & IncidentExporting

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

    /// True when rows are sorted (by a key, or reversed).
    var sorts: Bool { key != nil || descending }

    /// Sorts by the key's value (rows without one last, whatever the direction; ties keep their
    /// order) and keeps the first `limit`.
    func apply<Row>(_ rows: [Row], value: (Row) -> SortValue?) -> [Row] {
        var kept = OrderedRows<Row>(self)
        for row in rows { kept.add(row, value: value(row)) }
        return kept.rows()
    }

    /// True when the row at `a` comes before the row at `b`: by value, rows without one last
    /// whatever the direction, ties in the order the rows came.
    fileprivate func precedes(_ a: (offset: Int, value: SortValue?), _ b: (offset: Int, value: SortValue?)) -> Bool {
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

/// The rows of a listing as they come, kept in a `ListingOrder`: all of them, or with a limit
/// only the first `limit` in that order so far (sorted and cut whenever the buffer doubles), so a
/// `--limit 10` over a million rows holds a few dozen.
struct OrderedRows<Row> {
    let order: ListingOrder
    private var keyed: [(offset: Int, row: Row, value: SortValue?)] = []
    private var count = 0

    init(_ order: ListingOrder) { self.order = order }

    mutating func add(_ row: Row, value: @autoclosure () -> SortValue?) {
        defer { count += 1 }
        if let limit = order.limit, !order.sorts {
            if keyed.count < limit { keyed.append((count, row, nil)) }
            return
        }
        keyed.append((count, row, order.sorts ? value() : nil))
        if let limit = order.limit, keyed.count >= max(2 * limit, 64) { cut(to: limit) }
    }

    private mutating func cut(to limit: Int?) {
        if order.sorts { keyed.sort { order.precedes(($0.offset, $0.value), ($1.offset, $1.value)) } }
        if let limit, keyed.count > limit { keyed.removeLast(keyed.count - limit) }
    }

    /// The rows kept, in order.
    mutating func rows() -> [Row] {
        cut(to: order.limit)
        return keyed.map(\.row)
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
