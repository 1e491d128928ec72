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

/// The one runner of every import (tables, VERIS, Have I Been Pwned, lapse/1 documents): it runs
/// the records an importer makes into a session, writes the good ones, and either collects the
/// bad ones' problems (the import then fails whole, reporting up to `problemLimit` of them) or,
/// with `--skip-invalid`, leaves them out and reports them. Importers hand it records of two
/// kinds: records whose parties come from names (`directory`, `add(_:at:)` for a party the
/// directory found new, `add(_:)` for the incident), and records that name their parties by id
/// (`add(party:at:check:)`, `add(incident:at:)`), where a party may come after its first use.
/// A record that cannot be made is `reject`ed with its problems.
public final class ImportRunner {
    let session: any IncidentImportSink
    let settings: ImportSettings
    /// Takes the report of rejected records, before the import commits.
    let reportRejects: ([DataProblem]) throws -> Void
    /// Puts the rejected records' problems in their place before they are reported (lapse/1:
    /// the line of a JSON or YAML path).
    let placing: ([DataProblem]) -> [DataProblem]
    public let directory: PartyDirectory
    private(set) var problems: [DataProblem] = []
    private(set) var rejected: [DataProblem] = []
    private(set) var rejectedRecords = 0
    private(set) var newParties = 0
    /// Parties of records that name them by id that were already stored, and were merged.
    private(set) var mergedParties = 0
    /// For a dry run: what would be created, one line each.
    private(set) var plan: [String] = []
    /// Without `--skip-invalid`, the import stops reading once it has this many problems (nothing
    /// is written either way).
    static let problemLimit = 100

    init(session: any IncidentImportSink, settings: ImportSettings, placing: @escaping ([DataProblem]) -> [DataProblem] = { $0 },
         reportRejects: @escaping ([DataProblem]) throws -> Void) {
        self.session = session
        self.settings = settings
        self.placing = placing
        self.reportRejects = reportRejects
        directory = PartyDirectory(session: session)
    }

