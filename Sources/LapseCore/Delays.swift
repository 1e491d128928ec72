import Foundation

/// Which event an end of a delay picks among an incident's events.
public enum EndpointRule: Sendable, Hashable {
    /// A priority list: the earliest event of the first type the incident has.
    case firstOf
    /// The earliest event among all events of the types.
    case earliestOf
}

/// One end of a delay: event types and how to choose among them.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var types: [EventType]
    public var rule: EndpointRule

    public init(_ rule: EndpointRule, _ types: [EventType]) {
        self.types = types
        self.rule = rule
    }

    public var description: String {
        (rule == .firstOf && types.count > 1 ? "first of " : types.count > 1 ? "earliest of " : "")
            + types.map(\.rawValue).joined(separator: ", ")
    }
}

/// A delay to measure: a name and its two ends.
public struct DelayDefinition: Sendable, Hashable {
    public var name: String
    public var from: Endpoint
    public var to: Endpoint

    public init(name: String, from: Endpoint, to: Endpoint) {
        self.name = name
        self.from = from
        self.to = to
    }

    /// `--from TYPE --to TYPE`: the earliest event of each.
    public static func pair(from: EventType, to: EventType) -> DelayDefinition {
        DelayDefinition(name: "\(from.rawValue)->\(to.rawValue)", from: Endpoint(.earliestOf, [from]), to: Endpoint(.earliestOf, [to]))
    }
}

/// The named metrics of the data contract (section 4).
public enum DelayMetric: String, Vocabulary {
    case timeToDetect = "time-to-detect"
    case timeToAcknowledge = "time-to-acknowledge"
    case timeToDisclose = "time-to-disclose"
    case timeInTheDark = "time-in-the-dark"
    case timeToApologize = "time-to-apologize"
    case timeToNotifyRegulator = "time-to-notify-regulator"
    case timeToNotifyCustomers = "time-to-notify-customers"
    case outageDuration = "outage-duration"
    public static let vocabularyName = "delay metric"

    public var definition: DelayDefinition {
        let (from, to): (Endpoint, Endpoint) = switch self {
        case .timeToDetect: (Endpoint(.firstOf, [.intrusion]), Endpoint(.earliestOf, [.detection]))
        case .timeToAcknowledge: (Endpoint(.firstOf, [.outageStart, .detection]), Endpoint(.earliestOf, [.acknowledgment, .disclosure, .apology]))
        case .timeToDisclose: (Endpoint(.firstOf, [.detection]), Endpoint(.earliestOf, [.disclosure]))
        case .timeInTheDark: (Endpoint(.firstOf, [.intrusion, .outageStart]), Endpoint(.earliestOf, [.disclosure, .customerNotification]))
        case .timeToApologize: (Endpoint(.firstOf, [.outageStart, .detection]), Endpoint(.earliestOf, [.apology]))
        case .timeToNotifyRegulator: (Endpoint(.firstOf, [.detection]), Endpoint(.earliestOf, [.regulatorNotification]))
        case .timeToNotifyCustomers: (Endpoint(.firstOf, [.detection]), Endpoint(.earliestOf, [.customerNotification]))
        case .outageDuration: (Endpoint(.firstOf, [.outageStart]), Endpoint(.firstOf, [.outageEnd, .restoration]))
        }
        return DelayDefinition(name: rawValue, from: from, to: to)
    }

    /// What the metric measures, in plain words.
    public var meaning: String {
        switch self {
        case .timeToDetect: "from the first intrusion to the company becoming aware"
        case .timeToAcknowledge: "from the outage (or detection) to the first public word"
        case .timeToDisclose: "from detection to public confirmation that data was compromised"
        case .timeInTheDark: "from the intrusion (or outage) to the public or customers being told"
        case .timeToApologize: "from the outage (or detection) to the first apology"
        case .timeToNotifyRegulator: "from detection to the first regulator notification"
        case .timeToNotifyCustomers: "from detection to the first customer notification"
        case .outageDuration: "from the outage's start to its end (or restoration)"
        }
    }
}

/// Warnings attached to a measured delay.
public struct DelayFlags: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The to-event comes before the from-event (days_max < 0).
    public static let negative = DelayFlags(rawValue: 1)
    /// An end is marked `~`.
    public static let approximate = DelayFlags(rawValue: 2)
    /// An end is marked `?`.
    public static let uncertain = DelayFlags(rawValue: 4)
    /// Partial dates: days_min < days_max.
    public static let range = DelayFlags(rawValue: 8)

    /// The flags as words: `negative;approximate`.
    public var names: [String] {
        [(DelayFlags.negative, "negative"), (.approximate, "approximate"), (.uncertain, "uncertain"), (.range, "range")]
            .filter { contains($0.0) }.map(\.1)
    }
}

/// An event picked from an incident (an end of a delay, a rule's clock start or its satisfying
/// submission): its position in the incident as recorded, its type and time.
public struct EventRef: Sendable, Hashable {
    /// Index of the event in the incident's events (as recorded).
    public var index: Int
    public var type: EventType
    public var at: EventTime

    init(_ index: Int, _ event: Event) {
        self.index = index
        type = event.type
        at = event.at
    }
}

