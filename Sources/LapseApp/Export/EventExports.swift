import Foundation
import LapseCore
import LapseReports

/// One event with what an export row needs around it: the incident, its organization, and
/// the event's position in the incident as recorded (stable, so identifiers built on it are too).
struct ExportedEvent {
    let incident: Incident
    let organizationName: String
    /// The name of the party who acted, when it is not the organization.
    let partyName: String?
    let event: Event
    let index: Int

    /// The events of the selected incidents a batch at a time, incidents by id and each
    /// timeline in time order, with the parties each batch names. Returns the number of incidents.
    @discardableResult
    static func forEachBatch(_ reader: any IncidentExportReader, _ body: ([ExportedEvent], _ parties: [String: Party]) throws -> Void) throws -> Int {
        var count = 0
        try reader.forEachIncidentBatch { incidents in
            let named = Set(incidents.flatMap { [$0.organization] + $0.events.compactMap(\.party) })
            let parties = Dictionary(try reader.parties(ids: named.sorted()).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            try body(all(in: incidents, names: parties.mapValues(\.name)), parties)
            count += incidents.count
        }
        return count
    }

    /// Every event of the incidents, each timeline in time order; `names` maps party ids to names.
    static func all(in incidents: [Incident], names: [String: String]) -> [ExportedEvent] {
        incidents.flatMap { incident in
            Timeline(incident).entries.map {
                ExportedEvent(incident: incident, organizationName: names[incident.organization] ?? incident.organization,
                              partyName: $0.event.party.flatMap { $0 == incident.organization ? nil : names[$0] ?? $0 },
                              event: $0.event, index: $0.inputIndex)
            }
        }
    }

    var zone: TimeZone { incident.zone }

    /// The first instant the event's time covers, as ISO 8601 with an offset (UTC).
    var isoInstant: String {
        CivilDate.isoInstant(event.at.firstInstant(in: zone))
    }

    /// "Regulator notification", from `regulator_notification`.
    var typeLabel: String {
        let words = event.type.rawValue.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// A one-line description for calendars and Timesketch.
    var message: String {
        var text = "\(organizationName): \(typeLabel.lowercased())"
        if let partyName { text += " (\(partyName))" }
        if let summary = event.summary { text += " — \(summary)" }
        if let quote = event.statement?.quote { text += " “\(quote)”" }
        return text
    }

    var sourceURLs: String { event.sources.map(\.url).joined(separator: " ") }
}

/// `lapse export --format csv`: one row per event, with incident and organization columns.
enum EventCSVExport {
    static let columns = ["incident", "incident_title", "organization", "organization_name", "kinds", "event_index",
                          "type", "at", "until", "precision", "party", "summary", "quote", "sources"]

    static let numeric: Set<Int> = [5]

    /// The CSV of the selected incidents' events, a batch at a time; returns the number of incidents.
    static func write(_ reader: any IncidentExportReader, to out: any TextOutput) throws -> Int {
        try out.write(Escape.csvRecord(columns, numeric: []))
        return try ExportedEvent.forEachBatch(reader) { events, _ in
            for e in events { try out.write(Escape.csvRecord(row(e), numeric: numeric)) }
        }
    }

    static func row(_ e: ExportedEvent) -> [String] {
        [e.incident.id, e.incident.title, e.incident.organization, e.organizationName,
         e.incident.kinds.map(\.rawValue).joined(separator: " "), String(e.index),
         e.event.type.rawValue, e.event.at.description, e.event.until?.description ?? "",
         e.event.at.precision.description, e.event.party ?? "", e.event.summary ?? "",
         e.event.statement?.quote ?? "", e.sourceURLs]
    }
}

/// `lapse export --format timesketch`: the columns Timesketch's importer requires (`message`,
/// `datetime` in ISO 8601, `timestamp_desc`) and Lapse's own as extra attributes.
enum TimesketchExport {
    static let columns = ["message", "datetime", "timestamp_desc", "incident", "incident_title", "organization",
                          "organization_name", "event_type", "at", "precision", "party", "sources"]

    static func values(_ e: ExportedEvent) -> [String] {
        [e.message, e.isoInstant, typeDescription(e), e.incident.id, e.incident.title, e.incident.organization,
         e.organizationName, e.event.type.rawValue, e.event.at.description, e.event.at.precision.description,
         e.event.party ?? "", e.sourceURLs]
    }

    /// What the timestamp means, with the precision when it is coarser than the instant shown.
    static func typeDescription(_ e: ExportedEvent) -> String {
        e.event.at.hasTimeOfDay ? e.typeLabel : "\(e.typeLabel) (\(e.event.at.precision) precision, start shown)"
    }

    /// The CSV of the selected incidents' events, a batch at a time; returns the number of incidents.
    static func write(_ reader: any IncidentExportReader, to out: any TextOutput) throws -> Int {
        try out.write(Escape.csvRecord(columns, numeric: []))
        return try ExportedEvent.forEachBatch(reader) { events, _ in
            for e in events { try out.write(Escape.csvRecord(values(e), numeric: [])) }
        }
    }

    /// One JSON object per line, keys sorted (empty ones left out); returns the number of incidents.
    static func writeLines(_ reader: any IncidentExportReader, to out: any TextOutput) throws -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try ExportedEvent.forEachBatch(reader) { events, _ in
            for e in events {
                let object = Dictionary(uniqueKeysWithValues: zip(columns, values(e)).filter { !$0.1.isEmpty })
                try out.write(Escape.json(String(decoding: try encoder.encode(object), as: UTF8.self)) + "\n")
            }
        }
    }
}
