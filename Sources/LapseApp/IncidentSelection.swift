import Foundation
import LapseCore

/// Which incidents a measuring use case looks at: named ids (all incidents when none), a
/// company with its subsidiaries, and a range of first-event instants.
public struct IncidentSelection: Sendable {
    public var ids: [String]
    public var company: String?
    /// First events at or after this instant (seconds since 1970 UTC).
    public var since: Int?
    /// First events before this instant.
    public var before: Int?

    public init(ids: [String] = [], company: String? = nil, since: Int? = nil, before: Int? = nil) {
        self.ids = ids
        self.company = company
        self.since = since
        self.before = before
    }

    /// The store filter this selection reads with.
    public var filter: IncidentFilter { IncidentFilter(ids: ids, company: company, since: since, before: before) }

    /// Loads the selection for measuring, failing on a named incident that is not stored.
    func load(from store: any IncidentReading, withText: Bool = false) throws -> MeasurementSet {
        let set = try store.measurementSet(selectedBy: filter, withText: withText)
        if !ids.isEmpty {
            let found = Set(set.incidents.map(\.id))
            if let missing = ids.first(where: { !found.contains($0) }) { throw StoreLookupError.noIncident(missing) }
        }
        return set
    }
}
