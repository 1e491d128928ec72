import Foundation

/// To whom a rule applies: every condition that is set must hold.
public struct RuleScope: Codable, Sendable, Hashable {
    /// The incident must be of one of these kinds (personal-data laws: breach, leak, ransomware).
    public var kinds: [IncidentKind]
    /// Tags the user must have stated, all of them (`sec-registrant`).
    public var allTags: [String]
    /// Tags of which at least one must be stated (`hipaa-covered-entity`, `hipaa-business-associate`).
    public var anyTags: [String]
    /// Tags that take the incident out of the rule (another rule covers it).
    public var noneOfTags: [String]
    /// Words of which the organization's sector must contain one (case-insensitive).
    public var sectors: [String]
    /// At least this many records (people, accounts) affected.
    public var recordsAtLeast: Int?
    /// Fewer than this many records affected.
    public var recordsBelow: Int?
    /// A condition the data cannot check, in words ("unless unlikely to result in a risk").
    public var condition: String?

    public init(kinds: [IncidentKind] = [], allTags: [String] = [], anyTags: [String] = [], noneOfTags: [String] = [],
                sectors: [String] = [], recordsAtLeast: Int? = nil, recordsBelow: Int? = nil, condition: String? = nil) {
        self.kinds = kinds
        self.allTags = allTags
        self.anyTags = anyTags
        self.noneOfTags = noneOfTags
        self.sectors = sectors
        self.recordsAtLeast = recordsAtLeast
        self.recordsBelow = recordsBelow
        self.condition = condition
    }

    enum CodingKeys: String, CodingKey { case kinds, allTags, anyTags, noneOfTags, sectors, recordsAtLeast, recordsBelow, condition }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kinds = try c.decodeIfPresent([IncidentKind].self, forKey: .kinds) ?? []
        allTags = try c.decodeIfPresent([String].self, forKey: .allTags) ?? []
        anyTags = try c.decodeIfPresent([String].self, forKey: .anyTags) ?? []
        noneOfTags = try c.decodeIfPresent([String].self, forKey: .noneOfTags) ?? []
        sectors = try c.decodeIfPresent([String].self, forKey: .sectors) ?? []
        recordsAtLeast = try c.decodeIfPresent(Int.self, forKey: .recordsAtLeast)
        recordsBelow = try c.decodeIfPresent(Int.self, forKey: .recordsBelow)
        condition = try c.decodeIfPresent(String.self, forKey: .condition)
    }

    /// Why the scope leaves the incident out, or nil when every condition holds.
    public func exclusion(of incident: Incident, organization: Party?) -> String? {
        if !kinds.isEmpty && !incident.kinds.contains(where: kinds.contains) {
            return "incident kinds \(incident.kinds.map(\.rawValue).joined(separator: ", ")) are none of \(kinds.map(\.rawValue).joined(separator: ", "))"
        }
        let tags = Set(incident.tags)
        if let missing = allTags.first(where: { !tags.contains($0) }) {
            return "incident lacks the tag \(missing)"
        }
        if !anyTags.isEmpty && tags.isDisjoint(with: anyTags) {
            return "incident has none of the tags \(anyTags.joined(separator: ", "))"
        }
        if let excluded = noneOfTags.first(where: tags.contains) {
            return "incident has the tag \(excluded), which another rule covers"
        }
        if !sectors.isEmpty {
            let sector = (organization?.sector ?? "").lowercased()
            if !sectors.contains(where: { sector.contains($0.lowercased()) }) {
                return "organization's sector \"\(organization?.sector ?? "")\" is none of \(sectors.joined(separator: ", "))"
            }
        }
        if let least = recordsAtLeast {
            guard let records = incident.recordsAffected else { return "records affected unknown; the rule needs at least \(least)" }
            if records < least { return "\(records) records affected; the rule needs at least \(least)" }
        }
        if let below = recordsBelow {
            guard let records = incident.recordsAffected else { return "records affected unknown; the rule needs fewer than \(below)" }
            if records >= below { return "\(records) records affected; the rule covers fewer than \(below)" }
        }
        return nil
    }

    /// The scope in words, for listings.
    public var summary: String {
        var parts: [String] = []
        if !kinds.isEmpty { parts.append("kinds: " + kinds.map(\.rawValue).joined(separator: "/")) }
        if !allTags.isEmpty { parts.append("tags: " + allTags.joined(separator: "+")) }
        if !anyTags.isEmpty { parts.append("a tag of: " + anyTags.joined(separator: "/")) }
        if !noneOfTags.isEmpty { parts.append("not: " + noneOfTags.joined(separator: "/")) }
        if !sectors.isEmpty { parts.append("sector: " + sectors.joined(separator: "/")) }
        if let least = recordsAtLeast { parts.append("records ≥ \(least)") }
        if let below = recordsBelow { parts.append("records < \(below)") }
        if let condition { parts.append(condition) }
        return parts.joined(separator: "; ")
    }
}

/// Jurisdiction codes: `EU` covers the member states, a country covers its subdivisions (`US` covers `US-CA`).
public enum Jurisdiction {
    /// The EU's member states (ISO 3166-1 alpha-2), for rules of EU law.
    public static let euMembers: Set<String> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
        "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ]

    /// True when a rule of `ruleCode` reaches an incident in `incidentCode`.
    public static func covers(_ ruleCode: String, _ incidentCode: String) -> Bool {
        let rule = ruleCode.uppercased(), incident = incidentCode.uppercased()
        if rule == incident { return true }
        if rule == "EU" { return euMembers.contains(incident) || euMembers.contains(where: { incident.hasPrefix($0 + "-") }) }
        return incident.hasPrefix(rule + "-")
    }

    /// True when a rule of any of `ruleCodes` reaches an incident in any of `incidentCodes`.
    public static func covers(_ ruleCodes: [String], anyOf incidentCodes: [String]) -> Bool {
        ruleCodes.contains { r in incidentCodes.contains { covers(r, $0) } }
    }
}
