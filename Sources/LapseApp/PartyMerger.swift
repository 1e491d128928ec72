import Foundation
import LapseCore

/// Merges duplicate parties into one: the single entry point for `party merge`, so that a
/// change log can record the merge around this one call.
public struct PartyMerger: Sendable {
    let store: any IncidentReading & IncidentWriting

    public init(store: any IncidentReading & IncidentWriting) { self.store = store }

    /// Moves the duplicates' incidents, events, statements, subsidiaries and aliases to
    /// `target` and deletes them, in one transaction; returns the party as it now stands and
    /// what moved. `StoreLookupError` for an unknown id, `DataProblems` for a bad list. The
    /// merge is one change in the change log, under `context` (by default the environment's
    /// author), so `lapse revert` undoes it.
    public func merge(_ duplicates: [String], into target: String, as context: ChangeContext? = nil) throws -> (party: Party, moved: PartyMergeCount) {
        let moved = try context.map { try store.mergeParties(duplicates, into: target, as: $0) } ?? store.mergeParties(duplicates, into: target)
        guard let party = try store.party(withID: target) else { throw StoreLookupError.noParty(target) }
        return (party, moved)
    }
}

extension PartyRegistry {
    /// Likely duplicates: groups of two or more parties (other than people) whose names or
    /// aliases are the same once case, punctuation and legal forms are ignored ("Humana" and
    /// "Humana, Inc."), each group in id order, groups by their first name.
    public func duplicates() throws -> [[Party]] {
        let parties = try store.parties(ofKind: nil).filter { $0.kind != .person }
        var groups: [String: Set<String>] = [:]
        for party in parties {
            for name in [party.name] + party.aliases {
                let key = CompanyMatch.nameKey(name)
                if !key.isEmpty { groups[key, default: []].insert(party.id) }
            }
        }
        // Parties sharing any key are one group (a name of one may be an alias of another).
        var root: [String: String] = [:]
        func find(_ id: String) -> String {
            var r = id
            while let up = root[r], up != r { r = up }
            return r
        }
        for ids in groups.values where ids.count > 1 {
            let sorted = ids.sorted()
            for id in sorted.dropFirst() { root[find(id)] = find(sorted[0]) }
        }
        let grouped = Set(groups.values.filter { $0.count > 1 }.flatMap { $0 })
        var members: [String: [Party]] = [:]
        for party in parties where grouped.contains(party.id) {
            members[find(party.id), default: []].append(party)
        }
        let result = members.values.map { $0.sorted { $0.id < $1.id } }
        return result.filter { $0.count > 1 }.sorted { ($0[0].name, $0[0].id) < ($1[0].name, $1[0].id) }
    }
}
