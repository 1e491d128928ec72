import Foundation
import LapseCore

/// A notification rule's verdict on an incident as every machine-readable output gives it:
/// `lapse deadlines` (JSON, CSV) and the incident report (JSON). See Docs/json-contract.md.
public struct DeadlineRow: Sendable, Hashable, Encodable {
    public var incident: String
    public var rule: String
    public var instrument: String
    public var notify: String
    public var status: String
    public var wouldBe: String?
    /// The rule's fixed deadline (`72h`, `30d`...), or nil when it sets a standard in words.
    public var deadline: String?
    public var standard: String?
    public var clockStartType: String?
    public var clockStart: String?
    /// When the notice was due: a date for day clocks, a UTC instant for hour clocks; the
    /// earliest reading when partial dates give a range.
    public var due: String?
    /// The latest reading of `due`, when it is a range.
    public var dueLatest: String?
    public var satisfiedByType: String?
    public var satisfiedBy: String?
    public var lateByHours: Double?
    public var lateByHoursMax: Double?
    public var lateByDays: Int?
    public var lateByDaysMax: Int?
    public var hoursLeft: Double?
    public var daysLeft: Int?
    public var confidence: String
    public var source: String
    public var notes: [String]
    /// Lateness or time left as a reader wants it: `late 81.5 h`, `late 3…5 d`, `12 d left`. Not encoded.
    public var margin: String

    public init(incident: String, result r: DeadlineResult) {
        self.incident = incident
        rule = r.rule.id
        instrument = r.rule.instrument
        notify = r.rule.notify
        status = r.status.rawValue
        wouldBe = r.wouldBe?.rawValue
        deadline = r.duration?.description
        standard = r.standard
        clockStartType = r.clockStart?.type.rawValue
        clockStart = r.clockStart?.at.description
        due = r.due?.lowerText
        dueLatest = r.due.flatMap { $0.isExact ? nil : $0.upperText }
        satisfiedByType = r.satisfiedBy?.type.rawValue
        satisfiedBy = r.satisfiedBy?.at.description
        lateByHours = r.lateByHours
        lateByHoursMax = r.lateBy.flatMap { $0.isExact ? nil : r.lateByHoursMax }
        lateByDays = r.lateByDays
        lateByDaysMax = r.lateBy.flatMap { $0.isExact ? nil : r.lateByDaysMax }
        hoursLeft = r.status == .open ? r.hoursLeft : nil
        daysLeft = r.status == .open ? r.daysLeft : nil
        confidence = r.rule.confidence.rawValue
        source = r.rule.source.url
        notes = r.notes
        margin = marginText(r)
    }

    enum CodingKeys: String, CodingKey {
        case incident, rule, instrument, notify, status, wouldBe = "would_be", deadline, standard
        case clockStartType = "clock_start_type", clockStart = "clock_start", due, dueLatest = "due_latest"
        case satisfiedByType = "satisfied_by_type", satisfiedBy = "satisfied_by"
        case lateByHours = "late_by_hours", lateByHoursMax = "late_by_hours_max"
        case lateByDays = "late_by_days", lateByDaysMax = "late_by_days_max"
        case hoursLeft = "hours_left", daysLeft = "days_left", confidence, source, notes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // Absent values are written as null, so every object has every key.
        try c.encode(incident, forKey: .incident)
        try c.encode(rule, forKey: .rule)
        try c.encode(instrument, forKey: .instrument)
        try c.encode(notify, forKey: .notify)
        try c.encode(status, forKey: .status)
        try c.encode(wouldBe, forKey: .wouldBe)
        try c.encode(deadline, forKey: .deadline)
        try c.encode(standard, forKey: .standard)
        try c.encode(clockStartType, forKey: .clockStartType)
        try c.encode(clockStart, forKey: .clockStart)
        try c.encode(due, forKey: .due)
        try c.encode(dueLatest, forKey: .dueLatest)
        try c.encode(satisfiedByType, forKey: .satisfiedByType)
        try c.encode(satisfiedBy, forKey: .satisfiedBy)
        try c.encode(lateByHours, forKey: .lateByHours)
        try c.encode(lateByHoursMax, forKey: .lateByHoursMax)
        try c.encode(lateByDays, forKey: .lateByDays)
        try c.encode(lateByDaysMax, forKey: .lateByDaysMax)
        try c.encode(hoursLeft, forKey: .hoursLeft)
        try c.encode(daysLeft, forKey: .daysLeft)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(source, forKey: .source)
        try c.encode(notes, forKey: .notes)
    }

    /// The CSV header, in the order of `cells`.
    public static let columns = ["incident", "rule", "status", "would_be", "deadline", "clock_start_type", "clock_start", "due", "due_latest",
                                 "satisfied_by_type", "satisfied_by", "late_by_hours", "late_by_hours_max", "late_by_days", "late_by_days_max",
                                 "hours_left", "days_left", "standard", "confidence", "source", "notes"]
    /// The positions of the numeric columns.
    public static let numericColumns: Set<Int> = [11, 12, 13, 14, 15, 16]

    /// The row's values as text, in the order of `columns` (not escaped).
    public var cells: [String] {
        [incident, rule, status, wouldBe ?? "", deadline ?? "", clockStartType ?? "", clockStart ?? "", due ?? "", dueLatest ?? "",
         satisfiedByType ?? "", satisfiedBy ?? "", lateByHours.map { formatDecimal($0) } ?? "", lateByHoursMax.map { formatDecimal($0) } ?? "",
         lateByDays.map(String.init) ?? "", lateByDaysMax.map(String.init) ?? "", hoursLeft.map { formatDecimal($0) } ?? "",
         daysLeft.map(String.init) ?? "", standard ?? "", confidence, source, notes.joined(separator: "; ")]
    }

    /// What a person reads in each cell: the verdict with its would-be status, the deadline or
    /// standard, the clock's start, the due range, the satisfying event, the margin.
    public var verdictText: String { wouldBe.map { "\(status) (would be \($0))" } ?? status }
    /// The verdict as it reads without colour, for reports: `✓ met`, `✗ missed`, `? unknown`,
    /// `– not in force (would be ✗ missed)`.
    public var statusText: String {
        LapseReports.statusText(status) + (wouldBe.map { " (would be \(LapseReports.statusText($0)))" } ?? "")
    }
    public var deadlineText: String { deadline ?? standard ?? "" }
    public var clockStartText: String { [clockStartType.map(EventType.label), clockStart].compactMap { $0 }.joined(separator: " ") }
    public var dueText: String { [due, dueLatest].compactMap { $0 }.joined(separator: " … ") }
    public var satisfiedByText: String { [satisfiedByType.map(EventType.label), satisfiedBy].compactMap { $0 }.joined(separator: " ") }
}
