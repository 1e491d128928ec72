import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LapseApp
import LapseCore
import LapseReports
import LapseServer
import Testing

@Suite("Web app pages")
struct PageTests {
    static let hostile = #"<script>alert("x")</script><img src=x onerror=alert(1)>"#

    @Test("a page without a token sends the browser to the login page")
    func loginRedirect() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let r = try await client.call(.get, "/incidents/psn-2011")
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/login")
            let login = try await client.call(.get, "/login")
            #expect(login.status == .ok)
            #expect(login.body.contains(#"name="token""#))
        }
    }

    @Test("logging in sets an HttpOnly, SameSite=Strict session cookie; a wrong token gets 401")
    func login() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let wrong = try await client.call(.post, "/login", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(wrong.status == .unauthorized)
            let r = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: "token=\(fixture.editor)")) { $0 }
            #expect(r.status == .seeOther)
            let cookie = try #require(r.headers[.setCookie])
            #expect(cookie.hasPrefix("lapse_session=\(fixture.editor)"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"), "Secure only with --secure-cookies")
            let page = try await client.call(.get, "/incidents/psn-2011", headers: [.cookie: "lapse_session=\(fixture.editor)"])
            #expect(page.status == .ok)
            #expect(page.body.contains("eddie (editor)"))
        }
    }

    @Test("pages allow no script: the Content-Security-Policy has no script source and the pages have no script tag")
    func contentSecurityPolicy() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            for path in ["/", "/incidents/psn-2011", "/search?q=sony", "/login", "/companies/sony-computer-entertainment"] {
                let r = try await client.call(.get, path, token: fixture.reader)
                #expect(r.status == .ok, "\(path)")
                let csp = try #require(r.headers[.contentSecurityPolicy], "\(path)")
                #expect(csp.contains("default-src 'none'"))
                #expect(!csp.contains("script-src"))
                #expect(!r.body.lowercased().contains("<script"), "\(path)")
            }
        }
    }

    @Test("a hostile summary and quote render as text on the incident, list and search pages")
    func hostileTextEscaped() async throws {
        let fixture = try Fixture()
        let hostileJSON = String(data: try JSONEncoder().encode(Self.hostile), encoding: .utf8)!
        try await fixture.app().test(.router) { client in
            let created = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor,
                                                json: #"{"type": "statement", "at": "2011-05-02", "summary": \#(hostileJSON), "statement": {"quote": \#(hostileJSON)}, "sources": [{"url": "javascript:alert(1)"}]}"#)
            #expect(created.status == .created, "\(created.body)")
            let incident = try await client.call(.post, "/api/v1/incidents", token: fixture.editor, json: """
                {"id": "hostile-1", "title": \(hostileJSON), "organization": "sony-computer-entertainment", "kinds": ["breach"],
                 "events": [{"type": "disclosure", "at": "2020-01-01", "summary": \(hostileJSON)}]}
                """)
            #expect(incident.status == .created, "\(incident.body)")
            for path in ["/incidents/psn-2011", "/", "/search?q=alert", "/incidents/hostile-1"] {
                let page = try await client.call(.get, path, token: fixture.reader)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.body.contains("<script>alert"), "\(path)")
                #expect(!page.body.contains("<img src=x"), "\(path)")
                #expect(!page.body.contains("href=\"javascript:"), "\(path)")
                #expect(page.body.contains("&lt;script&gt;"), "\(path) shows the text")
            }
        }
    }

    @Test("the add-event form refuses a bad date beside the field, with the CLI's message, and keeps what was typed")
    func eventFormErrors() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let form = "type=apology&at=2011-02-30&summary=Sorry+%3Cb%3E&sources=https%3A%2F%2Fexample.org%2Fa"
            let r = try await client.execute(uri: "/incidents/psn-2011/events", method: .post,
                                             headers: [.authorization: "Bearer \(fixture.editor)", .contentType: "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: form)) { ($0.status, String(buffer: $0.body)) }
            #expect(r.0 == .unprocessableContent)
            var message = ""
            do { _ = try EventTime(parsing: "2011-02-30") } catch { message = "\(error)" }
            #expect(!message.isEmpty)
            #expect(r.1.contains(#"<p class="error" id="at-error" role="alert">\#(Escape.html(message))</p>"#))
            #expect(r.1.contains(#"value="Sorry &lt;b&gt;""#))
        }
    }

    /// A summary with brackets and markup of its own around the word searched for.
    static let bracketed = #"Letter [redacted] says <b>quokka</b> [quokka] and quokka's [sic] a]b[c"#

    @Test("search shows the matched words in <mark>, and the text's own brackets and markup as text")
    func searchHighlights() async throws {
        let fixture = try Fixture()
        let summaryJSON = String(data: try JSONEncoder().encode(Self.bracketed), encoding: .utf8)!
        try await fixture.app().test(.router) { client in
            let created = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor,
                                                json: #"{"type": "statement", "at": "2011-05-02", "summary": \#(summaryJSON)}"#)
            #expect(created.status == .created, "\(created.body)")
            let page = try await client.call(.get, "/search?q=quokka", token: fixture.reader)
            #expect(page.status == .ok)
            let mark = "<mark>quokka</mark>"
            let expected = Escape.html("Letter [redacted] says <b>") + mark + Escape.html("</b> [") + mark + Escape.html("] and ") + mark
                + Escape.html("'s [sic] a]b[c")
            #expect(page.body.contains(expected), "\(page.body)")
            #expect(!page.body.contains("[quokka]") && !page.body.contains("<b>"))
            // A bracketed word the query matches: the marker is inside the text's brackets.
            let both = try await client.call(.get, "/search?q=redacted%20quokka", token: fixture.reader)
            #expect(both.body.contains(Escape.html("Letter [") + "<mark>redacted</mark>" + Escape.html("] says <b>") + mark), "\(both.body)")
            // The API gives the snippet as the text it is, and the matches apart.
            let hits = try array(try await client.call(.get, "/api/v1/search?q=quokka", token: fixture.reader).body)
            let hit = try #require(hits.first)
            #expect(hit["snippet"] as? String == Self.bracketed)
            let parts = try #require(hit["parts"] as? [[String: Any]])
            #expect(parts.map { $0["text"] as? String ?? "" }.joined() == Self.bracketed)
            #expect(parts.filter { $0["match"] as? Bool == true }.map { $0["text"] as? String } == ["quokka", "quokka", "quokka"])
            #expect(parts.first?["text"] as? String == "Letter [redacted] says <b>")
        }
    }

    @Test("a search that cannot mean anything says why on the page, not as a server failure")
    func searchSyntaxError() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            for query in ["*", "OR", "sony%20OR"] {
                let page = try await client.call(.get, "/search?q=\(query)", token: fixture.reader)
                #expect(page.status == .ok, "\(query): \(page.body)")
                #expect(page.type?.hasPrefix("text/html") == true, "\(query)")
                #expect(page.body.contains(#"<p class="error">"#), "\(query)")
            }
        }
    }

    @Test("the event form shows every problem beside its field, the store's and the form's together")
    func eventFormEveryProblem() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            func post(_ uri: String, _ form: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(uri: uri, method: .post,
                                         headers: [.authorization: "Bearer \(fixture.editor)", .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: form)) { ($0.status, String(buffer: $0.body)) }
            }
            func errors(_ page: String) -> [String] {
                page.matches(of: /<p class="error" id="([a-z]+)-error"/).map { String($0.output.1) }
            }
            // Times that are not times, and a party that is not stored.
            let unreadable = try await post("/incidents/psn-2011/events", "type=apology&at=2011-02-30&until=2011-13&party=nobody-at-all&summary=Sorry")
            #expect(unreadable.0 == .unprocessableContent)
            #expect(errors(unreadable.1) == ["at", "until", "party"], "\(unreadable.1)")
            #expect(unreadable.1.contains("no party with id &quot;nobody-at-all&quot;"))
            // Times that read but make no span, and a party that is not stored (the store's checks).
            let invalid = try await post("/incidents/psn-2011/events", "type=apology&at=2011-05-01&until=2011-04-01&party=nobody-at-all&summary=Sorry")
            #expect(invalid.0 == .unprocessableContent)
            #expect(errors(invalid.1) == ["until", "party"], "\(invalid.1)")
            #expect(invalid.1.contains(#"aria-describedby="party-error""#))
            // The same on the edit form.
            let created = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor,
                                                json: #"{"id": "form-check", "type": "apology", "at": "2011-05-01"}"#)
            #expect(created.status == .created, "\(created.body)")
            let edit = try await post("/incidents/psn-2011/events/form-check/edit", "type=apology&at=2011-05-01&until=2011-04-01&party=nobody-at-all")
            #expect(edit.0 == .unprocessableContent)
            #expect(errors(edit.1) == ["until", "party"], "\(edit.1)")
            let badEdit = try await post("/incidents/psn-2011/events/form-check/edit", "type=apology&at=2011-02-30&party=nobody-at-all")
            #expect(errors(badEdit.1) == ["at", "party"], "\(badEdit.1)")
        }
    }

    @Test("the incident page offers no revert of the import that brought every incident, but does of an edit")
    func noImportRevert() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let history = try array(try await client.call(.get, "/api/v1/incidents/psn-2011/history", token: fixture.reader).body)
            let imported = try #require(history.first { ($0["command"] as? String)?.hasPrefix("import") == true }?["id"] as? Int)
            let created = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor,
                                                json: #"{"type": "apology", "at": "2011-05-01", "summary": "Sorry"}"#)
            #expect(created.status == .created)
            let logged = try #require(try array(try await client.call(.get, "/api/v1/incidents/psn-2011/history", token: fixture.reader).body).first?["id"] as? Int)
            let page = try await client.call(.get, "/incidents/psn-2011", token: fixture.editor)
            #expect(!page.body.contains(#"action="/history/\#(imported)/revert""#), "the import is not revertible here")
            #expect(page.body.contains(#"action="/history/\#(logged)/revert""#))
        }
    }

    @Test("the edit form clears a party, summary or quote left empty")
    func editFormClears() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let created = try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: fixture.editor, json: """
                {"id": "clear-check", "type": "apology", "at": "2011-05-01", "party": "sony-computer-entertainment", "summary": "Sorry",
                 "statement": {"quote": "We apologise."}}
                """)
            #expect(created.status == .created, "\(created.body)")
            let r = try await client.execute(uri: "/incidents/psn-2011/events/clear-check/edit", method: .post,
                                             headers: [.authorization: "Bearer \(fixture.editor)", .contentType: "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: "type=apology&at=2011-05-01&party=&summary=&quote=")) { ($0.status, String(buffer: $0.body)) }
            #expect(r.0 == .seeOther, "\(r.1)")
            let events = try array(try await client.call(.get, "/api/v1/incidents/psn-2011/events", token: fixture.reader).body)
            let event = try #require(events.first { $0["id"] as? String == "clear-check" })
            #expect(event["party"] == nil && event["summary"] == nil && event["quote"] == nil, "\(event)")
        }
    }

    @Test("a form posted with the session cookie needs the session's CSRF token")
    func csrf() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            let cookie: HTTPFields = [.cookie: "lapse_session=\(fixture.editor)", .contentType: "application/x-www-form-urlencoded"]
            let without = try await client.execute(uri: "/incidents/psn-2011/events", method: .post, headers: cookie,
                                                   body: ByteBuffer(string: "type=apology&at=2011-05-01")) { $0.status }
            #expect(without == .forbidden)
            let page = try await client.call(.get, "/incidents/psn-2011", headers: [.cookie: "lapse_session=\(fixture.editor)"])
            let csrf = try #require(page.body.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/)?.output.1)
            let with = try await client.execute(uri: "/incidents/psn-2011/events", method: .post, headers: cookie,
                                                body: ByteBuffer(string: "type=apology&at=2011-05-01&csrf=\(csrf)")) { $0.status }
            #expect(with == .seeOther)
        }
    }

    @Test("every report format downloads for an incident")
    func downloads() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            for (format, type) in [("html", "text/html"), ("md", "text/markdown"), ("json", "application/json"), ("csv", "text/csv")] {
                let r = try await client.call(.get, "/incidents/psn-2011/report.\(format)", token: fixture.reader)
                #expect(r.status == .ok, "\(format)")
                #expect(r.type?.hasPrefix(type) == true, "\(format)")
            }
            let status1 = try await client.call(.get, "/incidents/psn-2011/report.exe", token: fixture.reader).status
            #expect(status1 == .notFound)
        }
    }
}

