import Foundation

/// A span of whole calendar days between two events, as a range when the dates are partial.
public struct DayDelay: Sendable, Hashable, CustomStringConvertible {
    public let min: Int
    public let max: Int

    public init(min: Int, max: Int) {
        self.min = min
        self.max = max
    }

    /// The day difference between two EventTimes, over every pair of days they cover
    /// (data contract, section 4): `2016-10` → `2017-11-21` is 386...416.
    public init(from: EventTime, to: EventTime, in zone: TimeZone) {
        self.init(from: from.dayRange(in: zone), to: to.dayRange(in: zone))
    }

    public init(from: ClosedRange<Int>, to: ClosedRange<Int>) {
        min = to.lowerBound - from.upperBound
        max = to.upperBound - from.lowerBound
    }

    public var isExact: Bool { min == max }

    /// `11 d`, or `386–416 d` for a range.
    public var description: String { isExact ? "\(min) d" : "\(min)–\(max) d" }

    /// `+11 d` as an offset from an earlier point.
    public var signed: String {
        func s(_ v: Int) -> String { v < 0 ? "−\(-v)" : "+\(v)" }
        return isExact ? "\(s(min)) d" : "\(s(min))…\(s(max)) d"
    }
}

/// An incident's events in time order, each placed relative to the first.
public struct Timeline: Sendable {
    /// One event in its place on the timeline.
    public struct Entry: Sendable {
        public let event: Event
        /// Position of the event in the incident as written (0-based).
        public let inputIndex: Int
        /// First local second the event's time covers, in the incident's zone.
        public let localStart: Int
        /// Calendar days the event's time covers.
        public let days: ClosedRange<Int>
        /// Days from the first event of the timeline.
        public let offset: DayDelay
    }

    public let incident: Incident
    public let entries: [Entry]
    /// The day offsets count from: the first event dated at least to the day (so that a
    /// month-precise first event does not turn every offset into a range), else the first event.
    public let origin: ClosedRange<Int>

    public init(_ incident: Incident) {
        self.incident = incident
        let zone = incident.zone
        let placed = incident.events.enumerated().map { i, e in
            let p = e.at.placement(in: zone)
            return (event: e, index: i, first: p.localStart, days: p.days)
        }
        let sorted = placed.sorted { Self.precedes(($0.first, $0.event.at.precision, $0.index), ($1.first, $1.event.at.precision, $1.index)) }
        let origin = sorted.first { $0.event.at.precision >= .day }?.days ?? sorted.first?.days ?? 0...0
        self.origin = origin
        entries = sorted.map {
            Entry(event: $0.event, inputIndex: $0.index, localStart: $0.first, days: $0.days,
                  offset: DayDelay(from: origin, to: $0.days))
        }
    }

    /// The contract's "earliest" order, the one rule for timelines, delays and listings: first
    /// moment covered, then the more precise, then input order.
    static func precedes(_ a: (start: Int, precision: EventTime.Precision, index: Int),
                         _ b: (start: Int, precision: EventTime.Precision, index: Int)) -> Bool {
        if a.start != b.start { return a.start < b.start }
        if a.precision != b.precision { return a.precision > b.precision }
        return a.index < b.index
    }

    /// The index of the earliest event by the same rule, without sorting them all.
    public static func earliestIndex(of events: [Event], zone: TimeZone) -> Int? {
        var best: (start: Int, precision: EventTime.Precision, index: Int)?
        for (i, event) in events.enumerated() {
            let candidate = (event.at.placement(in: zone).localStart, event.at.precision, i)
            if best == nil || precedes(candidate, best!) { best = candidate }
        }
        return best?.index
    }

    /// Where in the timeline the event written at `inputIndex` falls (0-based), if it exists.
    public func position(ofInputIndex inputIndex: Int) -> Int? {
        entries.firstIndex { $0.inputIndex == inputIndex }
    }
}
