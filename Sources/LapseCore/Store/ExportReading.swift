import Foundation

/// Exports: the selected incidents and the parties they need, in key order, a bounded batch at
/// a time, so memory stays flat in the size of the database.
public protocol IncidentExporting: Sendable {
    /// Runs `body` with a reader of the selected incidents (all when the filter is nil) that sees
    /// one unchanging state of the data however long the export takes. `batchSize` is how many
    /// incidents (or parties) one batch holds.
    func withExportReader<T>(selectedBy filter: IncidentFilter?, batchSize: Int, _ body: (any IncidentExportReader) throws -> T) throws -> T
}

extension IncidentExporting {
    /// `withExportReader` with batches of `exportBatchSize`.
    public func withExportReader<T>(selectedBy filter: IncidentFilter?, _ body: (any IncidentExportReader) throws -> T) throws -> T {
        try withExportReader(selectedBy: filter, batchSize: exportBatchSize, body)
    }
}

extension IncidentExportReader {
    /// Whole incidents, as `forEachIncidentBatch` reads them.
    public func forEachMeasurementBatch(withText: Bool, _ body: ([Incident]) throws -> Void) throws {
        try forEachIncidentBatch(body)
    }
}

/// How many incidents (or parties) one export batch holds unless told otherwise.
public let exportBatchSize = 256

/// Reads an export's incidents and parties in key order, a bounded batch at a time; valid only
/// inside `IncidentExporting.withExportReader`.
public protocol IncidentExportReader {
    /// The selected incidents by id, with events and sources, a batch at a time.
    func forEachIncidentBatch(_ body: ([Incident]) throws -> Void) throws
    /// The selected incidents by id for measuring (delays, statistics, deadlines, checks), a batch
    /// at a time: a store may leave out what measuring never looks at — sources, and unless
    /// `withText` event summaries and statements (then only the quote) — to read less. By default
    /// the whole incidents of `forEachIncidentBatch`.
    func forEachMeasurementBatch(withText: Bool, _ body: ([Incident]) throws -> Void) throws
    /// The parties of the export by id, a batch at a time: every party without a filter, else the
    /// ones the selected incidents name and the parents and affiliations those name in turn.
    func forEachPartyBatch(_ body: ([Party]) throws -> Void) throws
    /// The parties with these ids, by id, for lookups while writing a batch of incidents.
    func parties(ids: [String]) throws -> [Party]
    /// The whole change log, newest first, read in the export's transaction.
    func changes() throws -> [Change]
}
