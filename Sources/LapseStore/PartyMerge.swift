import Foundation
import GRDB
import LapseCore

extension LapseDatabase {
    // MARK: - Merging duplicate parties

    /// Merges duplicate parties into one, in one transaction: their incidents, events (and so
    /// their statements), subsidiaries and affiliated people move to `target`; their names and
    /// aliases become the target's aliases; fields the target lacks (role, country, sector) are
    /// taken from them; then they are deleted. `StoreLookupError` for an unknown id,
    /// `DataProblems` when the list is empty, names the target or a party twice. The merge is
    /// one change in the change log, with the state before and after of every party and
    /// incident it touched, so `lapse revert` undoes it.
    public func merge(parties duplicates: [String], into target: String,
                      as context: ChangeContext = .fromEnvironment(command: "party merge")) throws -> PartyMergeCount {
        try writeTransaction { db in
            try PartyMergeCount.checkArguments(duplicates, into: target)
            guard var merged = try Self.parties(db, rows: Row.fetchAll(db, sql: "SELECT * FROM party WHERE id = ?", arguments: [target])).first else {
                throw StoreLookupError.noParty(target)
            }
            // What the merge touches, read before it: for the change log.
            let named = jsonArray(duplicates)
            let incidentIDs = try String.fetchAll(db, sql: """
                SELECT id FROM incident WHERE organization_id IN (SELECT value FROM json_each(?1))
                UNION SELECT incident_id FROM event WHERE party_id IN (SELECT value FROM json_each(?1)) ORDER BY 1
                """, arguments: [named])
            let partyIDs = try String.fetchAll(db, sql: """
                SELECT id FROM party WHERE id = ?1 OR id IN (SELECT value FROM json_each(?2))
                    OR parent_id IN (SELECT value FROM json_each(?2)) OR affiliation_id IN (SELECT value FROM json_each(?2)) ORDER BY id
                """, arguments: [target, named])
            let incidentsBefore = try Self.fetchIncidents(db, ids: incidentIDs)
            let partiesBefore = try Self.parties(db, rows: Row.fetchAll(db, sql: "SELECT * FROM party WHERE id IN (SELECT value FROM json_each(?))",
                                                                          arguments: [jsonArray(partyIDs)]))
            var count = PartyMergeCount()
            let gone = Set(duplicates)
            for id in duplicates {
                guard let duplicate = try Self.parties(db, rows: Row.fetchAll(db, sql: "SELECT * FROM party WHERE id = ?", arguments: [id])).first else {
                    throw StoreLookupError.noParty(id)
                }
                count.aliases += merged.absorb(duplicate, mergedAway: gone)
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
            let recorder = ChangeRecorder(db: db, context: context)
            let partiesAfter = try Self.parties(db, rows: Row.fetchAll(db, sql: "SELECT * FROM party WHERE id IN (SELECT value FROM json_each(?))",
                                                                         arguments: [jsonArray(partyIDs)]))
            let after = Dictionary(partiesAfter.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for party in partiesBefore {
                try recorder.record(RecordKey(.party, party.id), before: .party(party), after: after[party.id].map(LapseRecord.party))
            }
            let incidentsAfter = Dictionary(try Self.fetchIncidents(db, ids: incidentIDs).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for incident in incidentsBefore {
                try recorder.record(RecordKey(.incident, incident.id), before: .incident(incident), after: incidentsAfter[incident.id].map(LapseRecord.incident))
            }
            return count
        }
    }
}
