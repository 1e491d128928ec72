import Foundation
import Hummingbird
import LapseApp
import LapseCore
import LapseReports

/// A request's query parameters, read as the CLI reads its options: each wrong value is a 400
/// naming the parameter and what was expected.
struct Query {
    let parameters: Parameters

    init(_ request: Request) { parameters = request.uri.queryParameters }

    func string(_ name: String) -> String? {
        parameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    func all(_ name: String) -> [String] {
        parameters.getAll(name).filter { !$0.isEmpty }
    }

    func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Problem(.badRequest, "\(name): expected a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text)\"", field: name)
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw Problem(.badRequest, "\(name): expected true or false, got \"\(text)\"", field: name)
        }
    }

    func value<V: RawRepresentable & CaseIterable>(_ name: String, _ type: V.Type) throws -> V? where V.RawValue == String {
        try string(name).map { try parse($0, name, type) }
    }

    func values<V: RawRepresentable & CaseIterable>(_ name: String, _ type: V.Type) throws -> [V] where V.RawValue == String {
        try all(name).map { try parse($0, name, type) }
    }

    private func parse<V: RawRepresentable & CaseIterable>(_ text: String, _ name: String, _ type: V.Type) throws -> V where V.RawValue == String {
        guard let value = V(rawValue: text) else {
            throw Problem(.badRequest, "\(name): unknown value \"\(text)\"; expected one of \(V.allCases.map(\.rawValue).joined(separator: ", "))", field: name)
        }
        return value
    }

    func time(_ name: String) throws -> EventTime? {
        guard let text = string(name) else { return nil }
        do { return try EventTime(parsing: text) } catch {
            throw Problem(.badRequest, "\(name): \(error)", field: name)
        }
    }

    /// The query model (`IncidentFilter`): company, kind, sector, jurisdiction (repeatable),
    /// min_records, since, until, date_of, and ids (repeatable `id`).
    func filter() throws -> IncidentFilter {
        if let company = parameters.get("company"), company.trimmingCharacters(in: .whitespaces).isEmpty {
            throw Problem(.badRequest, "company: expected a name, got an empty string", field: "company")
        }
        return IncidentFilter(
            ids: all("id"), company: string("company"), kinds: try values("kind", IncidentKind.self),
            sectors: all("sector"), jurisdictions: all("jurisdiction"), minRecords: try int("min_records", in: 0...Int.max),
            dateOf: try value("date_of", EventType.self),
            since: try time("since")?.firstInstant(in: Zones.utc), before: try time("until")?.endInstant(in: Zones.utc))
    }

    /// `sort`, `desc` and `limit` as the listing's order (the key checked against `keys`).
    func order(keys: [String]) throws -> ListingOrder {
        let key = string("sort")
        if let key, !keys.contains(key) {
            throw Problem(.badRequest, "sort: unknown key \"\(key)\"; expected one of \(keys.joined(separator: ", "))", field: "sort")
        }
        return ListingOrder(key: key, descending: try bool("desc") ?? false)
    }

    /// `limit` and `offset` of a list.
    func page() throws -> Page {
        Page(limit: try int("limit", in: 1...100_000), offset: try int("offset", in: 0...Int.max) ?? 0)
    }

    /// `metric` (repeatable), or `from` and `to` event types; every named metric by default.
    func delayDefinitions() throws -> [DelayDefinition] {
        let metrics = try values("metric", DelayMetric.self)
        let from = try value("from", EventType.self), to = try value("to", EventType.self)
        if (from == nil) != (to == nil) { throw Problem(.badRequest, "from and to go together", field: from == nil ? "from" : "to") }
        if let from, let to { return [DelayDefinition.pair(from: from, to: to)] + metrics.map(\.definition) }
        return (metrics.isEmpty ? DelayMetric.allCases : metrics).map(\.definition)
    }
}

extension Escape {
    /// A path segment, percent-encoded (ids may hold any character).
    static func urlPath(_ segment: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }
}
