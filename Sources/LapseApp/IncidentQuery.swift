import Foundation
import LapseCore

/// Lists incidents by company, kind or first-event date.
public struct IncidentQuery: Sendable {
    let store: any IncidentReading

    public init(store: any IncidentReading) { self.store = store }

    /// The keys `incidents` sorts by.
    public static let sortKeys = ["first-event", "id", "company", "title", "records", "events"]

    /// One line per incident the filter selects, by first event (or as `order` says).
    public func incidents(_ filter: IncidentFilter, order: ListingOrder = ListingOrder()) throws -> [IncidentListing] {
        let listings = try store.incidentSummaries(selectedBy: filter).map(IncidentListing.init)
        if order.isNatural { return listings }
        let key = order.key ?? "first-event"
        guard Self.sortKeys.contains(key) else { throw UnknownSortKey(key: key, allowed: Self.sortKeys) }
        return order.apply(listings) { l in
            switch key {
            case "id": .text(l.id)
            case "company": .text(l.organizationName)
            case "title": .text(l.title)
            case "records": l.recordsAffected.map { .number(Double($0)) }
            case "events": .number(Double(l.events))
            default: l.firstEvent.map { .text($0) }
            }
        }
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
