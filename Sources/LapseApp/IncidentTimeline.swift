import Foundation
import LapseCore

/// Reads one incident's timeline.
public struct TimelineQuery: Sendable {
    let store: any IncidentReading

    public init(store: any IncidentReading) { self.store = store }

    /// The incident's timeline with its parties' names and its measured delays;
    /// `StoreLookupError` when there is no such incident.
    public func timeline(of id: String) throws -> IncidentTimeline {
        guard let incident = try store.incident(withID: id) else { throw StoreLookupError.noIncident(id) }
        return IncidentTimeline(incident, parties: try store.parties(ofKind: nil))
    }
}

/// One incident in time order: each event with its offset from the first, the parties named,
/// and the named delays that can be measured. Encoded as the `show` resource.
public struct IncidentTimeline: Sendable, Encodable {
    public let incident: Incident
    public let timeline: Timeline
    /// The parties by id (the first of a repeated id wins).
    public let parties: [String: Party]
    /// The named delays that could be measured, in the order of `DelayMetric`.
    public let delays: [Delay]

    public init(_ incident: Incident, parties: [Party]) {
        self.incident = incident
        timeline = Timeline(incident)
        self.parties = Dictionary(parties.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        delays = DelayEngine().delays(for: incident).compactMap(\.delay)
    }

    /// A party's name, or its id when it is not stored.
    public func name(of party: String) -> String { parties[party]?.name ?? party }

    /// The events flattened for machines, in time order.
    public var rows: [TimelineRow] {
        let ids = eventIDs
        return timeline.entries.map { TimelineRow(entry: $0, id: ids[$0.inputIndex], partyName: $0.event.party.flatMap { parties[$0]?.name }) }
    }

    /// Every event's id (given or derived: `EventIDs`), in recorded order.
    public var eventIDs: [String] { EventIDs.effective(for: incident) }

    enum CodingKeys: String, CodingKey { case incident, timeline }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(EventIDs.materialized(incident), forKey: .incident)
        try c.encode(rows, forKey: .timeline)
    }
}

/// One event of a timeline, flattened for machines.
public struct TimelineRow: Sendable, Hashable, Encodable {
    /// The event's id, given or derived (`EventIDs`).
    public var id: String
    public var at: String
    public var until: String?
    public var offsetDaysMin: Int
    public var offsetDaysMax: Int
    public var type: String
    public var party: String?
    public var partyName: String?
    public var summary: String?
    public var quote: String?
    public var sources: [String]

    public init(entry: Timeline.Entry, id: String, partyName: String?) {
        self.id = id
        at = entry.event.at.description
        until = entry.event.until?.description
        offsetDaysMin = entry.offset.min
        offsetDaysMax = entry.offset.max
        type = entry.event.type.rawValue
        party = entry.event.party
        self.partyName = partyName
        summary = entry.event.summary
        quote = entry.event.statement?.quote
        sources = entry.event.sources.map(\.url)
    }

    enum CodingKeys: String, CodingKey {
        case id, at, until, offsetDaysMin = "offset_days_min", offsetDaysMax = "offset_days_max", type, party
        case partyName = "party_name", summary, quote, sources
    }

    /// The CSV header, in the order of `cells`.
    public static let columns = ["id", "at", "until", "offset_days_min", "offset_days_max", "type", "party", "summary", "quote", "sources"]
    /// The positions of the numeric columns.
    public static let numericColumns: Set<Int> = [3, 4]

    /// The row's values as text, in the order of `columns` (the party's name where known).
    public var cells: [String] {
        [id, at, until ?? "", String(offsetDaysMin), String(offsetDaysMax), type, partyName ?? party ?? "", summary ?? "", quote ?? "",
         sources.joined(separator: " ")]
    }
}
