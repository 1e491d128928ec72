import Foundation
import HTTPTypes
import Hummingbird
import LapseApp
import LapseCore
import LapseReports

// The JSON API under /api/v1: each handler parses the request, calls one use case of the
// application layer off the event loop, and returns its resource as the CLI's `--format json`
// prints it (Docs/json-contract.md). Lists are the same arrays, cut by `limit` and `offset`,
// with the full count in `X-Total-Count`.

extension LapseServer {
    func addAPIRoutes(to router: Router<LapseContext>) {
        let api = router.group("api/v1")
        api.get("openapi.json") { _, _ -> Response in
            var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: OpenAPI.document)))
            response.headers[.contentType] = "application/json; charset=utf-8"
            return response
        }

        // Incidents
        api.get("incidents") { request, context in
            try require(.reader, context)
            let query = Query(request)
            let filter = try query.filter()
            let order = try query.order(keys: IncidentQuery.sortKeys)
            let page = try query.page()
            let store = self.store
            let rows = try await offload { try IncidentQuery(store: store).incidents(filter, order: order) }
            return try page.response(rows)
        }
        api.post("incidents") { request, context in
            try require(.editor, context)
            let incident = try await decode(Incident.self, request, context)
            let store = self.store, change = changeContext(context, "incident add \(incident.id)")
            let shown = try await offload { () -> IncidentTimeline in
                try IncidentRecorder(store: store).add(incident, as: change)
                return try TimelineQuery(store: store).timeline(of: incident.id)
            }
            return try jsonResponse(shown, status: .created, headers: [.location: "/api/v1/incidents/\(Escape.urlPath(incident.id))"])
        }
        api.get("incidents/:id") { _, context in
            try require(.reader, context)
            let id = try context.parameters.require("id"), store = self.store
            return try jsonResponse(try await offload { try TimelineQuery(store: store).timeline(of: id) })
        }
        api.patch("incidents/:id") { request, context in
            try require(.editor, context)
            let id = try context.parameters.require("id")
            let changes = try await decode(IncidentPatch.self, request, context).changes
            let store = self.store, change = changeContext(context, "incident edit \(id)")
            return try jsonResponse(ChangeResource(try await offload { try IncidentEditor(store: store).edit(id, changes, as: change) }))
        }
        api.delete("incidents/:id") { _, context in
            try require(.editor, context)
            let id = try context.parameters.require("id")
            let store = self.store, change = changeContext(context, "incident delete \(id)")
            return try jsonResponse(ChangeResource(try await offload { try IncidentEditor(store: store).delete(id, as: change).change }))
        }

        // An incident's events, delays, deadlines and history
        api.get("incidents/:id/events") { request, context in
            try require(.reader, context)
            let id = try context.parameters.require("id"), store = self.store
            let page = try Query(request).page()
            return try page.response(try await offload { try TimelineQuery(store: store).timeline(of: id).rows })
        }
        api.post("incidents/:id/events") { request, context in
            try require(.editor, context)
            let id = try context.parameters.require("id")
            let allowDuplicate = try Query(request).bool("allow_duplicate") ?? false
            let event = try await decode(EventDraft.self, request, context)
            let command = ["log", id, event.type?.rawValue, event.at.map { "--at \($0)" }].compactMap { $0 }.joined(separator: " ")
            let store = self.store, change = changeContext(context, command)
            let row = try await offload { () -> TimelineRow? in
                let logged = try EventLogger(store: store).log(event, toIncident: id, allowDuplicate: allowDuplicate, as: change)
                let shown = try TimelineQuery(store: store).timeline(of: id)
                return shown.rows.first { $0.id == logged.id }
            }
            let location = "/api/v1/incidents/\(Escape.urlPath(id))/events/\(Escape.urlPath(row?.id ?? ""))"
            return try jsonResponse(row, status: .created, headers: [.location: location])
        }
        api.patch("incidents/:id/events/:event") { request, context in
            try require(.editor, context)
            let reference = try eventReference(context)
            let changes = try await decode(EventPatch.self, request, context).changes
            let store = self.store, change = changeContext(context, "event edit \(reference)")
            return try jsonResponse(ChangeResource(try await offload { try EventEditor(store: store).edit(reference, changes, as: change) }))
        }
        api.delete("incidents/:id/events/:event") { _, context in
            try require(.editor, context)
            let reference = try eventReference(context)
            let store = self.store, change = changeContext(context, "event delete \(reference)")
            return try jsonResponse(ChangeResource(try await offload { try EventEditor(store: store).delete(reference, as: change) }))
        }
        api.get("incidents/:id/delays") { request, context in
            try require(.reader, context)
            let id = try context.parameters.require("id")
            let query = Query(request)
            let definitions = try query.delayDefinitions()
            let includeMissing = try query.bool("include_missing") ?? false
            let store = self.store
            let rows = try await offload { () -> [DelayRow] in
                guard try store.incident(withID: id) != nil else { throw StoreLookupError.noIncident(id) }
                return try DelayQuery(store: store).rows(IncidentSelection(ids: [id]), definitions: definitions, includeMissing: includeMissing).rows
            }
            return try jsonResponse(rows)
        }
        api.get("incidents/:id/deadlines") { request, context in
            try require(.reader, context)
            let id = try context.parameters.require("id")
            let rules = Query(request).all("rule")
            let store = self.store, now = self.now()
            return try jsonResponse(try await offload { try DeadlineReview(store: store, now: now).review(incident: id, rules: rules).rows })
        }
        api.get("incidents/:id/history") { request, context in
            try require(.reader, context)
            let id = try context.parameters.require("id")
            let page = try Query(request).page()
            let store = self.store
            let changes = try await offload { () -> [Change] in
                guard try store.incident(withID: id) != nil else { throw StoreLookupError.noIncident(id) }
                return try ChangeHistory(store: store).changes(selectedBy: ChangeFilter(recordID: id, kind: .incident))
            }
            return try page.response(changes.map(ChangeResource.init))
        }

        // Parties
        api.get("parties") { request, context in
            try require(.reader, context)
            let query = Query(request)
            let kind = try query.value("kind", PartyKind.self)
            let page = try query.page()
            let store = self.store
            return try page.response(try await offload { try PartyRegistry(store: store).parties(ofKind: kind) })
        }
        api.post("parties") { request, context in
            try require(.editor, context)
            let party = try await decode(Party.self, request, context)
            let store = self.store, change = changeContext(context, "party add \(party.id)")
            let stored = try await offload { () -> Party? in
                try PartyRegistry(store: store).add(party, as: change)
                return try store.party(withID: party.id)
            }
            return try jsonResponse(stored, status: .created, headers: [.location: "/api/v1/parties/\(Escape.urlPath(party.id))"])
        }
        api.get("parties/:id") { _, context in
            try require(.reader, context)
            let id = try context.parameters.require("id"), store = self.store
            let party = try await offload { () -> Party in
                guard let party = try store.party(withID: id) else { throw StoreLookupError.noParty(id) }
                return party
            }
            return try jsonResponse(party)
        }
        api.patch("parties/:id") { request, context in
            try require(.editor, context)
            let id = try context.parameters.require("id")
            let changes = try await decode(PartyPatch.self, request, context).changes
            let store = self.store, change = changeContext(context, "party edit \(id)")
            return try jsonResponse(ChangeResource(try await offload { try PartyEditor(store: store).edit(id, changes, as: change) }))
        }
        api.post("parties/:id/merge") { request, context in
            try require(.editor, context)
            let id = try context.parameters.require("id")
            let body = try await decode(MergeRequest.self, request, context)
            guard !body.duplicates.isEmpty else { throw Problem(.unprocessableContent, "duplicates: expected at least one party id", field: "duplicates") }
            let store = self.store
            let change = changeContext(context, "party merge \(body.duplicates.joined(separator: " ")) --into \(id)")
            let merged = try await offload { try PartyMerger(store: store).merge(body.duplicates, into: id, as: change) }
            return try jsonResponse(MergeResult(party: merged.party, moved: merged.moved))
        }

        // Measures over the query model
        api.get("delays") { request, context in
            try require(.reader, context)
            let query = Query(request)
            let filter = try query.filter()
            let definitions = try query.delayDefinitions()
            let includeMissing = try query.bool("include_missing") ?? false
            let order = try query.order(keys: DelayQuery.sortKeys)
            let page = try query.page()
            let store = self.store
            let rows = try await offload {
                try DelayQuery(store: store).rows(IncidentSelection(filter), definitions: definitions, includeMissing: includeMissing, order: order).rows
            }
            return try page.response(rows)
        }
        api.get("deadlines") { request, context in
            try require(.reader, context)
            let query = Query(request)
            let filter = try query.filter()
            let rules = query.all("rule")
            let page = try query.page()
            let store = self.store, now = self.now()
            return try page.response(try await offload { try DeadlineReview(store: store, now: now).review(IncidentSelection(filter), rules: rules).rows })
        }
        api.get("rules") { request, context in
            try require(.reader, context)
            return try jsonResponse(RuleCatalog().rules(inJurisdiction: Query(request).string("jurisdiction")))
        }
        api.get("search") { request, context in
            try require(.reader, context)
            let query = Query(request)
            guard let text = query.string("q"), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw Problem(.badRequest, "q: expected words to search for", field: "q")
            }
            let limit = try query.int("limit", in: 1...1000) ?? 50
            do { _ = try SearchQuery.parse(text) } catch {
                throw Problem(.badRequest, "q: \(error)", field: "q")
            }
            let store = self.store
            return try jsonResponse(try await offload { try SearchQuery(store: store).hits(for: text, limit: limit) })
        }

        // The change log
        api.get("history") { request, context in
            try require(.reader, context)
            let query = Query(request)
            let filter = ChangeFilter(recordID: query.string("record"), kind: try query.value("kind", RecordKind.self),
                                      author: query.string("author"), since: query.string("since"), before: query.string("before"))
            let page = try query.page()
            let store = self.store
            return try page.response(try await offload { try ChangeHistory(store: store).changes(selectedBy: filter) }.map(ChangeResource.init))
        }
        api.post("history/:change/revert") { request, context in
            try require(.editor, context)
            guard let id = Int(try context.parameters.require("change")), id > 0 else {
                throw Problem(.badRequest, "change: expected a change id (a whole number from 1)", field: "change")
            }
            let force = try Query(request).bool("force") ?? false
            let store = self.store, change = changeContext(context, "revert \(id)")
            return try jsonResponse(ChangeResource(try await offload { try ChangeReverter(store: store).revert(id, force: force, as: change) }))
        }

        // Tokens (admin)
        api.get("tokens") { _, context in
            try require(.admin, context)
            let tokens = self.tokens
            return try jsonResponse(try await offload { try TokenManager(store: tokens).list() })
        }
        api.post("tokens") { request, context in
            try require(.admin, context)
            let body = try await decode(TokenRequest.self, request, context)
            let tokens = self.tokens
            let issued = try await offload { try TokenManager(store: tokens).create(name: body.name, role: body.role) }
            return try jsonResponse(IssuedToken(name: issued.token.name, role: issued.token.role, createdAt: issued.token.createdAt, token: issued.secret),
                                    status: .created)
        }
        api.delete("tokens/:name") { _, context in
            try require(.admin, context)
            let name = try context.parameters.require("name"), tokens = self.tokens
            try await offload { try TokenManager(store: tokens).revoke(name: name) }
            return Response(status: .noContent)
        }
    }

    /// `INCIDENT/EVENT` from the path.
    func eventReference(_ context: LapseContext) throws -> String {
        "\(try context.parameters.require("id"))/\(try context.parameters.require("event"))"
    }

    /// The JSON body as `T`, within the body limit; problems name the field.
    func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: LapseContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw Problem(.unsupportedMediaType, "expected a JSON body (Content-Type: application/json), got \(contentType)", field: "Content-Type")
        }
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }
}

