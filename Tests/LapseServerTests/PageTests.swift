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

