import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LapseApp
import LapseCore
import LapseServer
import LapseStore
import Testing

/// A server over an in-memory store holding the sample data, with one token per role.
struct Fixture {
    let store: LapseDatabase
    let reader: String
    let editor: String
    let admin: String

    static let sampleData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sample-data")

    init() throws {
        store = try LapseDatabase.inMemory()
        _ = try DocumentImport(store: store).run(try DocumentImport.files(expanding: [Self.sampleData.path]), dryRun: false,
                                                 as: ChangeContext(author: "setup", command: "import sample-data"))
        let tokens = TokenManager(store: store)
        reader = try tokens.create(name: "rita", role: .reader).secret
        editor = try tokens.create(name: "eddie", role: .editor).secret
        admin = try tokens.create(name: "ada", role: .admin).secret
    }

    func app(publicRead: Bool = false) -> some ApplicationProtocol {
        let server = LapseServer(store: store, tokens: store, settings: ServerSettings(publicRead: publicRead, maxBodyBytes: 64 * 1024))
        return Application(router: server.router())
    }
}

extension TestClientProtocol {
    /// A request with an optional Bearer token and a JSON body; returns the status, the content
    /// type and the body text.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
              headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, type: String?, body: String, headers: HTTPFields) {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if json != nil { fields[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) }) { response in
            (response.status, response.headers[.contentType], String(buffer: response.body), response.headers)
        }
    }
}

/// Decodes a JSON body as a dictionary or an array.
func object(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

func array(_ text: String) throws -> [[String: Any]] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
}