/// A page of a list: `limit` (default all) and `offset`.
struct Page {
    var limit: Int?
    var offset: Int

    func response<T: Encodable>(_ rows: [T]) throws -> Response {
        let start = min(offset, rows.count)
        let end = limit.map { min(rows.count, start + $0) } ?? rows.count
        return try jsonResponse(Array(rows[start..<end]), headers: [HTTPField.Name("X-Total-Count")!: String(rows.count)])
    }
}

/// `PATCH /incidents/{id}`: the fields of `lapse incident edit`; `closed` a day closes the
/// incident (or moves its day), `null` reopens it.
struct IncidentPatch: Decodable {
    var changes = IncidentChanges()

    enum CodingKeys: String, CodingKey {
        case title, organization, summary, recordsAffected = "records_affected", timezone, kinds, closed
        case addJurisdictions = "add_jurisdictions", removeJurisdictions = "remove_jurisdictions", addTags = "add_tags", removeTags = "remove_tags"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        changes.title = try c.decodeIfPresent(String.self, forKey: .title)
        changes.organization = try c.decodeIfPresent(String.self, forKey: .organization)
        changes.summary = try c.decodeIfPresent(String.self, forKey: .summary)
        changes.recordsAffected = try c.decodeIfPresent(Int.self, forKey: .recordsAffected)
        changes.timezone = try c.decodeIfPresent(String.self, forKey: .timezone)
        changes.kinds = try c.decodeIfPresent([IncidentKind].self, forKey: .kinds) ?? []
        changes.addJurisdictions = try c.decodeIfPresent([String].self, forKey: .addJurisdictions) ?? []
        changes.removeJurisdictions = try c.decodeIfPresent([String].self, forKey: .removeJurisdictions) ?? []
        changes.addTags = try c.decodeIfPresent([String].self, forKey: .addTags) ?? []
        changes.removeTags = try c.decodeIfPresent([String].self, forKey: .removeTags) ?? []
        if c.contains(.closed) {
            if try c.decodeNil(forKey: .closed) { changes.reopen = true } else { changes.closed = try c.decode(EventTime.self, forKey: .closed) }
        }
    }
}

