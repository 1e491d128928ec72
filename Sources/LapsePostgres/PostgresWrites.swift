import Foundation
import LapseCore

// Writes: each call is one transaction under the store's write lock, recorded in the change log.

extension PostgresStore: IncidentImporting {
    @discardableResult
    public func importing<T>(dryRun: Bool, as context: ChangeContext, _ body: (any IncidentImportSink) throws -> T) throws -> (result: T, tally: ImportTally) {
        // An import's body reads its input once: it is never run twice.
        try write(rollback: dryRun, retrying: false) { session in
            let sink = PostgresImport(session: session, recorder: ChangeRecorder(session: session, context: context))
            let result = try body(sink)
            try sink.finish()
            return (result, sink.tally)
        }
    }
}

extension PostgresStore: IncidentWriting {
    public func addNewParty(_ party: Party, as context: ChangeContext) throws {
        try write { session in
            if try session.one("SELECT 1 FROM party WHERE id = $1", [.text(party.id)]) != nil {
                throw DataProblems(problems: [DataProblem(path: "id", message: "a party with id \"\(party.id)\" already exists; expected a new id (import a lapse/1 file to merge changes into a party)")])
            }
            let sink = PostgresImport(session: session, recorder: nil)
            try sink.add(party, at: RecordLocation())
            try sink.finish()
            try Self.recordOne(session, context, RecordKey(.party, party.id), before: nil)
        }
    }

    public func addNewIncident(_ incident: Incident, as context: ChangeContext) throws {
        try write { session in
            if try session.one("SELECT 1 FROM incident WHERE id = $1", [.text(incident.id)]) != nil {
                throw DataProblems(problems: [DataProblem(path: "id", message: "an incident with id \"\(incident.id)\" already exists; expected a new id (`lapse log` adds events to it)")])
            }
            let sink = PostgresImport(session: session, recorder: nil)
            try sink.add(incident, at: RecordLocation())
            try sink.finish()
            try Self.recordOne(session, context, RecordKey(.incident, incident.id), before: nil)
        }
    }

    public func appendEvent(_ event: Event, toIncident id: String, allowDuplicate: Bool, as context: ChangeContext) throws -> (incident: Incident, index: Int) {
        try write { session in
            // Concurrent writers of the same incident queue here: the write lock is held.
            guard let before = try Self.fetchIncidents(session, ids: [id]).first else { throw StoreLookupError.noIncident(id) }
            if !allowDuplicate, let same = before.events.firstIndex(where: {
                $0.type == event.type && $0.at.description == event.at.description && $0.party == event.party && $0.summary == event.summary
            }) {
                throw DataProblems(problems: [DataProblem(path: "", message: "event \(EventIDs.effective(for: before)[same]) already records this \(event.type.rawValue) at \(event.at) with the same party and summary; expected a new event (pass --allow-duplicate to log it again)")])
            }
            var incident = before
            incident.events.append(event)
            let (problems, references) = Validator.check(incident)
            if let problem = problems.first { throw DataProblems(problems: [problem]) }
            for ref in references where ref.path.hasPrefix("events[\(before.events.count)]") {
                if try session.one("SELECT 1 FROM party WHERE id = $1", [.text(ref.partyID)]) == nil {
                    throw DataProblems(problems: [DataProblem(path: "party", message: "no party with id \"\(ref.partyID)\"; expected the id of a stored party (see `lapse parties`, or add one with `lapse party add`)")])
                }
            }
            let sink = PostgresImport(session: session, recorder: nil)
            try sink.add(incident, at: RecordLocation())
            try sink.finish()
            try Self.recordOne(session, context, RecordKey(.incident, id), before: .incident(before))
            return (incident, incident.events.count - 1)
        }
    }

    public func mergeParties(_ duplicates: [String], into target: String, as context: ChangeContext) throws -> PartyMergeCount {
        try write { session in
            try PartyMergeCount.checkArguments(duplicates, into: target)
            guard var merged = try Self.fetchParty(session, id: target) else { throw StoreLookupError.noParty(target) }
            let gone = Set(duplicates)
            var count = PartyMergeCount()
            for id in duplicates {
                guard let duplicate = try Self.fetchParty(session, id: id) else { throw StoreLookupError.noParty(id) }
                count.aliases += merged.absorb(duplicate, mergedAway: gone)
            }
            // Every record the merge touches, in its new state.
            let named: [Bind] = [.texts(duplicates)]
            var states: [RecordState] = [.party(merged)]
            let partyIDs = try session.strings("""
                SELECT id FROM party WHERE (parent_id = ANY($1) OR affiliation_id = ANY($1)) AND NOT id = ANY($1) AND id <> $2 ORDER BY id
                """, named + [.text(target)])
            for var party in try Self.parties(session, ids: partyIDs) {
                if let parent = party.parent, gone.contains(parent) { party.parent = target; count.parties += 1 }
                if let affiliation = party.affiliation, gone.contains(affiliation) { party.affiliation = target; count.parties += 1 }
                states.append(.party(party))
            }
            let incidentIDs = try session.strings("""
                SELECT id FROM incident WHERE organization_id = ANY($1) UNION SELECT incident_id FROM event WHERE party_id = ANY($1) ORDER BY 1
                """, named)
            for var incident in try Self.fetchIncidents(session, ids: incidentIDs) {
                if gone.contains(incident.organization) { incident.organization = target; count.incidents += 1 }
                for i in incident.events.indices where incident.events[i].party.map(gone.contains) == true {
                    incident.events[i].party = target
                    count.events += 1
                }
                states.append(.incident(incident))
            }
            states += duplicates.map { .deleting(RecordKey(.party, $0)) }
            _ = try Self.write(states, session: session, context: context)
            return count
        }
    }