@Suite("Server API")
struct APITests {
    @Test("/healthz answers without a token")
    func health() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let r = try await client.call(.get, "/healthz")
            #expect(r.status == .ok)
            #expect(r.body == "ok\n")
        }
    }

    @Test("no token gets 401, an unknown token 401, too low a role 403 - all as problem JSON")
    func authorization() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let none = try await client.call(.get, "/api/v1/incidents")
            #expect(none.status == .unauthorized)
            #expect(none.type == "application/problem+json")
            #expect(none.headers[.wwwAuthenticate] == "Bearer realm=\"lapse\"")
            #expect(try object(none.body)["field"] as? String == "Authorization")

            let bad = try await client.call(.get, "/api/v1/incidents", token: "lapse_" + String(repeating: "0", count: 64))
            #expect(bad.status == .unauthorized)
            let garbage = try await client.call(.get, "/api/v1/incidents", headers: [.authorization: "Basic abc"])
            #expect(garbage.status == .unauthorized)

            let read = try await client.call(.get, "/api/v1/incidents", token: fixture.reader)
            #expect(read.status == .ok)
            let write = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.reader,
                                              json: #"{"type": "apology", "at": "2011-05-01"}"#)
            #expect(write.status == .forbidden)
            #expect(try object(write.body)["detail"] as? String == "the token \"rita\" has the reader role; this needs editor")
            let tokens = try await client.call(.get, "/api/v1/tokens", token: fixture.editor)
            #expect(tokens.status == .forbidden)
            let asAdmin = try await client.call(.get, "/api/v1/tokens", token: fixture.admin)
            #expect(asAdmin.status == .ok)
            #expect(try array(asAdmin.body).map { $0["name"] as? String } == ["ada", "eddie", "rita"])
            #expect(!asAdmin.body.contains("lapse_"), "a token list never shows a secret")
        }
    }

    @Test("--public-read lets reads through without a token, but not writes")
    func publicRead() async throws {
        let fixture = try Fixture()
        try await fixture.app(publicRead: true).test(.router) { client in
            let status1 = try await client.call(.get, "/api/v1/incidents/psn-2011").status
            #expect(status1 == .ok)
            let status2 = try await client.call(.delete, "/api/v1/incidents/psn-2011").status
            #expect(status2 == .unauthorized)
        }
    }

    @Test("incidents list with the query model: company, kind, sort, desc, limit, offset")
    func incidentList() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let sony = try await client.call(.get, "/api/v1/incidents?company=sony", token: fixture.reader)
            #expect(sony.status == .ok)
            #expect(try array(sony.body).map { $0["id"] as? String } == ["psn-2011", "soe-2011"])
            let all = try await client.call(.get, "/api/v1/incidents?sort=records&desc=true", token: fixture.reader)
            let ids = try array(all.body).map { $0["id"] as! String }
            #expect(ids.count == 5)
            #expect(all.headers[HTTPField.Name("X-Total-Count")!] == "5")
            let page = try await client.call(.get, "/api/v1/incidents?sort=records&desc=true&limit=2&offset=1", token: fixture.reader)
            #expect(try array(page.body).map { $0["id"] as! String } == Array(ids[1...2]))
            #expect(page.headers[HTTPField.Name("X-Total-Count")!] == "5")

            let badSort = try await client.call(.get, "/api/v1/incidents?sort=colour", token: fixture.reader)
            #expect(badSort.status == .badRequest)
            #expect(try object(badSort.body)["field"] as? String == "sort")
            let badKind = try await client.call(.get, "/api/v1/incidents?kind=volcano", token: fixture.reader)
            #expect(badKind.status == .badRequest)
            #expect(try object(badKind.body)["field"] as? String == "kind")
            let badSince = try await client.call(.get, "/api/v1/incidents?since=2011-13", token: fixture.reader)
            #expect(badSince.status == .badRequest)
            #expect(try object(badSince.body)["field"] as? String == "since")
            let badLimit = try await client.call(.get, "/api/v1/incidents?limit=-3", token: fixture.reader)
            #expect(try object(badLimit.body)["field"] as? String == "limit")
        }
    }

    @Test("an event added by an editor shows on the timeline, is logged under the token's name, and can be edited, reverted and deleted")
    func eventLifecycle() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let before = try object(try await client.call(.get, "/api/v1/incidents/psn-2011", token: fixture.reader).body)
            let beforeCount = (before["timeline"] as! [Any]).count
            let created = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor, json: """
                {"id": "api-apology", "type": "apology", "at": "2011-05-01", "party": "sony-computer-entertainment",
                 "summary": "Sony apologises", "sources": [{"url": "https://example.org/apology"}]}
                """)
            #expect(created.status == .created, "\(created.body)")
            #expect(created.headers[.location] == "/api/v1/incidents/psn-2011/events/api-apology")
            #expect(try object(created.body)["sources"] as? [String] == ["https://example.org/apology"])
            let after = try object(try await client.call(.get, "/api/v1/incidents/psn-2011", token: fixture.reader).body)
            #expect((after["timeline"] as! [Any]).count == beforeCount + 1)

            let history = try array(try await client.call(.get, "/api/v1/incidents/psn-2011/history", token: fixture.reader).body)
            let logged = try #require(history.first, "the change log lists the newest change first")
            #expect(logged["author"] as? String == "eddie")

            let edited = try await client.call(.patch, "/api/v1/incidents/psn-2011/events/api-apology", token: fixture.editor,
                                               json: #"{"summary": "Sony says sorry"}"#)
            #expect(edited.status == .ok, "\(edited.body)")
            let editID = try #require(try object(edited.body)["id"] as? Int)
            let events = try array(try await client.call(.get, "/api/v1/incidents/psn-2011/events", token: fixture.reader).body)
            #expect(events.first { $0["id"] as? String == "api-apology" }?["summary"] as? String == "Sony says sorry")

            let reverted = try await client.call(.post, "/api/v1/history/\(editID)/revert", token: fixture.editor)
            #expect(reverted.status == .ok, "\(reverted.body)")
            let again = try array(try await client.call(.get, "/api/v1/incidents/psn-2011/events", token: fixture.reader).body)
            #expect(again.first { $0["id"] as? String == "api-apology" }?["summary"] as? String == "Sony apologises")

            let deleted = try await client.call(.delete, "/api/v1/incidents/psn-2011/events/api-apology", token: fixture.editor)
            #expect(deleted.status == .ok)
            let gone = try await client.call(.delete, "/api/v1/incidents/psn-2011/events/api-apology", token: fixture.editor)
            #expect(gone.status == .notFound)
            #expect(gone.type == "application/problem+json")
        }
    }

    @Test("an incident posted closed has its unrecorded notices missed; PATCH closed moves the day, null reopens it")
    func closedIncident() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let created = try await client.call(.post, "/api/v1/incidents", token: fixture.editor, json: """
                {"id": "sce-2021", "title": "A Washington breach", "organization": "sony-computer-entertainment", "kinds": ["breach"],
                 "jurisdictions": ["US-WA"], "closed": "2021-03-01", "events": [{"type": "detection", "at": "2021-01-04"}]}
                """)
            #expect(created.status == .created, "\(created.body)")
            #expect((try object(created.body)["incident"] as? [String: Any])?["closed"] as? String == "2021-03-01")
            func residents() async throws -> [String: Any] {
                let rows = try array(try await client.call(.get, "/api/v1/incidents/sce-2021/deadlines?rule=us-wa-19.255", token: fixture.reader).body)
                return try #require(rows.first)
            }
            #expect(try await residents()["status"] as? String == "missed")
            #expect(try await residents()["late_by_days"] as? Int == 26, "due 2021-02-03, closed 2021-03-01")

            let moved = try await client.call(.patch, "/api/v1/incidents/sce-2021", token: fixture.editor, json: #"{"closed": "2021-03-11"}"#)
            #expect(moved.status == .ok, "\(moved.body)")
            #expect(try await residents()["late_by_days"] as? Int == 36)
            let bad = try await client.call(.patch, "/api/v1/incidents/sce-2021", token: fixture.editor, json: #"{"closed": "2021-02-30"}"#)
            #expect(bad.status == .unprocessableContent, "\(bad.body)")
            #expect(try object(bad.body)["field"] as? String == "closed")
            let reopened = try await client.call(.patch, "/api/v1/incidents/sce-2021", token: fixture.editor, json: #"{"closed": null}"#)
            #expect(reopened.status == .ok, "\(reopened.body)")
            #expect(try await residents()["status"] as? String == "unknown")
            let again = try await client.call(.patch, "/api/v1/incidents/sce-2021", token: fixture.editor, json: #"{"closed": null}"#)
            #expect(again.status == .badRequest, "not closed: nothing to change")
        }
    }

    @Test("bad bodies are 4xx problems naming the field, never 5xx")
    func badBodies() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let badTime = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor,
                                                json: #"{"type": "apology", "at": "2011-02-30"}"#)
            #expect(badTime.status == .unprocessableContent)
            #expect(try object(badTime.body)["field"] as? String == "at")
            let badType = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor,
                                                json: #"{"type": "party", "at": "2011-02"}"#)
            #expect(badType.status == .unprocessableContent)
            #expect(try object(badType.body)["field"] as? String == "type")
            let missing = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor, json: #"{"type": "apology"}"#)
            #expect(try object(missing.body)["field"] as? String == "at")
            let notJSON = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor, json: "{nope")
            #expect(notJSON.status == .badRequest)
            let unknownParty = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor,
                                                     json: #"{"type": "apology", "at": "2011-05", "party": "nobody-at-all"}"#)
            #expect(unknownParty.status == .unprocessableContent, "\(unknownParty.body)")
            #expect(try object(unknownParty.body)["problems"] as? [Any] != nil)
            let noIncident = try await client.call(.post, "/api/v1/incidents/no-such/events", token: fixture.editor,
                                                   json: #"{"type": "apology", "at": "2011-05"}"#)
            #expect(noIncident.status == .notFound)
            let tooBig = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor,
                                               json: #"{"type": "apology", "at": "2011-05", "summary": ""# + String(repeating: "x", count: 70_000) + #""}"#)
            #expect(tooBig.status == .contentTooLarge)
            #expect(tooBig.type == "application/problem+json")
            let unknownRoute = try await client.call(.get, "/api/v1/nothing-here", token: fixture.reader)
            #expect(unknownRoute.status == .notFound)
            #expect(unknownRoute.type == "application/problem+json")
            let badRevert = try await client.call(.post, "/api/v1/history/abc/revert", token: fixture.editor)
            #expect(try object(badRevert.body)["field"] as? String == "change")
        }
    }

    @Test("an event with several wrong fields gets one 422 naming every one, on create and on edit")
    func everyEventProblem() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            func fields(_ body: String) throws -> [String] {
                try #require(try object(body)["problems"] as? [[String: Any]]).map { $0["field"] as? String ?? "" }
            }
            let unreadable = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor, json: """
                {"type": "party", "at": "2011-02-30", "until": "2011-13", "party": "nobody-at-all", "summary": 7, "sources": [{"url": " "}]}
                """)
            #expect(unreadable.status == .unprocessableContent)
            #expect(unreadable.type == "application/problem+json")
            #expect(try fields(unreadable.body) == ["type", "at", "until", "party", "summary", "sources[0].url"], "\(unreadable.body)")
            #expect(try object(unreadable.body)["field"] as? String == "type", "the first problem's field")
            let invalid = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor, json: """
                {"type": "apology", "at": "2011-05-01", "until": "2011-04-01", "party": "nobody-at-all", "sources": [{"url": ""}]}
                """)
            #expect(invalid.status == .unprocessableContent)
            #expect(try fields(invalid.body) == ["until", "party", "sources[0].url"], "\(invalid.body)")
            let missing = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor, json: #"{"party": "nobody-at-all"}"#)
            #expect(try fields(missing.body) == ["type", "at", "party"], "\(missing.body)")

            let created = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor,
                                                json: #"{"id": "api-check", "type": "apology", "at": "2011-05-01"}"#)
            #expect(created.status == .created, "\(created.body)")
            let badEdit = try await client.call(.patch, "/api/v1/incidents/psn-2011/events/api-check", token: fixture.editor,
                                                json: #"{"type": "party", "at": "2011-02-30", "party": "nobody-at-all", "audience": "martians"}"#)
            #expect(badEdit.status == .unprocessableContent)
            #expect(try fields(badEdit.body) == ["type", "at", "party", "audience"], "\(badEdit.body)")
            let invalidEdit = try await client.call(.patch, "/api/v1/incidents/psn-2011/events/api-check", token: fixture.editor,
                                                    json: #"{"until": "2011-04-01", "party": "nobody-at-all"}"#)
            #expect(invalidEdit.status == .unprocessableContent)
            #expect(try fields(invalidEdit.body) == ["until", "party"], "\(invalidEdit.body)")
            let events = try array(try await client.call(.get, "/api/v1/incidents/psn-2011/events", token: fixture.reader).body)
            let stored = try #require(events.first { $0["id"] as? String == "api-check" })
            #expect(stored["until"] == nil && stored["party"] == nil, "nothing was written")
        }
    }

    @Test("parties, delays, deadlines, rules and search answer with the CLI's JSON shapes")
    func readResources() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let party = try await client.call(.get, "/api/v1/parties/sony-computer-entertainment", token: fixture.reader)
            #expect(party.status == .ok)
            #expect(try object(party.body)["name"] as? String == "Sony Computer Entertainment Inc.")
            let badRule = try await client.call(.get, "/api/v1/deadlines?rule=AAA", token: fixture.reader)
            #expect(badRule.status == .badRequest, "an unknown rule is the client's mistake, not a 500")
            #expect(try object(badRule.body)["field"] as? String == "rule")
            let status3 = try await client.call(.get, "/api/v1/parties/nobody", token: fixture.reader).status
            #expect(status3 == .notFound)
            let delays = try array(try await client.call(.get, "/api/v1/incidents/psn-2011/delays", token: fixture.reader).body)
            #expect(!delays.isEmpty)
            #expect(delays.allSatisfy { $0["incident"] as? String == "psn-2011" })
            let search = try array(try await client.call(.get, "/api/v1/search?q=playstation", token: fixture.reader).body)
            #expect(search.contains { $0["incident"] as? String == "psn-2011" })
            let status4 = try await client.call(.get, "/api/v1/search", token: fixture.reader).status
            #expect(status4 == .badRequest)
            let rules = try array(try await client.call(.get, "/api/v1/rules", token: fixture.reader).body)
            #expect(!rules.isEmpty)
            let deadlines = try await client.call(.get, "/api/v1/deadlines?company=equifax", token: fixture.reader)
            #expect(deadlines.status == .ok)
        }
    }

    @Test("tokens are created by an admin over the API and work at once; revoked ones get 401")
    func tokenManagement() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let created = try await client.call(.post, "/api/v1/tokens", token: fixture.admin, json: #"{"name": "bot", "role": "reader"}"#)
            #expect(created.status == .created)
            let secret = try #require(try object(created.body)["token"] as? String)
            let status5 = try await client.call(.get, "/api/v1/incidents", token: secret).status
            #expect(status5 == .ok)
            let taken = try await client.call(.post, "/api/v1/tokens", token: fixture.admin, json: #"{"name": "bot", "role": "reader"}"#)
            #expect(taken.status == .unprocessableContent)
            #expect(try object(taken.body)["field"] as? String == "name")
            let status6 = try await client.call(.delete, "/api/v1/tokens/bot", token: fixture.admin).status
            #expect(status6 == .noContent)
            let status7 = try await client.call(.get, "/api/v1/incidents", token: secret).status
            #expect(status7 == .unauthorized)
        }
    }
}
