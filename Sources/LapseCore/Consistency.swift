import Foundation

/// One problem `lapse check` found in an incident's timeline.
public struct Finding: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case info, warning, error
        public static func < (a: Self, b: Self) -> Bool {
            [Self.info, .warning, .error].firstIndex(of: a)! < [Self.info, .warning, .error].firstIndex(of: b)!
        }
    }

    public var incident: String
    public var severity: Severity
    /// A stable name for the kind of finding: `order`, `missing-milestone`, `negative-delay`, ...
    public var code: String
    public var message: String
}

/// Consistency checks on one incident's timeline: impossible orders, milestones a delay needs,
/// negative delays, duplicate events, and an organization that never acts.
public enum ConsistencyChecker {
    /// Pairs that cannot happen in this order: (earlier type, later type, why).
    static let orderRules: [(EventType, EventType, String)] = [
        (.detection, .disclosure, "a breach is disclosed after it is detected"),
        (.outageStart, .outageEnd, "an outage ends after it starts"),
        (.outageStart, .restoration, "service is restored after the outage starts"),
        (.intrusion, .detection, "an intrusion is detected after it happens"),
        (.intrusion, .containment, "an intrusion is contained after it happens"),
        (.intrusion, .disclosure, "an intrusion is disclosed after it happens"),
        (.detection, .regulatorNotification, "a regulator is notified after detection"),
        (.detection, .customerNotification, "customers are notified after detection"),
    ]

    /// The findings for an incident; `partyOrganization` gives a person's or subsidiary's
    /// organization chain so people of the company count as the company acting.
    public static func check(_ incident: Incident, engine: DelayEngine, actsFor: (String) -> Set<String> = { [$0] }) -> [Finding] {
        var findings: [Finding] = []
        func add(_ severity: Finding.Severity, _ code: String, _ message: String) {
            findings.append(Finding(incident: incident.id, severity: severity, code: code, message: message))
        }
        let zone = engine.zone(of: incident)
        let earliest = { (type: EventType) in engine.pick(Endpoint(.earliestOf, [type]), in: incident.events, zone: zone) }
        // Impossible orders: the earliest of the later type ends before the earliest of the earlier type begins.
        for (first, then, why) in orderRules {
            guard let a = earliest(first), let b = earliest(then) else { continue }
            if b.placement.lastDay < a.placement.firstDay
                || (b.placement.lastDay == a.placement.firstDay && incident.events[a.index].at.hasTimeOfDay
                    && incident.events[b.index].at.hasTimeOfDay && b.placement.localStart < a.placement.localStart) {
                add(.error, "order", "\(then.rawValue) \(incident.events[b.index].at) comes before \(first.rawValue) \(incident.events[a.index].at), but \(why)")
            }
        }
        // Milestones a named delay needs: a later event implies an earlier one the timeline lacks
        // (a disclosure implies a detection; an outage's end, its start). A missing later end
        // (no apology yet) is news, not an inconsistency; nor is an unknown intrusion date.
        var needs: [(needed: String, present: EventRef, metrics: [String])] = []
        for metric in [DelayMetric.timeToDisclose, .timeToNotifyRegulator, .timeToNotifyCustomers, .outageDuration] {
            guard case .missing(_, nil, let to?) = engine.measure(metric.definition, in: incident, zone: zone) else { continue }
            let needed = metric.definition.from.types.map(\.rawValue).joined(separator: " or ")
            if let i = needs.firstIndex(where: { $0.needed == needed }) {
                needs[i].metrics.append(metric.rawValue)
            } else {
                needs.append((needed, to, [metric.rawValue]))
            }
        }
        for need in needs {
            add(.warning, "missing-milestone", "the timeline has \(need.present.type.rawValue) \(need.present.at) but no \(need.needed), so \(need.metrics.joined(separator: ", ")) cannot be measured")
        }
        // Negative delays.
        for outcome in engine.delays(for: incident) {
            if let d = outcome.delay, d.flags.contains(.negative) {
                add(.warning, "negative-delay", "\(d.metric) is negative (\(d.days)): \(d.toEvent.type.rawValue) \(d.toEvent.at) comes before \(d.fromEvent.type.rawValue) \(d.fromEvent.at)")
            }
        }
        // Duplicate events: same type, time, party and summary.
        var seen: [String: Int] = [:]
        for (i, e) in incident.events.enumerated() {
            let key = [e.type.rawValue, e.at.description, e.until?.description ?? "", e.party ?? "", e.summary ?? "", e.statement?.quote ?? ""].joined(separator: "\u{1F}")
            if let first = seen[key] {
                add(.warning, "duplicate-event", "events[\(i)] (\(e.type.rawValue) \(e.at)) repeats events[\(first)]")
            } else {
                seen[key] = i
            }
        }
        // The organization named by the incident, but never acting in it (itself, its people or subsidiaries).
        if !incident.events.isEmpty {
            let acting = incident.events.compactMap(\.party).reduce(into: Set<String>()) { $0.formUnion(actsFor($1)) }
            if !acting.contains(incident.organization) {
                add(.info, "never-acting", "the organization \(incident.organization) is named by the incident but acts in none of its events (no event has it, its people or its subsidiaries as party)")
            }
        }
        return findings
    }
}
