import Foundation
import GRDB
import LapseCore

// The SQLite store's side of the store contract (LapseCore/Store): each call goes to the
// store's own query or transaction, and GRDB's errors leave as `StoreFailure`.
extension LapseDatabase: IncidentReading, IncidentSearching, IncidentWriting, IncidentImporting, IncidentExporting {
    // MARK: Reads

    public func parties(ofKind kind: PartyKind?) throws -> [Party] {
        try Self.mappingErrors { try parties(kind: kind) }
    }

    public func party(withID id: String) throws -> Party? {
        try Self.mappingErrors { try party(id: id) }
    }

    public func partiesByID() throws -> [String: Party] {
        try Self.mappingErrors { try partyIndex() }
    }

    public func incident(withID id: String) throws -> Incident? {
        try Self.mappingErrors { try incident(id: id) }
    }

    public func incidents(selectedBy filter: IncidentFilter) throws -> [Incident] {
        try Self.mappingErrors { try incidents(matching: filter) }
    }

    public func incidentSummaries(selectedBy filter: IncidentFilter) throws -> [IncidentSummary] {
        try Self.mappingErrors { try incidentSummaries(matching: filter) }
    }

    public func measurementSet(selectedBy filter: IncidentFilter, withText: Bool) throws -> MeasurementSet {
        try Self.mappingErrors { try measurementSet(matching: filter, withText: withText) }
    }

    // MARK: Search

    public func searchHits(for query: SearchExpression, filter: SearchFilter, limit: Int) throws -> [SearchHit] {
        try Self.mappingErrors { try search(query, filter: filter, limit: limit) }
    }

    // MARK: Single writes

    public func addNewParty(_ party: Party, as context: ChangeContext) throws {
        try Self.mappingErrors { try addParty(party, as: context) }
    }

    public func addNewIncident(_ incident: Incident, as context: ChangeContext) throws {
        try Self.mappingErrors { try addIncident(incident, as: context) }
    }

    public func appendEvent(_ event: Event, toIncident id: String, allowDuplicate: Bool, as context: ChangeContext) throws -> (incident: Incident, index: Int) {
        try Self.mappingErrors { try logEvent(event, toIncident: id, allowDuplicate: allowDuplicate, as: context) }
    }

    // MARK: Bulk import and export

    @discardableResult
    public func importing<T>(dryRun: Bool, as context: ChangeContext, _ body: (any IncidentImportSink) throws -> T) throws -> (result: T, tally: ImportTally) {
        try Self.mappingErrors { try importSession(dryRun: dryRun, as: context) { try body($0) } }
    }

    public func withExportReader<T>(selectedBy filter: IncidentFilter?, batchSize: Int, _ body: (any IncidentExportReader) throws -> T) throws -> T {
        try Self.mappingErrors { try withExportReader(matching: filter, batchSize: batchSize) { try body($0) } }
    }

    public func mergeParties(_ duplicates: [String], into target: String, as context: ChangeContext) throws -> PartyMergeCount {
        try Self.mappingErrors { try merge(parties: duplicates, into: target, as: context) }
    }

    // MARK: Errors

    /// Runs `body`, turning a GRDB error into the contract's `StoreFailure`.
    static func mappingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw storeFailure(for: error) ?? error
        }
    }

    /// The contract's error for a GRDB error (nil for any other error).
    static func storeFailure(for error: any Error) -> StoreFailure? {
        guard let error = error as? DatabaseError else { return nil }
        let message = error.message ?? "\(error)"
        return error.resultCode == .SQLITE_CONSTRAINT ? .constraint(message) : .database(message)
    }
}
