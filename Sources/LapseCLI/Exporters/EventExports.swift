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

    /// Every event of a document, incidents by id and each timeline in time order.
    static func all(in document: LapseDocument) -> [ExportedEvent] {
        let names = Dictionary(document.parties.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return document.incidents.flatMap { incident in
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

    static func table(_ events: [ExportedEvent]) -> DataTable {
        DataTable(columns: columns, rows: events.map { e in
            [e.incident.id, e.incident.title, e.incident.organization, e.organizationName,
             e.incident.kinds.map(\.rawValue).joined(separator: " "), String(e.index),
             e.event.type.rawValue, e.event.at.description, e.event.until?.description ?? "",
             e.event.at.precision.description, e.event.party ?? "", e.event.summary ?? "",
             e.event.statement?.quote ?? "", e.sourceURLs]
        }, numeric: [5])
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

    static func table(_ events: [ExportedEvent]) -> DataTable {
        DataTable(columns: columns, rows: events.map(values))
    }

    /// One JSON object per line, keys sorted.
    static func jsonLines(_ events: [ExportedEvent]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = ""
        for e in events {
            let object = Dictionary(uniqueKeysWithValues: zip(columns, values(e)).filter { !$0.1.isEmpty })
            out += Escape.json(String(decoding: try encoder.encode(object), as: UTF8.self)) + "\n"
        }
        return out
    }
}