    /// Records one change of one record: its state before and as it now stands.
    static func recordOne(_ session: Session, _ context: ChangeContext, _ key: RecordKey, before: LapseRecord?) throws {
        let recorder = ChangeRecorder(session: session, context: context)
        try recorder.record(key, before: before, after: try record(session, key))
        try recorder.flush()
    }
}

extension PostgresStore: RecordWriting {
    public func write(_ states: [RecordState], as context: ChangeContext) throws -> Change {
        try write { session in try Self.write(states, session: session, context: context) }
    }

    public func write(_ states: [RecordState], as context: ChangeContext, refusingChangesAfter change: Int) throws -> Change {
        try write { session in
            if let later = try Self.firstChange(session, after: change, touching: states.map(\.key)) {
                throw RevertConflict(change: change, later: later)
            }
            return try Self.write(states, session: session, context: context)
        }
    }

    static func write(_ states: [RecordState], session: Session, context: ChangeContext) throws -> Change {
        var seen = Set<RecordKey>()
        for state in states where !seen.insert(state.key).inserted {
            throw DataProblems(problems: [DataProblem(path: "", message: "\(state.key) is given twice in one change; expected each record once")])
        }
        var befores: [RecordKey: LapseRecord] = [:]
        for state in states {
            if let before = try record(session, state.key) { befores[state.key] = before }
        }
        let sink = PostgresImport(session: session, recorder: nil)
        // Incidents go before the parties they may name; parties are deleted last, once nothing
        // written here refers to them any more.
        let incidentsGone = states.filter { $0.state == nil && $0.key.kind == .incident && befores[$0.key] != nil }.map(\.key.id)
        if !incidentsGone.isEmpty { try session.execute("DELETE FROM incident WHERE id = ANY($1)", [.texts(incidentsGone)]) }
        for state in states {
            if case .party(let party)? = state.state { try sink.replace(party, at: RecordLocation(path: "party \(party.id)")) }
        }
        for state in states {
            // The sink replaces a stored incident whole.
            if case .incident(let incident)? = state.state { try sink.add(incident, at: RecordLocation(path: "incident \(incident.id)")) }
        }
        try sink.writePending()
        var problems: [DataProblem] = []
        // Parties deleted in this same change may refer to each other (a merge of a company and
        // its subsidiary): such references go with them.
        let deletedParties = Set(states.filter { $0.state == nil && $0.key.kind == .party }.map(\.key.id))
        for state in states where state.state == nil && state.key.kind == .party && befores[state.key] != nil {
            let references = try partyReferences(session, state.key.id, ignoring: deletedParties)
            if references.isEmpty {
                try session.execute("DELETE FROM party WHERE id = $1", [.text(state.key.id)])
            } else {
                let shown = references.prefix(10).joined(separator: ", ") + (references.count > 10 ? " and \(references.count - 10) more" : "")
                problems.append(DataProblem(path: "party \(state.key.id)", message: "the party is still referenced by \(shown); expected no references (edit or delete them first)"))
            }
        }
        if !problems.isEmpty { throw DataProblems(problems: problems) }
        try sink.finish()
        let recorder = ChangeRecorder(session: session, context: context)
        try recorder.begin()
        var records: [ChangedRecord] = []
        for state in states {
            let before = befores[state.key]
            let after = try record(session, state.key)
            guard before != nil || after != nil else { continue }
            try recorder.record(state.key, before: before, after: after)
            records.append(ChangedRecord(key: state.key, before: before, after: after))
        }
        try recorder.flush()
        return Change(id: recorder.changeID!, at: recorder.at, author: context.author, command: context.command, records: records)
    }

    /// What still refers to a party: incidents it is the organization of, events it is the
    /// party of, parties it is the parent or affiliation of.
    static func partyReferences(_ session: Session, _ id: String, ignoring deleted: Set<String> = []) throws -> [String] {
        try session.strings("""
            SELECT 'incident ' || id || ' (organization)' FROM incident WHERE organization_id = $1
            UNION ALL SELECT 'event ' || coalesce(e.id, e.incident_id || '.e' || (e.position + 1)::text) || ' (party)' FROM event e WHERE e.party_id = $1
            UNION ALL SELECT 'party ' || id || ' (parent)' FROM party WHERE parent_id = $1 AND NOT id = ANY($2)
            UNION ALL SELECT 'party ' || id || ' (affiliation)' FROM party WHERE affiliation_id = $1 AND NOT id = ANY($2)
            """, [.text(id), .texts(deleted.sorted())])
    }

    public func pruneChanges(before time: String, as context: ChangeContext) throws -> Int {
        try write { session in
            let count = try session.execute("DELETE FROM change_log WHERE at < $1", [.text(time)])
            try ChangeRecorder(session: session, context: context).begin()
            return count
        }
    }
}
