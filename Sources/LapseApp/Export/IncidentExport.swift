import Foundation
import LapseCore

/// What `lapse export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    case lapse, csv, timesketch, ics
}

/// Exports the selected incidents (all without a selection) as lapse/1, or their events as CSV,
/// Timesketch or iCalendar, streamed a batch of incidents at a time in a stable order.
public struct IncidentExport {
    let store: any IncidentReading & IncidentExporting
    public var format: ExportFormat
    /// JSON Lines instead (lapse/1 records, or Timesketch events, one per line).
    public var jsonLines: Bool
    /// With `.ics`: the due date of every notification rule that applies.
    public var deadlines: Bool
    public var incidentIDs: [String]
    /// Which incidents (nil: every one); `incidentIDs` are checked to exist before writing.
    public var selection: IncidentFilter?
    /// With `.lapse` (one JSON document): the whole change log as the document's `history`.
    public var history: Bool

    public init(store: any IncidentReading & IncidentExporting, format: ExportFormat, jsonLines: Bool = false,
                deadlines: Bool = false, incidentIDs: [String] = [], selection: IncidentFilter? = nil, history: Bool = false) {
        self.store = store
        self.format = format
        self.jsonLines = jsonLines
        self.deadlines = deadlines
        self.incidentIDs = incidentIDs
        self.selection = selection
        self.history = history
    }

    var filter: IncidentFilter? {
        selection ?? (incidentIDs.isEmpty ? nil : IncidentFilter(ids: incidentIDs))
    }

    /// Throws `StoreLookupError` for the first incident asked for by id that is not stored:
    /// checked before anything is written.
    public func checkSelection() throws {
        guard !incidentIDs.isEmpty else { return }
        let found = Set(try store.incidentSummaries(selectedBy: IncidentFilter(ids: incidentIDs)).map(\.id))
        if let missing = incidentIDs.first(where: { !found.contains($0) }) { throw StoreLookupError.noIncident(missing) }
    }

    /// Streams the export to `out`; returns the number of incidents written. `now` stamps the
    /// calendar and evaluates its deadlines.
    public func write(to out: any TextOutput, now: Date = Date()) throws -> Int {
        try store.withExportReader(selectedBy: filter) { try write($0, to: out, now: now) }
    }

    /// Streams the export from a reader the caller opened.
    public func write(_ reader: any IncidentExportReader, to out: any TextOutput, now: Date = Date()) throws -> Int {
        switch format {
        case .lapse where jsonLines: try LapseDocumentExport.writeLines(reader, to: out)
        case .lapse: try LapseDocumentExport.write(reader, history: history ? try reader.changes().reversed() : nil, to: out)
        case .csv: try EventCSVExport.write(reader, to: out)
        case .timesketch where jsonLines: try TimesketchExport.writeLines(reader, to: out)
        case .timesketch: try TimesketchExport.write(reader, to: out)
        case .ics: try ICalendarExport.write(reader, deadlines: deadlines, now: now, to: out)
        }
    }
}
