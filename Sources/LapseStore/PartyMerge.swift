import Foundation
import GRDB
import LapseCore

extension LapseDatabase {
    // MARK: - Merging duplicate parties

    /// Merges duplicate parties into one, in one transaction: their incidents, events (and so
    /// their statements), subsidiaries and affiliated people move to `target`; their names and
    /// aliases become the target's aliases; fields the target lacks (role, country, sector) are
    /// taken from them; then they are deleted. `StoreLookupError` for an unknown id,
    /// `DataProblems` when the list is empty, names the target or a party twice.
    public func merge(parties duplicates: [String], into target: String) throws -> PartyMergeCount {
        try writeTransaction { db in
            guard !duplicates.isEmpty else {
                throw DataProblems(problems: [DataProblem(path: "duplicates", message: "no party to merge; expected one or more party ids before --into")])
            }
            if duplicates.contains(target) {
                throw DataProblems(problems: [DataProblem(path: "duplicates", message: "\"\(target)\" is the party merged into; expected other parties")])
            }
            if Set(duplicates).count != duplicates.count {
                throw DataProblems(problems: [DataProblem(path: "duplicates", message: "a party is named twice; expected each once")])
            }
            guard var merged = try Self.parties(db, rows: Row.fetchAll(db, sql: "SELECT * FROM party WHERE id = ?", arguments: [target])).first else {
                throw StoreLookupError.noParty(target)
            }
            var count = PartyMergeCount()
            let gone = Set(duplicates)
            for id in duplicates {
                guard let duplicate = try Self.parties(db, rows: Row.fetchAll(db, sql: "SELECT * FROM party WHERE id = ?", arguments: [id])).first else {
                    throw StoreLookupError.noParty(id)
                }
                for name in [duplicate.name] + duplicate.aliases where name != merged.name && !merged.aliases.contains(name) {
                    merged.aliases.append(name)
                    count.aliases += 1
                }
                merged.role = merged.role ?? duplicate.role
                merged.country = merged.country ?? duplicate.country
                merged.sector = merged.sector ?? duplicate.sector
                // The target cannot become its own parent: it takes the duplicate's place in the chain.
                if merged.parent == id { merged.parent = duplicate.parent.flatMap { $0 == target || gone.contains($0) ? nil : $0 } }
                if merged.affiliation == id { merged.affiliation = duplicate.affiliation.flatMap { $0 == target || gone.contains($0) ? nil : $0 } }
                try db.execute(sql: "UPDATE incident SET organization_id = ? WHERE organization_id = ?", arguments: [target, id])
                count.incidents += db.changesCount
                try db.execute(sql: "UPDATE event SET party_id = ? WHERE party_id = ?", arguments: [target, id])
                count.events += db.changesCount
                try db.execute(sql: "UPDATE party SET parent_id = ? WHERE parent_id = ? AND id <> ?", arguments: [target, id, target])
                count.parties += db.changesCount
                try db.execute(sql: "UPDATE party SET affiliation_id = ? WHERE affiliation_id = ? AND id <> ?", arguments: [target, id, target])
                count.parties += db.changesCount
            }
            try db.execute(sql: "UPDATE party SET parent_id = ?, affiliation_id = ?, role = ?, country = ?, sector = ? WHERE id = ?",
                           arguments: [merged.parent, merged.affiliation, merged.role, merged.country, merged.sector, target])
            try db.execute(sql: "DELETE FROM party WHERE id IN (SELECT value FROM json_each(?))", arguments: [jsonArray(duplicates)])
            let session = ImportSession(db: db)
            try session.add(merged, at: RecordLocation())
            try session.finish()
            return count
        }
    }
}
