import Foundation
import LapseCore

/// Lists incidents by company, kind or first-event date.
public struct IncidentQuery: Sendable {
    let store: any IncidentReading

    public init(store: any IncidentReading) { self.store = store }

    /// One line per incident the filter selects, in id order.
    public func incidents(_ filter: IncidentFilter) throws -> [IncidentListing] {
        try store.incidentSummaries(selectedBy: filter).map(IncidentListing.init)
    }
}

/// One incident of a list, without its events: the `incidents` resource.
public struct IncidentListing: Sendable, Hashable, Encodable {
    public var id: String
    public var title: String
    public var organization: String
    public var organizationName: String
    public var kinds: [IncidentKind]
    /// The earliest event's time as written.
    public var firstEvent: String?
    /// How many events the incident has.
    public var events: Int
    public var recordsAffected: Int?

    public init(_ s: IncidentSummary) {
        id = s.id
        title = s.title
        organization = s.organization
        organizationName = s.organizationName
        kinds = s.kinds
        firstEvent = s.firstEvent
        events = s.eventCount
        recordsAffected = s.recordsAffected
    }

    enum CodingKeys: String, CodingKey {
        case id, title, organization, organizationName = "organization_name", kinds, firstEvent = "first_event", events
        case recordsAffected = "records_affected"
    }
}
