import Foundation

/// Any actor: a company, a person, a group, a regulator, a firm, a newspaper.
public struct Party: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var kind: PartyKind
    /// Other names a user may search by ("Sony", "SCE").
    public var aliases: [String]
    /// An organization's parent (subsidiary → group).
    public var parent: String?
    /// A person's organization.
    public var affiliation: String?
    public var role: String?
    /// ISO 3166-1 alpha-2.
    public var country: String?
    public var sector: String?

    public init(id: String, name: String, kind: PartyKind, aliases: [String] = [], parent: String? = nil,
                affiliation: String? = nil, role: String? = nil, country: String? = nil, sector: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.aliases = aliases
        self.parent = parent
        self.affiliation = affiliation
        self.role = role
        self.country = country
        self.sector = sector
    }

    enum CodingKeys: String, CodingKey {
        case id, name, kind, aliases, parent, affiliation, role, country, sector
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(PartyKind.self, forKey: .kind)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
        parent = try c.decodeIfPresent(String.self, forKey: .parent)
        affiliation = try c.decodeIfPresent(String.self, forKey: .affiliation)
        role = try c.decodeIfPresent(String.self, forKey: .role)
        country = try c.decodeIfPresent(String.self, forKey: .country)
        sector = try c.decodeIfPresent(String.self, forKey: .sector)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        if !aliases.isEmpty { try c.encode(aliases, forKey: .aliases) }
        try c.encodeIfPresent(parent, forKey: .parent)
        try c.encodeIfPresent(affiliation, forKey: .affiliation)
        try c.encodeIfPresent(role, forKey: .role)
        try c.encodeIfPresent(country, forKey: .country)
        try c.encodeIfPresent(sector, forKey: .sector)
    }
}

/// One breach, outage, or both, with its dated events.
public struct Incident: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var title: String
    /// The party id of the company the incident belongs to.
    public var organization: String
    public var kinds: [IncidentKind]
    public var summary: String?
    public var recordsAffected: Int?
    /// IANA zone for event times written without an offset (UTC if none).
    public var timezone: String?
    public var jurisdictions: [String]
    public var tags: [String]
    /// In input order; `Timeline` sorts them.
    public var events: [Event]
    /// The day the record was closed: its timeline is complete, so a notice it does not hold was
    /// never given (deadline checks count it as missed, late up to this day). Nil while open.
    public var closed: EventTime?

    public init(id: String, title: String, organization: String, kinds: [IncidentKind], summary: String? = nil,
                recordsAffected: Int? = nil, timezone: String? = nil, jurisdictions: [String] = [],
                tags: [String] = [], events: [Event] = [], closed: EventTime? = nil) {
        self.id = id
        self.title = title
        self.organization = organization
        self.kinds = kinds
        self.summary = summary
        self.recordsAffected = recordsAffected
        self.timezone = timezone
        self.jurisdictions = jurisdictions
        self.tags = tags
        self.events = events
        self.closed = closed
    }

    /// The zone local times are read in: the incident's, else UTC.
    public var zone: TimeZone {
        timezone.flatMap(Zones.named) ?? Zones.utc
    }

    enum CodingKeys: String, CodingKey {
        case id, title, organization, kinds, summary
        case recordsAffected = "records_affected"
        case timezone, jurisdictions, tags, events, closed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        organization = try c.decode(String.self, forKey: .organization)
        kinds = try c.decode([IncidentKind].self, forKey: .kinds)
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        recordsAffected = try c.decodeIfPresent(Int.self, forKey: .recordsAffected)
        timezone = try c.decodeIfPresent(String.self, forKey: .timezone)
        jurisdictions = try c.decodeIfPresent([String].self, forKey: .jurisdictions) ?? []
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        events = try c.decodeIfPresent([Event].self, forKey: .events) ?? []
        closed = try c.decodeIfPresent(EventTime.self, forKey: .closed)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(organization, forKey: .organization)
        try c.encode(kinds, forKey: .kinds)
        try c.encodeIfPresent(summary, forKey: .summary)
        try c.encodeIfPresent(recordsAffected, forKey: .recordsAffected)
        try c.encodeIfPresent(timezone, forKey: .timezone)
        if !jurisdictions.isEmpty { try c.encode(jurisdictions, forKey: .jurisdictions) }
        if !tags.isEmpty { try c.encode(tags, forKey: .tags) }
        if !events.isEmpty { try c.encode(events, forKey: .events) }
        try c.encodeIfPresent(closed, forKey: .closed)
    }
}

