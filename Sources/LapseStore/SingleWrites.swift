import Foundation
import GRDB
import LapseCore

extension LapseDatabase {
    // MARK: - Single edits from the command line

    /// Adds a new party; fails if the id is taken.
    public func addParty(_ party: Party, as context: ChangeContext = .fromEnvironment(command: "party add")) throws {
        try writeTransaction { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM party WHERE id = ?", arguments: [party.id]) != nil {
                throw DataProblems(problems: [DataProblem(path: "id", message: "a party with id \"\(party.id)\" already exists; expected a new id (import a lapse/1 file to merge changes into a party)")])
            }
            let session = ImportSession(db: db)
            try session.add(party, at: RecordLocation())
            try session.finish()
            try ChangeRecorder(db: db, context: context).record(RecordKey(.party, party.id), before: nil,
                                                                after: try Self.fetchParty(db, id: party.id).map(LapseRecord.party))
        }
    }

    /// Adds a new incident; fails if the id is taken.
    public func addIncident(_ incident: Incident, as context: ChangeContext = .fromEnvironment(command: "incident add")) throws {
        try writeTransaction { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM incident WHERE id = ?", arguments: [incident.id]) != nil {
                throw DataProblems(problems: [DataProblem(path: "id", message: "an incident with id \"\(incident.id)\" already exists; expected a new id (`lapse log` adds events to it)")])
            }
            let session = ImportSession(db: db)
            try session.add(incident, at: RecordLocation())
            try session.finish()
            try ChangeRecorder(db: db, context: context).record(RecordKey(.incident, incident.id), before: nil,
                                                                after: try Self.fetchIncidents(db, ids: [incident.id]).first.map(LapseRecord.incident))
        }
    }

    /// Appends an event to a stored incident and returns the incident as it now stands,
    /// with the input index of the new event. Unless `allowDuplicate`, refuses an event with the
    /// type, time, party and summary of one already in the incident, naming it.
    public func logEvent(_ event: Event, toIncident incidentID: String, allowDuplicate: Bool = false,
                         as context: ChangeContext = .fromEnvironment(command: "log")) throws -> (incident: Incident, index: Int) {
        try writeTransaction { db in
            guard var incident = try Self.fetchIncidents(db, ids: [incidentID]).first else {
                throw StoreLookupError.noIncident(incidentID)
            }
            let before = incident
            if !allowDuplicate, let same = incident.events.firstIndex(where: {
                $0.type == event.type && $0.at.description == event.at.description && $0.party == event.party && $0.summary == event.summary
            }) {
                throw DataProblems(problems: [DataProblem(path: "", message: "event \(EventIDs.effective(for: incident)[same]) already records this \(event.type.rawValue) at \(event.at) with the same party and summary; expected a new event (pass --allow-duplicate to log it again)")])
            }
            var probe = incident
            probe.events.append(event)
            let (problems, references) = Validator.check(probe)
            if let problem = problems.first {
                throw DataProblems(problems: [problem])
            }
            let session = ImportSession(db: db)
            for ref in references where ref.path.hasPrefix("events[\(incident.events.count)]") {
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM party WHERE id = ?", arguments: [ref.partyID]) == nil {
                    throw DataProblems(problems: [DataProblem(path: "party", message: "no party with id \"\(ref.partyID)\"; expected the id of a stored party (see `lapse parties`, or add one with `lapse party add`)")])
                }
            }
            let position = (try Int.fetchOne(db, sql: "SELECT max(position) FROM event WHERE incident_id = ?", arguments: [incidentID]) ?? -1) + 1
            let zone = incident.zone
            try session.writeEvent(event, PreparedEvent(event, zone: zone), incidentID: incidentID, position: position)
            incident.events.append(event)
            let first = PreparedIncident.firstEvent(incident.events, zone: zone)
            try db.execute(sql: "UPDATE incident SET first_instant = ?, first_at = ?, event_count = ? WHERE id = ?",
                           arguments: [first?.instant, first?.at.description, incident.events.count, incidentID])
            try ChangeRecorder(db: db, context: context).record(RecordKey(.incident, incidentID), before: .incident(before),
                                                                after: try Self.fetchIncidents(db, ids: [incidentID]).first.map(LapseRecord.incident))
            return (incident, incident.events.count - 1)
        }
    }
}
