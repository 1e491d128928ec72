import Foundation
import LapseCore

/// Records a new incident (its events come one by one through `EventLogger`).
public struct IncidentRecorder: Sendable {
    let store: any IncidentWriting

    public init(store: any IncidentWriting) { self.store = store }

    /// Adds a new incident; `DataProblems` when the id is taken or the incident is invalid.
    public func add(_ incident: Incident, as context: ChangeContext) throws {
        try store.addNewIncident(incident, as: context)
    }

    /// `add` with the author from the environment.
    public func add(_ incident: Incident) throws {
        try add(incident, as: .fromEnvironment(command: "incident add \(incident.id)"))
    }
}
