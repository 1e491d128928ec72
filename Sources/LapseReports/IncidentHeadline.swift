import Foundation
import LapseCore

/// The finding a newsroom would lead with, in words built from the measured delays:
/// "Sony told the public 9 days after the intrusion began."
struct IncidentHeadline {
    /// The lead sentence, from the first measured delay in `DelayMetric.headlineOrder`.
    let lead: String?
    /// Up to two more delays, as shorter sentences.
    let more: [String]

    init(organization: String, delays: [Delay]) {
        let ordered = DelayMetric.headlineOrder.compactMap { m in delays.first { $0.metric == m.rawValue } }
        let sentences = ordered.map { Self.sentence(subject: organization, $0) }
        lead = sentences.first
        more = ordered.dropFirst().prefix(2).map { Self.sentence(subject: "It", $0) }
    }

    static func sentence(subject: String, _ d: Delay) -> String {
        if d.metric == DelayMetric.outageDuration.rawValue {
            return "\(subject == "It" ? "The" : subject + "'s") outage lasted \(words(d, signed: false))."
        }
        let negative = d.days.max < 0 || (d.seconds ?? 0) < 0
        let moment = d.fromEvent.type.headlineMoment
        return "\(subject) \(d.toEvent.type.headlineAction) \(words(d, signed: false)) \(negative ? "before" : "after") \(moment)."
    }

    /// A delay in words: "11 days", "4 hours 13 minutes", "between 386 and 416 days", "about 5 months".
    static func words(_ d: Delay, signed: Bool) -> String {
        if let s = d.seconds, abs(s) < 3 * 86_400 {
            let m = abs(s) / 60
            if m < 60 { return plural(m, "minute") }
            return m % 60 == 0 ? plural(m / 60, "hour") : plural(m / 60, "hour") + " " + plural(m % 60, "minute")
        }
        let lo = min(abs(d.days.min), abs(d.days.max)), hi = max(abs(d.days.min), abs(d.days.max))
        if hi <= 90 { return lo == hi ? plural(lo, "day") : "between \(lo) and \(hi) days" }
        let mid = Double(lo + hi) / 2
        let about = mid < 730 ? "about " + plural(Int((mid / 30.44).rounded()), "month") : "about \(formatDecimal(mid / 365.25, places: 1)) years"
        return lo == hi ? "\(lo) days (\(about))" : about
    }

    static func plural(_ n: Int, _ unit: String) -> String { "\(n) \(unit)\(n == 1 ? "" : "s")" }
}
