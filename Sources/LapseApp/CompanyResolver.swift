import Foundation
import LapseCore

/// Finds the parties a company name means, the way people type names (`CompanyMatch`): for
/// listings every match; for a command about one company, the one party meant.
public struct CompanyResolver: Sendable {
    let store: any IncidentReading

    public init(store: any IncidentReading) { self.store = store }

    /// Every party (other than people) the name matches, best first: exact id, exact name or
    /// alias, normalised name, then a word or phrase of the name.
    public func candidates(_ name: String) throws -> [CompanyCandidate] {
        let parties = try store.parties(ofKind: nil).filter { $0.kind != .person }
        return CompanyMatch.matches(name, in: parties).map { CompanyCandidate(party: $0.party, rank: $0.rank) }
    }

    /// The one party a name means: the only match, or the only one of the best rank when that
    /// rank is better than a word match. A `DataProblem` listing the candidates otherwise, or
    /// when nothing matches.
    public func resolve(_ name: String) throws -> Party {
        let found = try candidates(name)
        guard let best = found.first else {
            throw DataProblem(path: "", message: "no company matches \"\(name)\"; `lapse parties --kind organization` lists the companies")
        }
        let top = found.filter { $0.rank == best.rank }
        if found.count == 1 || (top.count == 1 && best.rank > .word) { return best.party }
        throw DataProblem(path: "", message: Self.ambiguity(name, found))
    }

    static func ambiguity(_ name: String, _ found: [CompanyCandidate]) -> String {
        let shown = found.prefix(20).map { "  \($0.party.id)  \($0.party.name)  (\($0.rank))" }
        let more = found.count > 20 ? ["  ... and \(found.count - 20) more"] : []
        return (["\"\(name)\" matches \(found.count) companies; name one by its id or full name, or give --all-matches to combine them:"]
            + shown + more).joined(separator: "\n")
    }
}

/// A party a company name matched, and how well.
public struct CompanyCandidate: Sendable {
    public var party: Party
    public var rank: CompanyMatch.Rank
}