/// One measured delay of one incident.
public struct Delay: Sendable, Hashable {
    public var metric: String
    public var fromEvent: EventRef
    public var toEvent: EventRef
    public var days: DayDelay
    /// Exact elapsed seconds, when both ends carry a time of day.
    public var seconds: Int?
    public var flags: DelayFlags

    /// Exact elapsed hours, when both ends carry a time of day.
    public var hours: Double? { seconds.map { Double($0) / 3600 } }
    /// Elapsed hours rounded to 0.01, as machine-readable outputs give them.
    public var roundedHours: Double? { seconds.map(roundedHours(seconds:)) }
}

/// Seconds as hours rounded to 0.01: the one rounding every delay and deadline output uses.
public func roundedHours(seconds: Int) -> Double { (Double(seconds) / 36).rounded() / 100 }

/// The result of measuring one delay: measured, or which end is missing.
public enum DelayOutcome: Sendable, Hashable {
    case measured(Delay)
    case missing(metric: String, from: EventRef?, to: EventRef?)

    public var delay: Delay? {
        if case .measured(let d) = self { return d }
        return nil
    }

    public var metric: String {
        switch self {
        case .measured(let d): d.metric
        case .missing(let m, _, _): m
        }
    }
}

/// Measures delays on incidents: pure, no database. Reuses its buffers from incident to
/// incident, so use one engine for a whole run (not shared between threads).
public final class DelayEngine {
    public let definitions: [DelayDefinition]

    public init(definitions: [DelayDefinition] = DelayMetric.allCases.map(\.definition)) {
        self.definitions = definitions
    }

    /// The incident's zone (`Zones` looks each name up once per process).
    public func zone(of incident: Incident) -> TimeZone { incident.zone }

    /// Placements of the current incident's events, reused from incident to incident so the
    /// engine allocates nothing per event.
    private var placements: [EventTime.Placement] = []

    /// One outcome per definition, in the order of the definitions.
    public func delays(for incident: Incident) -> [DelayOutcome] {
        let zone = zone(of: incident)
        place(incident.events, zone: zone)
        return definitions.map { outcome($0, in: incident) }
    }

    /// Measures one definition on one incident.
    public func measure(_ definition: DelayDefinition, in incident: Incident, zone: TimeZone) -> DelayOutcome {
        place(incident.events, zone: zone)
        return outcome(definition, in: incident)
    }

    private func place(_ events: [Event], zone: TimeZone) {
        placements.removeAll(keepingCapacity: true)
        for event in events { placements.append(event.at.placement(in: zone)) }
    }

    /// Measures a definition on the incident whose events were just placed.
    private func outcome(_ definition: DelayDefinition, in incident: Incident) -> DelayOutcome {
        let from = pick(definition.from, in: incident.events)
        let to = pick(definition.to, in: incident.events)
        guard let from, let to else {
            return .missing(metric: definition.name, from: from.map { EventRef($0, incident.events[$0]) },
                            to: to.map { EventRef($0, incident.events[$0]) })
        }
        return .measured(Self.delay(definition.name, from: EventRef(from, incident.events[from]), placements[from],
                                    to: EventRef(to, incident.events[to]), placements[to], zone: zone(of: incident)))
    }

    /// The delay between two events already placed in the zone.
    static func delay(_ name: String, from: EventRef, _ a: EventTime.Placement, to: EventRef, _ b: EventTime.Placement, zone: TimeZone) -> Delay {
        let days = DayDelay(from: a.days, to: b.days)
        var seconds: Int?
        if from.at.hasTimeOfDay && to.at.hasTimeOfDay {
            seconds = to.at.firstInstant(in: zone) - from.at.firstInstant(in: zone)
        }
        var flags: DelayFlags = []
        if days.max < 0 || (seconds ?? 0) < 0 { flags.insert(.negative) }
        if from.at.isApproximate || to.at.isApproximate { flags.insert(.approximate) }
        if from.at.isUncertain || to.at.isUncertain { flags.insert(.uncertain) }
        if !days.isExact { flags.insert(.range) }
        return Delay(metric: name, fromEvent: from, toEvent: to, days: days, seconds: seconds, flags: flags)
    }

    /// The event an endpoint picks among events placed in a zone: its index and placement, or nil.
    func pick(_ endpoint: Endpoint, in events: [Event], zone: TimeZone) -> (index: Int, placement: EventTime.Placement)? {
        place(events, zone: zone)
        return pick(endpoint, in: events).map { ($0, placements[$0]) }
    }

    /// The index of the event an endpoint picks among the events just placed.
    private func pick(_ endpoint: Endpoint, in events: [Event]) -> Int? {
        switch endpoint.rule {
        case .earliestOf:
            return earliest(in: events) { endpoint.types.contains($0) }
        case .firstOf:
            for type in endpoint.types {
                if let found = earliest(in: events, where: { $0 == type }) { return found }
            }
            return nil
        }
    }

    /// The contract's "earliest": the first instant covered, then the more precise, then input order.
    private func earliest(in events: [Event], where matches: (EventType) -> Bool) -> Int? {
        var best: Int?
        for i in events.indices where matches(events[i].type) {
            if let current = best, !Timeline.precedes((placements[i].localStart, events[i].at.precision, i),
                                                        (placements[current].localStart, events[current].at.precision, current)) {
                continue
            }
            best = i
        }
        return best
    }
}
