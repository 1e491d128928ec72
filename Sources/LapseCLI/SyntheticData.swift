import Foundation
import LapseCore

/// A deterministic synthetic dataset for benchmarks and demos: realistic mixes of event types
/// and date precisions, parties with aliases and parent companies, statements and sources,
/// and skewed incident sizes (most incidents small, a few long).
public struct SyntheticData {
    public let incidentCount: Int
    private var random: SplitMix64

    public init(incidents: Int, seed: UInt64) {
        incidentCount = incidents
        random = SplitMix64(seed: seed)
    }

    static let stems = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne",
                        "Soylent", "Wonka", "Gringotts", "Oscorp", "Aperture", "Massive", "Dynamic", "Vertex", "Nimbus", "Quantum",
                        "Northwind", "Contoso", "Fabrikam", "Litware", "Adatum", "Tailspin", "Woodgrove", "Lucerne", "Proseware", "Fourth"]
    static let suffixes = ["Systems", "Health", "Bank", "Cloud", "Retail", "Energy", "Telecom", "Games", "Insurance", "Logistics", "Media", "Labs"]
    static let forms = ["Inc.", "Corporation", "Group", "Ltd", "plc", "AG", "LLC"]
    static let sectors = ["finance", "health", "retail", "technology", "energy", "telecommunications", "education", "government"]
    static let zones = ["America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney", "UTC"]
    static let jurisdictions = ["US", "US-CA", "US-NY", "EU", "UK", "JP", "AU", "BR", "IN", "SG"]
    static let words = ["breach", "outage", "customers", "data", "systems", "investigation", "access", "service", "security",
                        "records", "unauthorized", "restored", "ransomware", "credentials", "network", "apologize", "notified", "regulator"]

    /// Number of organizations for the dataset: about one per five incidents.
    var organizationCount: Int { max(10, incidentCount / 5) }

    /// Writes the dataset as `lapse/1` JSON Lines: parties first, then incidents.
    public mutating func write(to sink: (String) -> Void) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func line(_ record: LapseRecord) throws { sink(String(decoding: try encoder.encode(record), as: UTF8.self) + "\n") }
        for party in parties() { try line(.party(party)) }
        for i in 0..<incidentCount { try line(.incident(incident(i))) }
    }

    /// Organizations (a fifth with a parent), their executives, threat groups and regulators.
    public mutating func parties() -> [Party] {
        var parties: [Party] = []
        for o in 0..<organizationCount {
            let stem = Self.stems[o % Self.stems.count], suffix = Self.suffixes[(o / Self.stems.count) % Self.suffixes.count]
            let name = "\(stem) \(suffix) \(o / (Self.stems.count * Self.suffixes.count) + 1) \(pick(Self.forms))"
            let parent = o >= 20 && chance(0.2) ? "org-\(int(0..<o))" : nil
            parties.append(Party(id: "org-\(o)", name: name, kind: .organization,
                                 aliases: chance(0.5) ? ["\(stem)\(suffix.prefix(1))\(o)"] : [], parent: parent,
                                 country: pick(["US", "GB", "DE", "JP", "AU", "FR"]), sector: pick(Self.sectors)))
            parties.append(Party(id: "ceo-\(o)", name: "Executive \(o)", kind: .person, affiliation: "org-\(o)", role: "Chief Executive Officer"))
        }
        for g in 0..<20 { parties.append(Party(id: "group-\(g)", name: "Threat Group \(g)", kind: .group)) }
        for (i, j) in Self.jurisdictions.enumerated() {
            parties.append(Party(id: "regulator-\(i)", name: "Regulator of \(j)", kind: .regulator, country: String(j.prefix(2))))
        }
        return parties
    }

    /// One incident; its events follow a plausible course with skewed sizes.
    public mutating func incident(_ n: Int) -> Incident {
        let org = int(0..<organizationCount)
        let zone = pick(Self.zones)
        let isOutage = chance(0.3), isBreach = !isOutage || chance(0.4)
        let kinds: [IncidentKind] = (isBreach ? [.breach] : []) + (isOutage ? [.outage] : []) + (chance(0.15) ? [.ransomware] : [])
        var events: [Event] = []
        var day = CivilDate.daysFromCivil(year: 2005 + int(0..<20), month: 1, day: 1) + int(0..<365)
        func source() -> [Source] {
            [Source(url: "https://news.example.com/\(n)/\(events.count)", title: "Report \(n)-\(events.count)", publisher: pick(["Wire", "Daily", "Herald", "Times"]))]
        }
        func add(_ type: EventType, precision: Int, party: String? = nil, quote: String? = nil) {
            let c = CivilDate.civil(fromDays: day)
            let at: EventTime = switch precision {
            case 0: EventTime(year: c.year, month: c.month)
            case 1: EventTime(year: c.year, month: c.month, day: c.day, qualifier: chance(0.1) ? .approximate : nil)
            case 2: EventTime(year: c.year, month: c.month, day: c.day, hour: int(0..<24), minute: int(0..<60))
            default: EventTime(year: c.year, month: c.month, day: c.day, hour: int(0..<24), minute: int(0..<60), second: 0, utcOffset: 0, isZulu: true)
            }
            events.append(Event(type: type, at: at, party: party, summary: "\(type.rawValue.replacingOccurrences(of: "_", with: " ")) \(sentence(6))",
                                statement: quote.map { Quotation(quote: $0, channel: pick(["press release", "blog", "press conference", "filing"]), audience: pick([.public, .customers, .investors])) },
                                sources: source()))
        }
        if isBreach {
            add(.intrusion, precision: chance(0.4) ? 0 : 1, party: chance(0.3) ? "group-\(int(0..<20))" : nil)
            day += skewed(mean: 60)
            add(.detection, precision: chance(0.3) ? 2 : 1, party: "org-\(org)")
        }
        if isOutage {
            add(.outageStart, precision: 3, party: "org-\(org)")
            day += skewed(mean: 1)
            add(.acknowledgment, precision: 2, party: "org-\(org)", quote: "We are aware of \(sentence(5)).")
            add(chance(0.7) ? .outageEnd : .restoration, precision: 3, party: "org-\(org)")
        }
        let extra = Int(Double(skewed(mean: 5)).squareRoot() * 2.4) + 3
        let later: [EventType] = [.containment, .disclosure, .statement, .regulatorNotification, .customerNotification, .apology,
                                  .remediation, .lawEnforcementNotification, .filing, .statement, .disclosure, .legalAction, .penalty]
        for _ in 0..<extra {
            day += skewed(mean: 12)
            let type = pick(later)
            let party: String? = switch type {
            case .regulatorNotification: "regulator-\(int(0..<Self.jurisdictions.count))"
            case .apology, .statement: chance(0.5) ? "ceo-\(org)" : "org-\(org)"
            default: "org-\(org)"
            }
            add(type, precision: chance(0.15) ? 0 : 1, party: party,
                quote: type == .apology || type == .statement ? "We \(sentence(8))." : nil)
        }
        return Incident(id: "inc-\(n)", title: "\(pick(Self.stems)) \(kinds.map(\.rawValue).joined(separator: " and ")) \(n)",
                        organization: "org-\(org)", kinds: kinds, summary: sentence(12),
                        recordsAffected: isBreach ? int(1..<100_000_000) : nil, timezone: zone,
                        jurisdictions: jurisdictions(),
                        tags: chance(0.2) ? ["synthetic"] : [], events: events)
    }

    private mutating func jurisdictions() -> [String] {
        let first = pick(Self.jurisdictions), second = pick(Self.jurisdictions)
        return chance(0.3) && second != first ? [first, second] : [first]
    }

    // MARK: Randomness

    private mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
    private mutating func chance(_ p: Double) -> Bool { Double(random.next() % 1_000_000) / 1_000_000 < p }
    private mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }
    /// A heavy-tailed whole number with roughly the given mean (exponential).
    private mutating func skewed(mean: Double) -> Int {
        let u = Double(random.next() % 1_000_000 + 1) / 1_000_001
        return Int(-log(u) * mean)
    }
    private mutating func sentence(_ count: Int) -> String {
        (0..<count).map { _ in pick(Self.words) }.joined(separator: " ")
    }
}

/// A small, fast, seedable generator (Vigna's SplitMix64): the same seed gives the same data everywhere.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