/// `PATCH /incidents/{id}/events/{event}`: the fields of `lapse event edit`; times as text. Each
/// field is read on its own, so a body with several wrong fields gets every problem at once.
struct EventPatch: Decodable {
    var changes = EventChanges()

    enum CodingKeys: String, CodingKey {
        case type, at, until, party, summary, quote, channel, audience, language, addSources = "add_sources", removeSources = "remove_sources"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var problems: [DataProblem] = []
        func read<T: Decodable>(_: T.Type, _ key: CodingKeys) -> T? {
            do { return try c.decodeIfPresent(T.self, forKey: key) } catch let error as DecodingError {
                problems.append(error.problem(file: nil))
            } catch {
                problems.append(DataProblem(path: key.stringValue, message: "\(error)"))
            }
            return nil
        }
        changes.type = read(EventType.self, .type)
        changes.at = read(String.self, .at).flatMap { EventDraft.time($0, field: "at", problems: &problems) }
        changes.until = read(String.self, .until).flatMap { EventDraft.time($0, field: "until", problems: &problems) }
        changes.party = read(String.self, .party)
        changes.summary = read(String.self, .summary)
        changes.quote = read(String.self, .quote)
        changes.channel = read(String.self, .channel)
        changes.audience = read(Audience.self, .audience)
        changes.language = read(String.self, .language)
        changes.addSources = read([String].self, .addSources) ?? []
        changes.removeSources = read([String].self, .removeSources) ?? []
        changes.problems = problems
    }
}

