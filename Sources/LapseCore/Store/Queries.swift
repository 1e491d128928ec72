import Foundation

/// One line of `lapse incidents`: an incident without its events.
public struct IncidentSummary: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var organization: String
    public var organizationName: String
    public var kinds: [IncidentKind]
    public var recordsAffected: Int?
    /// The earliest event's time as written, if any.
    public var firstEvent: String?
    public var eventCount: Int

    public init(id: String, title: String, organization: String, organizationName: String, kinds: [IncidentKind],
                recordsAffected: Int?, firstEvent: String?, eventCount: Int) {
        self.id = id
        self.title = title
        self.organization = organization
        self.organizationName = organizationName
        self.kinds = kinds
        self.recordsAffected = recordsAffected
        self.firstEvent = firstEvent
        self.eventCount = eventCount
    }
}

/// One full-text hit of `lapse search`.
public struct SearchHit: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable { case incident, event, party }
    public var kind: Kind
    /// The incident the hit belongs to (nil for parties).
    public var incident: String?
    /// The party id for party hits; the event type for events; the title for incidents.
    public var label: String
    /// For events: the time as written.
    public var at: String?
    /// The matching text with the hits between [ and ].
    public var snippet: String
    /// bm25 rank: lower is better.
    public var score: Double

    public init(kind: Kind, incident: String?, label: String, at: String?, snippet: String, score: Double) {
        self.kind = kind
        self.incident = incident
        self.label = label
        self.at = at
        self.snippet = snippet
        self.score = score
    }
}

/// Which incidents a command looks at: the one query model of `incidents`, `delays`, `stats`,
/// `deadlines`, `check`, `export` and the reports. Every condition given must hold.
public struct IncidentFilter: Sendable, Hashable {
    /// Only these incidents (all when empty).
    public var ids: [String] = []
    /// Organizations matching this name as `CompanyMatch` says, with their subsidiaries.
    public var company: String?
    /// Only incidents of these party ids and their subsidiaries (a company already resolved).
    public var organizations: [String] = []
    /// Incidents of any of these kinds.
    public var kinds: [IncidentKind] = []
    /// Incidents whose organization's sector is one of these, ignoring case.
    public var sectors: [String] = []
    /// Incidents in one of these jurisdictions: `US` also selects `US-WA`; ignoring case.
    public var jurisdictions: [String] = []
    /// Incidents affecting at least this many records (unknown counts are left out).
    public var minRecords: Int?
    /// The event `since` and `before` look at: the earliest of this type; the incident's first
    /// event when nil. Incidents without such an event are left out when a date is given.
    public var dateOf: EventType?
    /// Incidents whose date (see `dateOf`) begins at or after this instant (seconds since 1970 UTC).
    public var since: Int?
    /// Incidents whose date begins before this instant.
    public var before: Int?

    public init(ids: [String] = [], company: String? = nil, organizations: [String] = [], kinds: [IncidentKind] = [],
                sectors: [String] = [], jurisdictions: [String] = [], minRecords: Int? = nil, dateOf: EventType? = nil,
                since: Int? = nil, before: Int? = nil) {
        self.ids = ids
        self.company = company
        self.organizations = organizations
        self.kinds = kinds
        self.sectors = sectors
        self.jurisdictions = jurisdictions
        self.minRecords = minRecords
        self.dateOf = dateOf
        self.since = since
        self.before = before
    }

    /// True when the filter selects every incident.
    public var isEmpty: Bool { self == IncidentFilter() }
}

/// What the delay engine, statistics and checks need of the database, loaded in a few
/// set-based reads: incidents with their kinds, jurisdictions and events (type, times,
/// party, summary, quote; no sources), and the parties' names and chains.
public struct MeasurementSet: Sendable {
    /// Incidents in id order; events in recorded order, without sources.
    public var incidents: [Incident]
    /// Every party by id (without aliases).
    public var parties: [String: Party]

    public init(incidents: [Incident], parties: [String: Party]) {
        self.incidents = incidents
        self.parties = parties
    }

    /// The party and every party it acts for: a person's organization, an organization's parents.
    public func actsFor(_ id: String) -> Set<String> {
        Self.actsFor(id, in: parties)
    }

    /// `actsFor` over any index of parties.
    public static func actsFor(_ id: String, in parties: [String: Party]) -> Set<String> {
        var result: Set<String> = [id]
        var frontier = [id]
        while let next = frontier.popLast() {
            guard let p = parties[next] else { continue }
            for up in [p.affiliation, p.parent].compactMap({ $0 }) where result.insert(up).inserted {
                frontier.append(up)
            }
        }
        return result
    }
}

/// What a party merge moved.
public struct PartyMergeCount: Sendable, Hashable, Encodable {
    /// Incidents whose organization was a duplicate.
    public var incidents = 0
    /// Events (and statements) by a duplicate.
    public var events = 0
    /// Parties whose parent or affiliation was a duplicate.
    public var parties = 0
    /// Names and aliases of the duplicates added as aliases.
    public var aliases = 0

    public init() {}
}

extension PartyMergeCount {
    /// Refuses a merge of no party, of the target into itself, or naming a party twice.
    public static func checkArguments(_ duplicates: [String], into target: String) throws {
        guard !duplicates.isEmpty else {
            throw DataProblems(problems: [DataProblem(path: "duplicates", message: "no party to merge; expected one or more party ids before --into")])
        }
        if duplicates.contains(target) {
            throw DataProblems(problems: [DataProblem(path: "duplicates", message: "\"\(target)\" is the party merged into; expected other parties")])
        }
        if Set(duplicates).count != duplicates.count {
            throw DataProblems(problems: [DataProblem(path: "duplicates", message: "a party is named twice; expected each once")])
        }
    }
}

extension Party {
    /// Takes in `duplicate`, one of the parties (`gone`) merged into this one: its name and
    /// aliases become aliases, its role, country and sector fill this party's gaps, and where
    /// this party's parent or affiliation was the duplicate, it takes the duplicate's own (never
    /// this party or another of `gone`). Returns how many aliases were added.
    public mutating func absorb(_ duplicate: Party, mergedAway gone: Set<String>) -> Int {
        var added = 0
        for name in [duplicate.name] + duplicate.aliases where name != self.name && !aliases.contains(name) {
            aliases.append(name)
            added += 1
        }
        role = role ?? duplicate.role
        country = country ?? duplicate.country
        sector = sector ?? duplicate.sector
        let me = id
        let kept = { (link: String?) in link.flatMap { $0 == me || gone.contains($0) ? nil : $0 } }
        if parent == duplicate.id { parent = kept(duplicate.parent) }
        if affiliation == duplicate.id { affiliation = kept(duplicate.affiliation) }
        return added
    }
}
