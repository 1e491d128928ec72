import Foundation
import LapseCore

/// One delay of one incident as every machine-readable output gives it: `lapse delays`
/// (JSON, CSV) and the reports (JSON, CSV). See Docs/json-contract.md.
public struct DelayRow: Sendable, Hashable, Encodable {
    public var incident: String
    public var organization: String
    public var metric: String
    public var fromType: String?
    public var from: String?
    public var toType: String?
    public var to: String?
    public var daysMin: Int?
    public var daysMax: Int?
    /// Exact hours rounded to 0.01, when both ends carry a time of day.
    public var hours: Double?
    /// `negative`, `approximate`, `uncertain`, `range`, or `missing` for an unmeasured delay.
    public var flags: [String]
    /// Exact elapsed seconds, for `span`. Not encoded (`hours` is).
    public var seconds: Int?

    /// A measured delay.
    public init(_ d: Delay, incident: String, organization: String) {
        self.incident = incident
        self.organization = organization
        metric = d.metric
        fromType = d.fromEvent.type.rawValue
        from = d.fromEvent.at.description
        toType = d.toEvent.type.rawValue
        to = d.toEvent.at.description
        daysMin = d.days.min
        daysMax = d.days.max
        hours = d.roundedHours
        flags = d.flags.names
        seconds = d.seconds
    }

    /// A measured delay, or one lacking an end (its days empty, flagged `missing`).
    public init(_ outcome: DelayOutcome, incident: String, organization: String) {
        switch outcome {
        case .measured(let d):
            self.init(d, incident: incident, organization: organization)
        case .missing(let metric, let f, let t):
            self.init(incident: incident, organization: organization, metric: metric,
                      fromType: f?.type.rawValue, from: f?.at.description, toType: t?.type.rawValue, to: t?.at.description)
        }
    }

    private init(incident: String, organization: String, metric: String, fromType: String?, from: String?, toType: String?, to: String?) {
        self.incident = incident
        self.organization = organization
        self.metric = metric
        self.fromType = fromType
        self.from = from
        self.toType = toType
        self.to = to
        flags = ["missing"]
    }

    /// The delay in days, when measured.
    public var days: DayDelay? {
        guard let daysMin, let daysMax else { return nil }
        return DayDelay(min: daysMin, max: daysMax)
    }

    /// How a reader wants it: `11 d`, `386–416 d`, `4 h 13 min`; empty when missing.
    public var span: String { days.map { spanText(days: $0, seconds: seconds) } ?? "" }

    var midpoint: Double { days.map { Double($0.min + $0.max) / 2 } ?? 0 }

    enum CodingKeys: String, CodingKey {
        case incident, organization, metric, fromType = "from_type", from, toType = "to_type", to
        case daysMin = "days_min", daysMax = "days_max", hours, flags
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(incident, forKey: .incident)
        try c.encode(organization, forKey: .organization)
        try c.encode(metric, forKey: .metric)
        // Absent values are written as null, so every row has every key.
        try c.encode(fromType, forKey: .fromType)
        try c.encode(from, forKey: .from)
        try c.encode(toType, forKey: .toType)
        try c.encode(to, forKey: .to)
        try c.encode(daysMin, forKey: .daysMin)
        try c.encode(daysMax, forKey: .daysMax)
        try c.encode(hours, forKey: .hours)
        try c.encode(flags, forKey: .flags)
    }

    /// The CSV header, in the order of `cells`.
    public static let columns = ["incident", "organization", "metric", "from_type", "from", "to_type", "to", "days_min", "days_max", "hours", "flags"]
    /// The positions of the numeric columns.
    public static let numericColumns: Set<Int> = [7, 8, 9]

    /// The row's values as text, in the order of `columns` (not escaped).
    public var cells: [String] {
        [incident, organization, metric, fromType ?? "", from ?? "", toType ?? "", to ?? "",
         daysMin.map(String.init) ?? "", daysMax.map(String.init) ?? "", hours.map { formatDecimal($0) } ?? "", flags.joined(separator: ";")]
    }
}
