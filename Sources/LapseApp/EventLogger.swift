import Foundation
import LapseCore

/// Records one event of a stored incident and says where it fell in the timeline.
public struct EventLogger: Sendable {
    let store: any IncidentWriting

    public init(store: any IncidentWriting) { self.store = store }

    /// Appends the event; `StoreLookupError` for an unknown incident, `DataProblems` for an
    /// invalid event or an unknown party.
    /// Unless `allowDuplicate`, `DataProblems` naming the event already recording the same type,
    /// time, party and summary.
    public func log(_ event: Event, toIncident id: String, allowDuplicate: Bool = false, as context: ChangeContext) throws -> LoggedEvent {
        let (incident, index) = try store.appendEvent(event, toIncident: id, allowDuplicate: allowDuplicate, as: context)
        return LoggedEvent(incident: incident, inputIndex: index)
    }

    /// `log` with the author from the environment.
    public func log(_ event: Event, toIncident id: String) throws -> LoggedEvent {
        try log(event, toIncident: id, as: .fromEnvironment(command: "log \(id)"))
    }
}

/// An event just logged: the incident as it now stands and the event's place in its timeline.
public struct LoggedEvent: Sendable {
    public let incident: Incident
    public let timeline: Timeline
    /// The new event's position in time order, or nil if it is not on the timeline.
    public let position: Int?
    /// The new event's id (given or derived: `EventIDs`).
    public let id: String

    init(incident: Incident, inputIndex: Int) {
        self.incident = incident
        timeline = Timeline(incident)
        position = timeline.position(ofInputIndex: inputIndex)
        id = EventIDs.effective(for: incident)[inputIndex]
    }

    /// The new event's entry.
    public var entry: Timeline.Entry? { position.map { timeline.entries[$0] } }
    /// The entry just before it in time.
    public var previous: Timeline.Entry? { position.flatMap { $0 > 0 ? timeline.entries[$0 - 1] : nil } }
    /// The entry just after it in time.
    public var next: Timeline.Entry? { position.flatMap { $0 + 1 < timeline.entries.count ? timeline.entries[$0 + 1] : nil } }
}