    // MARK: Records whose parties come from names

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
            try writeIncident(prepared, at: record.location)
        } catch let error as DataProblems {
            try reject(error.problems)
        }
    }

    // MARK: Records that name their parties by id

    /// A record that names its parties by id.
    enum Record {
        case party(Party, Validator.Check)
        case incident(PreparedIncident)

        /// Two records with the same key are the same record given twice (or, for parties in
        /// different files, merged in the order they came).
        var key: String {
            switch self {
            case .party(let party, _): "party \(party.id)"
            case .incident(let prepared): "incident \(prepared.incident.id)"
            }
        }

        var partyID: String? {
            if case .party(let party, _) = self { party.id } else { nil }
        }
    }

    /// With --skip-invalid: the records that name parties not (yet) in the database, held back
    /// until those parties are written.
    private var waiting = WaitingRecords()
    /// With --skip-invalid: the ids of parties stored, or written by this import.
    private var knownParties: Set<String> = []
    /// With --skip-invalid: the ids of every party record offered, written or not.
    private var offeredParties: Set<String> = []
    /// The ids of the parties records by id have written.
    private var partiesWritten: Set<String> = []

    /// A party record: added, or merged into the stored party with its id (given fields replace
    /// stored ones, aliases are united). `check` is `Validator.check(party)` when the caller ran it.
    public func add(party: Party, at location: RecordLocation, check: Validator.Check? = nil) throws {
        let check = check ?? Validator.check(party)
        guard settings.skipInvalid else { return try accept(.party(party, check), at: location) }
        offeredParties.insert(party.id)
        guard check.problems.isEmpty else { return try reject(check.problems.map { placed($0, location) }) }
        try offer(.party(party, check), at: location, naming: check.references)
    }

    /// An incident record: added, or replacing the stored incident with its id whole.
    public func add(incident prepared: PreparedIncident, at location: RecordLocation) throws {
        guard settings.skipInvalid else { return try accept(.incident(prepared), at: location) }
        let problems = session.problems(with: prepared, at: location)
        guard problems.isEmpty else { return try reject(problems) }
        try offer(.incident(prepared), at: location, naming: prepared.check.references)
    }

    /// With --skip-invalid, a valid record is written at once if every party it names is in the
    /// database; otherwise it waits for them (and behind a held record with its own id, so that
    /// records keep their order).
    private func offer(_ record: Record, at location: RecordLocation, naming references: [PartyReference]) throws {
        var waits: Set<WaitingRecords.Wait> = []
        if let earlier = waiting.last(withKey: record.key) { waits.insert(.earlier(earlier)) }
        for reference in references where try !isKnown(reference.partyID) { waits.insert(.party(reference.partyID)) }
        if waits.isEmpty {
            try accept(record, at: location)
        } else {
            waiting.hold(WaitingRecords.Entry(record: record, location: location, references: references, waits: waits))
        }
    }

    private func isKnown(_ id: String) throws -> Bool {
        if knownParties.contains(id) { return true }
        guard try session.storedPartyName(id: id) != nil else { return false }
        knownParties.insert(id)
        return true
    }

    /// Writes a record, then the held records that were waiting only for it.
    private func accept(_ record: Record, at location: RecordLocation) throws {
        let wrote = try write(record, at: location)
        if wrote, let id = record.partyID, settings.skipInvalid { try endWaits([.party(id)]) }
    }

    /// Ends waits, writing every held record that no longer waits for anything (and what waits
    /// for those in turn), in the order they came.
    private func endWaits(_ ended: [WaitingRecords.Wait]) throws {
        var ended = ended
        var next = 0
        while next < ended.count {
            for number in waiting.end(ended[next]) {
                guard let entry = waiting.take(number) else { continue }
                if try write(entry.record, at: entry.location), let id = entry.record.partyID { ended.append(.party(id)) }
                ended.append(.earlier(number))
            }
            next += 1
        }
    }

    /// Writes a record through the session; a record the session refuses is rejected. True when written.
    private func write(_ record: Record, at location: RecordLocation) throws -> Bool {
        do {
            switch record {
            case .party(let party, let check):
                let isNew = try !partiesWritten.contains(party.id) && session.storedPartyName(id: party.id) == nil
                try session.add(party, at: location, check: check)
                if settings.skipInvalid { knownParties.insert(party.id) }
                if partiesWritten.insert(party.id).inserted {
                    if isNew { newParties += 1 } else { mergedParties += 1 }
                    if settings.dryRun {
                        plan.append("party     \(party.id)  \(party.kind.rawValue)  \(isNew ? "" : "merges stored  ")\(Escape.terminal(party.name))")
                    }
                }
            case .incident(let prepared):
                try writeIncident(prepared, at: location)
            }
            return true
        } catch let error as DataProblems {
            try reject(error.problems)
        } catch let error as DataProblem {
            try reject([error])
        }
        return false
    }

    /// At the end of the input, with --skip-invalid: the held records whose parties never came
    /// are rejected, naming each missing party. Records that wait for one another wait in a
    /// loop: a loop of parents is rejected, as the session would refuse it; any other loop (an
    /// affiliation in it) is broken by writing its first record, whose parties follow it.
    private func rejectWaiting() throws {
        while let next = waiting.first {
            let stuck = waiting.stuck()
            for number in stuck { try rejectUnresolved(number) }
            guard stuck.isEmpty else { continue }
            let loop = waiting.loop().filter { $0.reference != nil }
            guard let first = loop.first else {
                try rejectUnresolved(next)
                continue
            }
            if loop.allSatisfy({ $0.reference?.path == "parent" }) {
                for (number, _) in loop {
                    guard let entry = waiting.take(number), let id = entry.record.partyID else { continue }
                    try reject([placed(.parentLoop(of: id), entry.location)])
                    try endWaits([.earlier(number)])
                }
            } else if let entry = waiting.take(first.number) {
                try accept(entry.record, at: entry.location)
                try endWaits([.earlier(first.number)])
            }
        }
    }

    /// Rejects a held record, naming each party it names that is not in the database (a record
    /// whose parties are all in is written).
    private func rejectUnresolved(_ number: Int) throws {
        guard let entry = waiting.take(number) else { return }
        let problems = try entry.references.filter { try !isKnown($0.partyID) }.map { reference in
            let problem = offeredParties.contains(reference.partyID)
                ? DataProblem(path: reference.path, message: "the party \"\(reference.partyID)\" is not imported: its own record is rejected too; expected the id of a party imported with this record or already in the database")
                : reference.missingParty
            return placed(problem, entry.location)
        }
        if problems.isEmpty { try accept(entry.record, at: entry.location) } else { try reject(problems) }
        try endWaits([.earlier(number)])
    }

    private func placed(_ problem: DataProblem, _ location: RecordLocation) -> DataProblem {
        problem.within(file: location.file, line: location.line, prefix: location.path)
    }

    // MARK: Both kinds

    private func writeIncident(_ prepared: PreparedIncident, at location: RecordLocation) throws {
        let incident = prepared.incident
        let replaces = settings.dryRun ? try session.hasIncident(id: incident.id) : false
        try session.add(prepared, at: location)
        if settings.dryRun {
            plan.append("incident  \(incident.id)  \(replaces ? "replaces stored" : "new")  \(plural(incident.events.count, "event"))  \(Escape.terminal(incident.title))")
        }
    }

    /// A record that could not be made, with its problems. Without --skip-invalid, reading stops
    /// once `problemLimit` problems are found.
    public func reject(_ recordProblems: [DataProblem]) throws {
        recordParties = []
        rejectedRecords += 1
        if settings.skipInvalid {
            rejected += recordProblems
        } else {
            problems += recordProblems
            if problems.count >= Self.problemLimit { throw DataProblems(problems: problems) }
        }
    }

    /// Once every record is in: throws the collected problems, with what the session finds
    /// missing at the end (nothing will be written); or checks that `incidentID` is stored, then,
    /// with rejected records, runs the session's final checks and hands over the rejects report,
    /// so that a report is never written for an import that then fails.
    func finish(mustHold incidentID: String? = nil) throws {
        try rejectWaiting()
        if !problems.isEmpty {
            // Missing parties and loops are reported with the records' own problems.
            do {
                try session.finish()
            } catch let error as DataProblems {
                problems += error.problems
            } catch let error as DataProblem {
                problems.append(error)
            }
            throw DataProblems(problems: problems)
        }
        if let incidentID, try !session.hasIncident(id: incidentID) { throw StoreLookupError.noIncident(incidentID) }
        guard settings.skipInvalid, !rejected.isEmpty else { return }
        try session.finish()
        try reportRejects(placing(rejected))
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
