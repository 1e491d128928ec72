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
        guard !delays.isEmpty else { return nil }
        self.init(group: group, metric: metric, values: delays.map { Double($0.min + $0.max) / 2 },
                  ranges: delays.count { !$0.isExact }, negative: delays.count { $0.max < 0 })
    }

    /// Summarizes delays measured in a unit: exact elapsed time where both ends carry a time of
    /// day (a 49-minute outage is 0.82 hours or 0.03 days, not 0 days), else the midpoint of the
    /// calendar days. Nil when there are none.
    public init?(group: String, metric: String, delays: [Delay], unit: DelayUnit) {
        guard !delays.isEmpty else { return nil }
        let perDay = unit == .hours ? 24.0 : 1.0
        let values = delays.map { d in d.seconds.map { Double($0) / 86_400 * perDay } ?? Double(d.days.min + d.days.max) / 2 * perDay }
        self.init(group: group, metric: metric, values: values, ranges: delays.count { !$0.days.isExact },
                  negative: delays.count { ($0.seconds ?? $0.days.max) < 0 })
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
        guard let summary = DelaySummary(group: "", metric: "", delays: delays, unit: .days) else { return .days }
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

/// The unit statistics are given in.
public enum DelayUnit: String, Vocabulary {
    case days, hours
    public static let vocabularyName = "unit"
}