/// One dated fact on an incident's timeline.
public struct Event: Codable, Sendable, Hashable {
    /// Optional stable id, unique within the incident.
    public var id: String?
    public var type: EventType
    /// When it happened (for a span: when it began).
    public var at: EventTime
    /// End of a span.
    public var until: EventTime?
    /// Who acted, spoke, or was notified.
    public var party: String?
    public var summary: String?
    /// What someone said, for statements, apologies and the like.
    public var statement: Quotation?
    public var sources: [Source]

    public init(id: String? = nil, type: EventType, at: EventTime, until: EventTime? = nil, party: String? = nil,
                summary: String? = nil, statement: Quotation? = nil, sources: [Source] = []) {
        self.id = id
        self.type = type
        self.at = at
        self.until = until
        self.party = party
        self.summary = summary
        self.statement = statement
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey {
        case id, type, at, until, party, summary, statement, sources
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        type = try c.decode(EventType.self, forKey: .type)
        at = try c.decode(EventTime.self, forKey: .at)
        until = try c.decodeIfPresent(EventTime.self, forKey: .until)
        party = try c.decodeIfPresent(String.self, forKey: .party)
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        statement = try c.decodeIfPresent(Quotation.self, forKey: .statement)
        if statement?.isEmpty == true { statement = nil }
        sources = try c.decodeIfPresent([Source].self, forKey: .sources) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(at, forKey: .at)
        try c.encodeIfPresent(until, forKey: .until)
        try c.encodeIfPresent(party, forKey: .party)
        try c.encodeIfPresent(summary, forKey: .summary)
        try c.encodeIfPresent(statement, forKey: .statement)
        if !sources.isEmpty { try c.encode(sources, forKey: .sources) }
    }
}

/// What someone said: the verbatim quote, where, and to whom.
public struct Quotation: Codable, Sendable, Hashable {
    public var quote: String?
    /// Press conference, blog, filing, letter, tweet...
    public var channel: String?
    public var audience: Audience?
    public var language: String?

    public init(quote: String? = nil, channel: String? = nil, audience: Audience? = nil, language: String? = nil) {
        self.quote = quote
        self.channel = channel
        self.audience = audience
        self.language = language
    }

    public var isEmpty: Bool { quote == nil && channel == nil && audience == nil && language == nil }
}

/// Where a fact comes from.
public struct Source: Codable, Sendable, Hashable {
    public var url: String
    public var title: String?
    public var publisher: String?
    public var published: EventTime?
    /// The day the source was read.
    public var retrieved: EventTime?

    public init(url: String, title: String? = nil, publisher: String? = nil, published: EventTime? = nil,
                retrieved: EventTime? = nil) {
        self.url = url
        self.title = title
        self.publisher = publisher
        self.published = published
        self.retrieved = retrieved
    }
}

/// One `lapse/1` document: parties and incidents.
public struct LapseDocument: Codable, Sendable, Hashable {
    public static let formatName = "lapse/1"
    public var format: String
    public var parties: [Party]
    public var incidents: [Incident]

    public init(parties: [Party] = [], incidents: [Incident] = []) {
        format = Self.formatName
        self.parties = parties
        self.incidents = incidents
    }

    enum CodingKeys: String, CodingKey { case format, parties, incidents }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        guard format == Self.formatName else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: c,
                debugDescription: "\"\(format)\" is not a supported format; expected \"\(Self.formatName)\"")
        }
        parties = try c.decodeIfPresent([Party].self, forKey: .parties) ?? []
        incidents = try c.decodeIfPresent([Incident].self, forKey: .incidents) ?? []
    }
}

/// One line of a `.jsonl` document: a party or an incident.
public enum LapseRecord: Sendable, Hashable {
    case party(Party)
    case incident(Incident)
}

extension LapseRecord: Codable {
    enum CodingKeys: String, CodingKey { case party, incident }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.party) {
            self = .party(try c.decode(Party.self, forKey: .party))
        } else if c.contains(.incident) {
            self = .incident(try c.decode(Incident.self, forKey: .incident))
        } else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "expected an object with a \"party\" or an \"incident\" key"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .party(let p): try c.encode(p, forKey: .party)
        case .incident(let i): try c.encode(i, forKey: .incident)
        }
    }
}
