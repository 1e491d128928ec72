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
    /// The incidents with an event whose stored id is `id`, in id order (derived ids are not
    /// stored: `EventIDs`).
    func incidentIDs(havingEventID id: String) throws -> [String]
}

/// Full-text search over incidents, events, quotes and parties.
public protocol IncidentSearching: Sendable {
    /// Hits for `query` (see `SearchExpression`; ignoring case and accents) that `filter` lets
    /// through, best first, at most `limit`. None for an empty query.
    func searchHits(for query: SearchExpression, filter: SearchFilter, limit: Int) throws -> [SearchHit]
}

extension IncidentSearching {
    /// Hits for `text` parsed as a `SearchExpression`, unfiltered.
    public func searchHits(for text: String, limit: Int) throws -> [SearchHit] {
        try searchHits(for: SearchExpression(parsing: text), filter: SearchFilter(), limit: limit)
    }
}

/// Single-record writes, each one transaction that keeps the data valid and records itself in
/// the change log (`ChangeLog.swift`) under `context`.
public protocol IncidentWriting: Sendable {
    /// Adds a new party; `DataProblems` when the id is taken or the party is invalid.
    func addNewParty(_ party: Party, as context: ChangeContext) throws
    /// Adds a new incident (events included); `DataProblems` when the id is taken or it is invalid.
    func addNewIncident(_ incident: Incident, as context: ChangeContext) throws
    /// Appends an event to a stored incident; returns the incident as it now stands and the
    /// input index of the new event. Unless `allowDuplicate`, `DataProblems` when the incident
    /// already has an event of the same type, time, party and summary (naming its id).
    func appendEvent(_ event: Event, toIncident id: String, allowDuplicate: Bool, as context: ChangeContext) throws -> (incident: Incident, index: Int)
    /// Merges duplicate parties into `target` in one transaction, recorded as one change:
    /// incidents, events, statements, subsidiaries and affiliations move; the duplicates' names
    /// become aliases; they are deleted.
    func mergeParties(_ duplicates: [String], into target: String, as context: ChangeContext) throws -> PartyMergeCount
}

extension IncidentWriting {
    /// `addNewParty` with the author from the environment.
    public func addNewParty(_ party: Party) throws {
        try addNewParty(party, as: .fromEnvironment(command: "party add \(party.id)"))
    }

    /// `addNewIncident` with the author from the environment.
    public func addNewIncident(_ incident: Incident) throws {
        try addNewIncident(incident, as: .fromEnvironment(command: "incident add \(incident.id)"))
    }

    /// `appendEvent` refusing duplicates, with the author from the environment.
    public func appendEvent(_ event: Event, toIncident id: String) throws -> (incident: Incident, index: Int) {
        try appendEvent(event, toIncident: id, allowDuplicate: false, as: .fromEnvironment(command: "log \(id)"))
    }

    /// `mergeParties` with the author from the environment.
    public func mergeParties(_ duplicates: [String], into target: String) throws -> PartyMergeCount {
        try mergeParties(duplicates, into: target, as: .fromEnvironment(command: "party merge \(duplicates.joined(separator: " ")) --into \(target)"))
    }
}

/// Everything the application layer asks of a store.
public typealias IncidentStore = IncidentReading & IncidentSearching & IncidentWriting & IncidentImporting & IncidentExporting
    & RecordWriting & ChangeReading
