import Foundation
import LapseCore

// Human names for the vocabularies, in one table each: the reports use them, and the terminal
// and the docs should say the same words.

extension EventType {
    /// The event type as a reader names it: `customer_notification` → "Customer notification".
    public var label: String {
        switch self {
        case .intrusion: "Intrusion"
        case .detection: "Detection"
        case .determination: "Determination"
        case .containment: "Containment"
        case .outageStart: "Outage start"
        case .outageEnd: "Outage end"
        case .restoration: "Restoration"
        case .acknowledgment: "Acknowledgment"
        case .disclosure: "Disclosure"
        case .apology: "Apology"
        case .statement: "Statement"
        case .regulatorNotification: "Regulator notification"
        case .customerNotification: "Customer notification"
        case .lawEnforcementNotification: "Law enforcement notification"
        case .filing: "Filing"
        case .remediation: "Remediation"
        case .attribution: "Attribution"
        case .testimony: "Testimony"
        case .legalAction: "Legal action"
        case .penalty: "Penalty"
        case .other: "Other"
        }
    }

    /// What the organization did, for a headline: "apologized", "notified customers".
    var headlineAction: String {
        switch self {
        case .detection: "found out"
        case .determination: "confirmed the breach"
        case .containment: "contained the breach"
        case .restoration: "restored the service"
        case .outageEnd: "ended the outage"
        case .acknowledgment: "acknowledged the incident"
        case .disclosure: "told the public"
        case .apology: "apologized"
        case .statement: "made a statement"
        case .regulatorNotification: "notified regulators"
        case .customerNotification: "notified customers"
        case .lawEnforcementNotification: "notified law enforcement"
        default: label.lowercased()
        }
    }

    /// The moment a delay is counted from, for a headline: "after the intrusion began".
    var headlineMoment: String {
        switch self {
        case .intrusion: "the intrusion began"
        case .detection: "it found out"
        case .outageStart: "the service went down"
        case .determination: "it confirmed the breach"
        default: "the " + label.lowercased()
        }
    }
}

extension DelayMetric {
    /// The metric as a reader names it: `time-to-notify-customers` → "Time to notify customers".
    public var label: String {
        switch self {
        case .timeToDetect: "Time to detect"
        case .timeToAcknowledge: "Time to acknowledge"
        case .timeToDisclose: "Time to disclose"
        case .timeInTheDark: "Time in the dark"
        case .timeToApologize: "Time to apologize"
        case .timeToNotifyRegulator: "Time to notify regulators"
        case .timeToNotifyCustomers: "Time to notify customers"
        case .outageDuration: "Outage duration"
        }
    }

    /// The human name of a metric id, or the id itself when it is not one of ours.
    public static func label(_ id: String) -> String { DelayMetric(rawValue: id)?.label ?? id }

    /// Which delay a headline leads with: the public's wait first, then customers', then the rest.
    static let headlineOrder: [DelayMetric] = [.timeInTheDark, .timeToNotifyCustomers, .timeToDisclose, .timeToApologize,
                                               .timeToAcknowledge, .timeToNotifyRegulator, .timeToDetect, .outageDuration]
}

extension EventType {
    /// The human name of an event type id, or the id itself.
    public static func label(_ id: String) -> String { EventType(rawValue: id)?.label ?? id }
}
