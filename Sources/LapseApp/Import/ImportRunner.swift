import Foundation
import LapseCore
import LapseReports

/// One record an importer made from its input: the parties it names (by name, resolved to ids
/// by the `PartyDirectory`) and the incident.
public struct ImportedRecord {
    public var location: RecordLocation
    public var incident: Incident

    public init(location: RecordLocation, incident: Incident) {
        self.location = location
        self.incident = incident
    }
}

/// A lower-case slug of a name: accents folded, runs of anything else turned into one `-`.
func slug(_ text: String, maxLength: Int = 60) -> String {
    let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    var out = ""
    var dash = false
    for scalar in folded.unicodeScalars {
        if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
            if dash && !out.isEmpty { out.append("-") }
            dash = false
            out.unicodeScalars.append(scalar)
            if out.count >= maxLength { break }
        } else {
            dash = true
        }
    }
    return out.lowercased()
}

/// Turns names into party ids: one party per distinct (trimmed) name. The id is the name's
/// slug; when that id is taken by a party of another name (stored, or earlier in this import),
/// `-2`, `-3`... are tried in order, so the same input gives the same ids on every run.
public final class PartyDirectory {
    private var ids: [String: String] = [:]
    private var claimed: [String: String] = [:]
    private let session: any IncidentImportSink

    init(session: any IncidentImportSink) {
        self.session = session
    }

    /// Whether a name is also matched, case, punctuation and legal forms ignored, to a stored
    /// party or one made earlier in this import ("Humana, Inc." joins "Humana"); table imports.
    public var matchNames = false
    /// How many names `resolve` gave to a party of another name by that matching.
    public private(set) var matched = 0
    /// Parties (other than people) by normalised name or alias, loaded on first use.
    private var byNormalName: [String: [(id: String, name: String)]]?
    private var matchedNames: Set<String> = []

    /// The party of another name that `name` matches when case, punctuation and legal forms are ignored.
    private func match(_ name: String) throws -> String? {
        if byNormalName == nil {
            var index: [String: [(id: String, name: String)]] = [:]
            for party in try session.storedPartyNames() {
                for text in [party.name] + party.aliases {
                    let key = CompanyMatch.nameKey(text)
                    if !key.isEmpty { index[key, default: []].append((party.id, party.name)) }
                }
            }
            byNormalName = index
        }
        let key = CompanyMatch.nameKey(name)
        // A party of exactly this name is the name's own party, found as before.
        guard !key.isEmpty, let found = byNormalName?[key], !found.contains(where: { $0.name == name }) else { return nil }
        return found.first?.id
    }

    /// The id for a name, and the party to write when it is new to the database.
    public func resolve(_ rawName: String, kind: PartyKind, sector: String? = nil, country: String? = nil, aliases: [String] = [],
                 fallback: String = "party") throws -> (id: String, newParty: Party?) {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        if let id = ids[name] {
            if matchedNames.contains(name) { matched += 1 }
            return (id, nil)
        }
        if matchNames && kind != .person, let id = try match(name) {
            ids[name] = id
            matchedNames.insert(name)
            matched += 1
            return (id, nil)
        }
        let base = slug(name).isEmpty ? fallback : slug(name)
        var n = 1
        while true {
            let candidate = n == 1 ? base : "\(base)-\(n)"
            n += 1
            if claimed[candidate] != nil { continue }
            let stored = try session.storedPartyName(id: candidate)
            if let stored, stored != name { continue }
            ids[name] = candidate
            claimed[candidate] = name
            if matchNames, byNormalName != nil {
                let key = CompanyMatch.nameKey(name)
                if !key.isEmpty { byNormalName?[key, default: []].append((candidate, name)) }
            }
            let party = stored == nil
                ? Party(id: candidate, name: name, kind: kind, aliases: aliases, country: country, sector: sector)
                : nil
            return (candidate, party)
        }
    }
}

