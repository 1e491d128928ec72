/// A closed vocabulary of the data contract: decoding names the accepted values when a value is not one.
public protocol Vocabulary: RawRepresentable<String>, CaseIterable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// What the value is called in messages ("event type", "party kind").
    static var vocabularyName: String { get }
}

extension Vocabulary {
    public var description: String { rawValue }

    /// The accepted values, comma-separated, for error messages and help.
    public static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Parses a value, or says which values are accepted.
    public static func parse(_ text: String) throws(VocabularyError) -> Self {
        guard let value = Self(rawValue: text) else {
            throw VocabularyError(name: vocabularyName, value: text, allowed: allowedValues)
        }
        return value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Self.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A value outside a closed vocabulary.
public struct VocabularyError: Error, Sendable, CustomStringConvertible {
    public let name: String
    public let value: String
    public let allowed: String
    public var description: String { "\"\(value)\" is not a known \(name); expected one of: \(allowed)" }
}

/// What kind of actor a party is.
public enum PartyKind: String, Vocabulary {
    case organization, person, group, regulator, agency, vendor, media
    public static let vocabularyName = "party kind"
}

/// What an incident was; an incident may be several at once (a breach and an outage).
public enum IncidentKind: String, Vocabulary {
    case breach, outage, ransomware, leak, other
    public static let vocabularyName = "incident kind"
}

/// The vocabulary of dated facts on a timeline (section 3 of the data contract).
public enum EventType: String, Vocabulary {
    case intrusion, detection, determination, containment
    case outageStart = "outage_start", outageEnd = "outage_end", restoration
    case acknowledgment, disclosure, apology, statement
    case regulatorNotification = "regulator_notification"
    case customerNotification = "customer_notification"
    case lawEnforcementNotification = "law_enforcement_notification"
    case filing, remediation, attribution, testimony
    case legalAction = "legal_action", penalty, other
    public static let vocabularyName = "event type"
}

/// Who a statement was addressed to.
public enum Audience: String, Vocabulary {
    case `public`, customers, regulators, investors, employees, press
    public static let vocabularyName = "audience"
}
