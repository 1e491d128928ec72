import Foundation

/// Order statistics of delays in one group, in days. A delay known only as a range
/// (386–416 d) counts as its midpoint (401 d); `ranges` says how many did.
public struct DelaySummary: Sendable, Hashable, Codable {
    public var group: String
    public var metric: String
    public var count: Int
    public var median: Double
    public var p25: Double
    public var p75: Double
    public var p90: Double
    public var min: Double
    public var max: Double
    /// How many of the delays were ranges, counted as their midpoint.
    public var ranges: Int
    /// How many were negative (the to-event before the from-event).
    public var negative: Int
    /// `days` or `hours` when the summary says its unit (`lapse stats`); days when absent.
    public var unit: DelayUnit?

    /// Summarizes delays (midpoints computed here); nil when there are none.
    public init?(group: String, metric: String, delays: [DayDelay]) {
        var values = SummaryValues()
        for d in delays { values.add(d) }
        self.init(group: group, metric: metric, values: values, unit: nil)
    }

    /// Summarizes delays measured in a unit: exact elapsed time where both ends carry a time of
    /// day (a 49-minute outage is 0.82 hours or 0.03 days, not 0 days), else the midpoint of the
    /// calendar days. Nil when there are none.
    public init?(group: String, metric: String, delays: [Delay], unit: DelayUnit) {
        var values = SummaryValues()
        for d in delays { values.add(d) }
        self.init(group: group, metric: metric, values: values, unit: unit)
    }

    /// Summarizes values gathered one delay at a time, in days, or in hours for `unit` `.hours`;
    /// the summary says its unit when `unit` is given. Nil when there are none.
    public init?(group: String, metric: String, values: SummaryValues, unit: DelayUnit?) {
        guard !values.days.isEmpty else { return nil }
        let days = unit == .hours ? values.days.map { $0 * 24.0 } : values.days
        self.init(group: group, metric: metric, values: days, ranges: values.ranges, negative: values.negative)
        self.unit = unit
    }

    /// Summarizes values already in one unit.
    init(group: String, metric: String, values unsorted: [Double], ranges: Int, negative: Int) {
        let values = unsorted.sorted()
        self.group = group
        self.metric = metric
        count = values.count
        median = Self.quantile(values, 0.5)
        p25 = Self.quantile(values, 0.25)
        p75 = Self.quantile(values, 0.75)
        p90 = Self.quantile(values, 0.9)
        min = values[0]
        max = values[values.count - 1]
        self.ranges = ranges
        self.negative = negative
    }

    /// The median of a metric's delays in days (exact where known), to choose a unit.
    public static func unit(for delays: [Delay]) -> DelayUnit {
        var values = SummaryValues()
        for d in delays { values.add(d) }
        return unit(for: values)
    }

    /// Hours for values whose median is under three days, else days.
    public static func unit(for values: SummaryValues) -> DelayUnit {
        guard let summary = DelaySummary(group: "", metric: "", values: values, unit: .days) else { return .days }
        return summary.median < 3 ? .hours : .days
    }

    /// The q-quantile of sorted values by linear interpolation between closest ranks
    /// (Hyndman and Fan's type 7, the default of R, NumPy and spreadsheets).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty)
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down))
        let hi = Swift.min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}

/// The numbers a summary is made of, gathered one delay at a time: statistics over a million
/// incidents keep one number per delay, not the delays or the incidents.
public struct SummaryValues: Sendable, Hashable {
    /// Each delay in days: exact elapsed time where known (`add(_: Delay)`), else the midpoint of
    /// the calendar days.
    public private(set) var days: [Double] = []
    /// How many were ranges, counted as their midpoint.
    public private(set) var ranges = 0
    /// How many were negative.
    public private(set) var negative = 0

    public init() {}

    /// A delay: its exact elapsed time where both ends carry a time of day, else its midpoint.
    public mutating func add(_ d: Delay) {
        days.append(d.seconds.map { Double($0) / 86_400 } ?? Double(d.days.min + d.days.max) / 2)
        if !d.days.isExact { ranges += 1 }
        if (d.seconds ?? d.days.max) < 0 { negative += 1 }
    }

    /// A delay in calendar days, as its midpoint.
    public mutating func add(_ d: DayDelay) {
        days.append(Double(d.min + d.max) / 2)
        if !d.isExact { ranges += 1 }
        if d.max < 0 { negative += 1 }
    }

    /// Adds the values of another group.
    public mutating func add(_ other: SummaryValues) {
        days += other.days
        ranges += other.ranges
        negative += other.negative
    }
}

/// The unit statistics are given in.
public enum DelayUnit: String, Vocabulary {
    case days, hours
    public static let vocabularyName = "unit"
}