/// Runs the records of one import into a session: writes the good ones, and either collects
/// the bad ones' problems (the import then fails whole) or, with `--skip-invalid`, reports them.
public final class ImportRunner {
    let session: any IncidentImportSink
    let settings: ImportSettings
    /// Takes the report of rejected records, before the import commits.
    let reportRejects: ([DataProblem]) throws -> Void
    public let directory: PartyDirectory
    private(set) var problems: [DataProblem] = []
    private(set) var rejected: [DataProblem] = []
    private(set) var rejectedRecords = 0
    private(set) var newParties = 0
    /// For a dry run: what would be created, one line each.
    private(set) var plan: [String] = []

    init(session: any IncidentImportSink, settings: ImportSettings, reportRejects: @escaping ([DataProblem]) throws -> Void) {
        self.session = session
        self.settings = settings
        self.reportRejects = reportRejects
        directory = PartyDirectory(session: session)
    }

    /// Parties the directory found new, not yet written: a party is written with the record that
    /// found it, once that record is accepted, or else with the first accepted record that names
    /// it. A rejected record (with --skip-invalid) leaves no party of its own behind.
    private var pendingParties: [String: (party: Party, location: RecordLocation)] = [:]
    /// The parties found since the last record.
    private var recordParties: [String] = []

    /// Takes a party the directory found new, to write with the record being made.
    public func add(_ party: Party?, at location: RecordLocation) throws {
        guard let party else { return }
        pendingParties[party.id] = (party, location)
        recordParties.append(party.id)
    }

    private func writePendingParties(namedBy incident: Incident) throws {
        for id in recordParties + [incident.organization] + incident.events.compactMap(\.party) {
            guard let (party, location) = pendingParties.removeValue(forKey: id) else { continue }
            try session.add(party, at: location)
            newParties += 1
            if settings.dryRun { plan.append("party     \(party.id)  \(party.kind.rawValue)  \(Escape.terminal(party.name))") }
        }
    }

    /// Writes one record (and the new parties it names), or records why it was rejected.
    public func add(_ record: ImportedRecord) throws {
        defer { recordParties = [] }
        do {
            let prepared = PreparedIncident(record.incident)
            let problems = session.problems(with: prepared, at: record.location)
            guard problems.isEmpty else { throw DataProblems(problems: problems) }
            try writePendingParties(namedBy: record.incident)
            let replaces = settings.dryRun ? try session.hasIncident(id: record.incident.id) : false
            try session.add(prepared, at: record.location)
            if settings.dryRun {
                plan.append("incident  \(record.incident.id)  \(replaces ? "replaces stored" : "new")  \(plural(record.incident.events.count, "event"))  \(Escape.terminal(record.incident.title))")
            }
        } catch let error as DataProblems {
            reject(error.problems)
        }
    }

    /// A record that could not be made, with its problems.
    public func reject(_ recordProblems: [DataProblem]) {
        recordParties = []
        rejectedRecords += 1
        if settings.skipInvalid {
            rejected += recordProblems
        } else {
            problems += recordProblems
        }
    }

    /// Throws the collected problems (nothing will be written), or hands over the rejects report.
    func finish() throws {
        if !problems.isEmpty { throw DataProblems(problems: problems) }
        guard settings.skipInvalid, !rejected.isEmpty else { return }
        try reportRejects(rejected)
    }
}

extension ImportedRecord {
    /// Sources from a text holding several URLs separated by `;`, `,` or spaces.
    static func sources(fromURLs text: String?) -> [Source] {
        guard let text else { return [] }
        var seen = Set<String>()
        return text.split(whereSeparator: { $0 == ";" || $0 == "," || $0.isWhitespace })
            .map(String.init)
            .filter { $0.lowercased().hasPrefix("http://") || $0.lowercased().hasPrefix("https://") }
            .filter { seen.insert($0).inserted }
            .map { Source(url: $0) }
    }
}

/// A value in double quotes for messages, inner quotes escaped.
func quoted(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
