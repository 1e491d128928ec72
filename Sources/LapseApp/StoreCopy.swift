import LapseCore

/// `lapse db copy`: every party, incident and change of one store written into another, in one
/// import (all or nothing). The source is read in one transaction, so a copy is one state of it
/// however long it takes. The destination's change log holds the source's changes, then the
/// copy's own.
public enum StoreCopy {
    /// Why a copy was refused before anything was written.
    public struct Refused: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// What a copy wrote: the import's tally, and how many changes of the source's log it restored.
    public struct Copied: Sendable {
        public var tally: ImportTally
        public var changes: Int
    }

    /// Copies `source` into `destination`, which must hold no party and no change; `progress`
    /// hears how many incidents were copied so far.
    public static func copy(from source: any IncidentStore, to destination: any IncidentStore, as context: ChangeContext,
                            progress: (Int) -> Void = { _ in }) throws -> Copied {
        let parties = try destination.parties(ofKind: nil).count
        let changes = try destination.changes(selectedBy: ChangeFilter(), limit: 1).count
        guard parties == 0, changes == 0 else {
            throw Refused(message: "the destination is not empty (it holds \(parties) parties\(changes > 0 ? " and a change log" : "")): copy into a new, empty database")
        }
        return try source.withExportReader(selectedBy: nil) { reader in
            let history = Array(try reader.changes().reversed())
            let tally = try destination.importing(dryRun: false, as: context) { sink in
                try sink.restoreHistory(history)
                try reader.forEachPartyBatch { batch in
                    for party in batch { try sink.add(party, at: RecordLocation(path: "party \(party.id)")) }
                }
                var copied = 0
                try reader.forEachIncidentBatch { batch in
                    for incident in batch { try sink.add(incident, at: RecordLocation(path: "incident \(incident.id)")) }
                    copied += batch.count
                    progress(copied)
                }
            }.tally
            return Copied(tally: tally, changes: history.count)
        }
    }
}