/// `PATCH /parties/{id}`: the fields of `lapse party edit` ("" clears an optional field).
struct PartyPatch: Decodable {
    var changes = PartyChanges()

    enum CodingKeys: String, CodingKey {
        case name, kind, parent, affiliation, role, country, sector, addAliases = "add_aliases", removeAliases = "remove_aliases"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        changes.name = try c.decodeIfPresent(String.self, forKey: .name)
        changes.kind = try c.decodeIfPresent(PartyKind.self, forKey: .kind)
        changes.parent = try c.decodeIfPresent(String.self, forKey: .parent)
        changes.affiliation = try c.decodeIfPresent(String.self, forKey: .affiliation)
        changes.role = try c.decodeIfPresent(String.self, forKey: .role)
        changes.country = try c.decodeIfPresent(String.self, forKey: .country)
        changes.sector = try c.decodeIfPresent(String.self, forKey: .sector)
        changes.addAliases = try c.decodeIfPresent([String].self, forKey: .addAliases) ?? []
        changes.removeAliases = try c.decodeIfPresent([String].self, forKey: .removeAliases) ?? []
    }
}

struct MergeRequest: Decodable { var duplicates: [String] }

struct MergeResult: Encodable {
    var party: Party
    var moved: PartyMergeCount
}

struct TokenRequest: Decodable {
    var name: String
    var role: TokenRole
}

struct IssuedToken: Encodable {
    var name: String
    var role: TokenRole
    var createdAt: String
    var token: String
    enum CodingKeys: String, CodingKey { case name, role, createdAt = "created_at", token }
}
