import Foundation

// The store contract: what the application needs of a database, in domain types only.
// The SQLite store implements it (LapseStore); a second backend implements the same protocols
// and runs the same contract suite. How a backend makes a call fast (SQL, indexes, full-text
// tables, caches) stays inside it.
//
// Every method throws the contract's errors only: `StoreLookupError` (no such record),
// `DataProblems` (the data is invalid; nothing was written) and `StoreFailure` (the database
// refused or failed), besides a backend's own opening errors.

/// Reads: incidents selected by a filter, one incident with its events, parties, and the
/// measurement data the delay engine, statistics and checks use.
public protocol IncidentReading: Sendable {
    /// Every party of a kind (all kinds for nil), in id order, with aliases.
    func parties(ofKind kind: PartyKind?) throws -> [Party]
    /// One party with its aliases, or nil.
    func party(withID id: String) throws -> Party?
    /// Every party by id, without aliases: names, kinds, parent and affiliation chains, sectors.
    func partiesByID() throws -> [String: Party]
    /// One incident with its events and sources, or nil.
    func incident(withID id: String) throws -> Incident?
    /// The incidents a filter selects, in id order, with events and sources. `company` matches
    /// as `CompanyMatch` says and includes subsidiaries.
    func incidents(selectedBy filter: IncidentFilter) throws -> [Incident]
    /// One summary line per selected incident, in id order.
    func incidentSummaries(selectedBy filter: IncidentFilter) throws -> [IncidentSummary]
    /// The selected incidents for measuring (events without sources; summaries and quotes only
    /// `withText`), and every party by id.
    func measurementSet(selectedBy filter: IncidentFilter, withText: Bool) throws -> MeasurementSet
}

/// Full-text search over incidents, events, quotes and parties.
public protocol IncidentSearching: Sendable {
    /// Hits for every word of `text` (as a word or the start of one, ignoring case and accents),
    /// best first, at most `limit`.
    func searchHits(for text: String, limit: Int) throws -> [SearchHit]
}

/// Single-record writes, each one transaction that keeps the data valid.
public protocol IncidentWriting: Sendable {
    /// Adds a new party; `DataProblems` when the id is taken or the party is invalid.
    func addNewParty(_ party: Party) throws
    /// Adds a new incident (events included); `DataProblems` when the id is taken or it is invalid.
    func addNewIncident(_ incident: Incident) throws
    /// Appends an event to a stored incident; returns the incident as it now stands and the
    /// input index of the new event.
    func appendEvent(_ event: Event, toIncident id: String) throws -> (incident: Incident, index: Int)
    /// Merges duplicate parties into `target` in one transaction: incidents, events, statements,
    /// subsidiaries and affiliations move; the duplicates' names become aliases; they are deleted.
    func mergeParties(_ duplicates: [String], into target: String) throws -> PartyMergeCount
}

/// Everything the application layer asks of a store.
public typealias IncidentStore = IncidentReading & IncidentSearching & IncidentWriting
