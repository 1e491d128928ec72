import Foundation
import LapseCore

/// Records one event of a stored incident and says where it fell in the timeline.
public struct EventLogger: Sendable {
    let store: any IncidentWriting & IncidentReading

    public init(store: any IncidentWriting & IncidentReading) { self.store = store }

    /// Appends the event; `StoreLookupError` for an unknown incident, `DataProblems` naming
    /// every problem of an invalid event (an unknown party among them).
    /// Unless `allowDuplicate`, `DataProblems` naming the event already recording the same type,
    /// time, party and summary.
    public func log(_ event: Event, toIncident id: String, allowDuplicate: Bool = false, as context: ChangeContext) throws -> LoggedEvent {
        try log(EventDraft(event), toIncident: id, allowDuplicate: allowDuplicate, as: context)
    }

    /// Appends the event a draft describes, as `log` does; `DataProblems` names the draft's
    /// problems reading its fields together with every other problem.
    public func log(_ draft: EventDraft, toIncident id: String, allowDuplicate: Bool = false, as context: ChangeContext) throws -> LoggedEvent {
        // Only a span's check needs the incident (its time zone); the store reads it anyway.
        var zone = Zones.utc
        if draft.at != nil, draft.until != nil {
            guard let incident = try store.incident(withID: id) else { throw StoreLookupError.noIncident(id) }
            zone = incident.zone
        }
        let event = try EventChecks(store: store).event(draft, zone: zone)
        let (logged, index) = try store.appendEvent(event, toIncident: id, allowDuplicate: allowDuplicate, as: context)
        return LoggedEvent(incident: logged, inputIndex: index)
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
