import Foundation
import HTTPTypes
import Hummingbird
import LapseApp
import LapseCore
import LapseReports

// The web app: server-rendered pages over the same use cases as the API. No page has script;
// every form works with a plain POST. Every value from the data goes through `Escape.html`
// (the report pages are the reports' own Mustache templates, escaped with LAPSE_HTML).

extension LapseServer {
    func addPageRoutes(to router: Router<LapseContext>) {
        router.get("/login") { request, context in
            htmlPage("Log in", loginForm(error: nil), context: context)
        }
        router.post("/login") { request, context in
            let form = try await Form.read(request, context)
            let secret = form["token"].trimmingCharacters(in: .whitespacesAndNewlines)
            let tokens = self.tokens
            guard try await offload({ try TokenManager(store: tokens).authenticate(secret: secret) }) != nil else {
                var response = htmlPage("Log in", loginForm(error: "This token is unknown or revoked."), context: context)
                response.status = .unauthorized
                return response
            }
            var response = redirect("/")
            response.setCookie(Cookie(name: Session.cookieName, value: secret, path: "/", secure: settings.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }
        router.post("/logout") { request, context in
            try await checkCSRF(request, context)
            var response = redirect("/login")
            response.setCookie(Cookie(name: Session.cookieName, value: "", maxAge: 0, path: "/", secure: settings.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }

        router.get("/") { request, context in
            if let refused = pageAccess(.reader, context) { return refused }
            let query = Query(request)
            let filter = try query.filter()
            let order = try query.order(keys: IncidentQuery.sortKeys)
            let store = self.store
            let rows = try await offload { try IncidentQuery(store: store).incidents(filter, order: order) }
            return htmlPage("Incidents", incidentList(rows, query: query), context: context)
        }
        router.get("/incidents/:id") { request, context in
            if let refused = pageAccess(.reader, context) { return refused }
            let id = try context.parameters.require("id")
            return try await incidentPage(id, context: context, form: EventForm(), editing: nil)
        }
        router.post("/incidents/:id/events") { request, context in
            if let refused = pageAccess(.editor, context) { return refused }
            let id = try context.parameters.require("id")
            let form = try await Form.read(request, context)
            try checkCSRF(form, context)
            var eventForm = EventForm(form)
            let draft = eventForm.draft()
            let store = self.store, change = changeContext(context, "log \(id) \(eventForm.type) --at \(eventForm.at)")
            do {
                _ = try await offload { try EventLogger(store: store).log(draft, toIncident: id, as: change) }
            } catch let error as DataProblems {
                eventForm.place(error.problems)
                return try await incidentPage(id, context: context, form: eventForm, editing: nil, status: .unprocessableContent)
            }
            return redirect("/incidents/\(Escape.urlPath(id))#events")
        }
        router.get("/incidents/:id/events/:event/edit") { request, context in
            if let refused = pageAccess(.editor, context) { return refused }
            let id = try context.parameters.require("id"), eventID = try context.parameters.require("event")
            let store = self.store
            let found = try await offload { try EventFinder(store: store).find("\(id)/\(eventID)") }
            return try await incidentPage(id, context: context, form: EventForm(found.incident.events[found.index]), editing: eventID)
        }
        router.post("/incidents/:id/events/:event/edit") { request, context in
            if let refused = pageAccess(.editor, context) { return refused }
            let id = try context.parameters.require("id"), eventID = try context.parameters.require("event")
            let form = try await Form.read(request, context)
            try checkCSRF(form, context)
            var eventForm = EventForm(form)
            let event = eventForm.draft()
            let store = self.store, change = changeContext(context, "event edit \(id)/\(eventID)")
            do {
                _ = try await offload { () -> Change in
                    let (found, index) = try EventFinder(store: store).find("\(id)/\(eventID)")
                    let old = found.events[index]
                    var changes = EventChanges()
                    changes.problems = event.problems
                    changes.type = event.type
                    changes.at = event.at
                    if event.until != old.until { changes.until = event.until }
                    if event.party != old.party { changes.party = event.party ?? "" }
                    if event.summary != old.summary { changes.summary = event.summary ?? "" }
                    if event.statement?.quote != old.statement?.quote { changes.quote = event.statement?.quote ?? "" }
                    let newSources = event.sources.map(\.url), oldSources = old.sources.map(\.url)
                    changes.addSources = newSources.filter { !oldSources.contains($0) }
                    changes.removeSources = oldSources.filter { !newSources.contains($0) }
                    return try EventEditor(store: store).edit("\(id)/\(eventID)", changes, as: change)
                }
            } catch let error as DataProblems {
                eventForm.place(error.problems)
                return try await incidentPage(id, context: context, form: eventForm, editing: eventID, status: .unprocessableContent)
            } catch is NothingToChange {}
            return redirect("/incidents/\(Escape.urlPath(id))#events")
        }
        router.post("/history/:change/revert") { request, context in
            if let refused = pageAccess(.editor, context) { return refused }
            let form = try await Form.read(request, context)
            try checkCSRF(form, context)
            guard let id = Int(try context.parameters.require("change")) else { throw Problem(.badRequest, "change: expected a change id", field: "change") }
            let store = self.store, change = changeContext(context, "revert \(id)")
            _ = try await offload { try ChangeReverter(store: store).revert(id, force: false, as: change) }
            let back = form["back"]
            return redirect(back.hasPrefix("/incidents/") ? back : "/")
        }
        router.get("/search") { request, context in
            if let refused = pageAccess(.reader, context) { return refused }
            let text = Query(request).string("q") ?? ""
            let store = self.store
            var hits: [SearchResult] = []
            var error: String?
            if !text.trimmingCharacters(in: .whitespaces).isEmpty {
                do {
                    _ = try SearchQuery.parse(text)
                    hits = try await offload { try SearchQuery(store: store).hits(for: text, limit: 100) }
                } catch let e as SearchSyntaxError { error = e.message }
            }
            return htmlPage("Search", searchPage(text, hits, error: error), context: context)
        }
        router.get("/companies/:name") { request, context in
            if let refused = pageAccess(.reader, context) { return refused }
            let name = try context.parameters.require("name")
            return try await report(.company(name), format: .html, context: context)
        }
        router.get("/incidents/:id/report.{format}") { request, context in
            if let refused = pageAccess(.reader, context) { return refused }
            let id = try context.parameters.require("id")
            return try await report(.incident(id), format: try reportFormat(context), context: context)
        }
        router.get("/companies/:name/report.{format}") { request, context in
            if let refused = pageAccess(.reader, context) { return refused }
            return try await report(.company(try context.parameters.require("name")), format: try reportFormat(context), context: context)
        }
    }

    func reportFormat(_ context: LapseContext) throws -> ReportFormat {
        let text = try context.parameters.require("format")
        guard let format = ReportFormat(rawValue: text) else {
            throw Problem(.notFound, "no report format \"\(text)\"; expected one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))", field: "format")
        }
        return format
    }

    enum ReportSubject { case incident(String), company(String) }

    /// A report in a format, as `lapse report` writes it.
    func report(_ subject: ReportSubject, format: ReportFormat, context: LapseContext) async throws -> Response {
        let store = self.store, now = self.now()
        let (text, name) = try await offload { () -> (String, String) in
            let loader = ReportInputLoader(store: store, now: now)
            switch subject {
            case .incident(let id):
                let (incident, input) = try loader.incident(id)
                return (try ReportRenderer(input: input).incident(ReportBuilder.incident(incident, input: input), format: format), id)
            case .company(let name):
                let (title, input) = try loader.company(name, allMatches: false)
                return (try ReportRenderer(input: input).company(ReportBuilder.company(title, input: input), format: format), name)
            }
        }
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: text)))
        response.headers[.contentType] = switch format {
        case .html: "text/html; charset=utf-8"
        case .md: "text/markdown; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        }
        if format != .html {
            let safe = String(name.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
            response.headers[.contentDisposition] = "attachment; filename=\"\(safe.isEmpty ? "report" : safe).\(format.rawValue)\""
        }
        Self.secure(&response)
        return response
    }

    /// The page's access check: nil when allowed; a redirect to the login page without a token.
    func pageAccess(_ role: TokenRole, _ context: LapseContext) -> Response? {
        do {
            try require(role, context)
            return nil
        } catch let problem as Problem where problem.statusCode == 401 {
            return redirect("/login")
        } catch {
            return htmlPage("Not allowed", "<p>\(Escape.html((error as? Problem)?.detail ?? "\(error)"))</p>", context: context, status: .forbidden)
        }
    }

    /// A form posted with the session cookie must carry the session's CSRF token; a form posted
    /// with a Bearer header needs none (no browser sends that header by itself).
    func checkCSRF(_ form: Form, _ context: LapseContext) throws {
        guard let session = context.session else { return }
        guard form["csrf"] == session.csrf else {
            throw Problem(.forbidden, "the form's CSRF token is missing or stale; reload the page and try again", field: "csrf")
        }
    }

    func checkCSRF(_ request: Request, _ context: LapseContext) async throws {
        try checkCSRF(try await Form.read(request, context), context)
    }

    // MARK: Pages

    func htmlPage(_ title: String, _ body: String, context: LapseContext, status: HTTPResponse.Status = .ok) -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Escape.html(title)) · Lapse</title><style>\(Self.css)</style></head>
            <body>\(nav(context))<main><h1>\(Escape.html(title))</h1>
            \(body)</main></body></html>
            """
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(string: html)))
        response.headers[.contentType] = "text/html; charset=utf-8"
        Self.secure(&response)
        return response
    }

    /// Headers every page carries: no script at all, no framing, no sniffing, no referrer.
    static func secure(_ response: inout Response) {
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
    }

    func nav(_ context: LapseContext) -> String {
        var links = #"<nav class="app"><a href="/">Incidents</a> <a href="/search">Search</a>"#
        if let token = context.token {
            links += " <span class=\"who\">\(Escape.html(token.name)) (\(token.role.rawValue))</span>"
            if let session = context.session {
                links += #" <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="\#(session.csrf)"><button>Log out</button></form>"#
            }
        } else {
            links += #" <a href="/login">Log in</a>"#
        }
        return links + "</nav>"
    }

    func csrfField(_ context: LapseContext) -> String {
        context.session.map { #"<input type="hidden" name="csrf" value="\#($0.csrf)">"# } ?? ""
    }

    func loginForm(error: String?) -> String {
        """
        <form method="post" action="/login" class="stack">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required>
        \(error.map { #"<p class="error" role="alert">\#(Escape.html($0))</p>"# } ?? "")
        <p class="hint">Ask an admin for a token (<code>lapse token create --name NAME --role editor</code>).</p>
        <button>Log in</button></form>
        """
    }

    func incidentList(_ rows: [IncidentListing], query: Query) -> String {
        let company = Escape.html(query.string("company") ?? ""), sort = query.string("sort") ?? ""
        let kind = query.string("kind") ?? ""
        var html = #"<form method="get" action="/" class="filters"><label>Company <input name="company" value="\#(company)"></label> "#
        html += #"<label>Kind <select name="kind"><option value="">any</option>"#
        for k in IncidentKind.allCases { html += "<option\(k.rawValue == kind ? " selected" : "")>\(k.rawValue)</option>" }
        html += #"</select></label> <label>Sort <select name="sort"><option value="">first event</option>"#
        for key in IncidentQuery.sortKeys where key != "first-event" { html += "<option\(key == sort ? " selected" : "")>\(key)</option>" }
        html += "</select></label> <label><input type=\"checkbox\" name=\"desc\" value=\"true\"\(query.string("desc") == "true" ? " checked" : "")> descending</label> <button>Filter</button></form>"
        html += "<p class=\"muted\">\(rows.count) incident\(rows.count == 1 ? "" : "s")</p>"
        // On a narrow screen each row stacks into a card (`table.stack` in the CSS), its cells
        // labelled from `data-label`.
        html += #"<div class="table-wrap"><table class="stack"><thead><tr><th>incident</th><th>company</th><th>kinds</th><th>first event</th><th>records</th><th>events</th></tr></thead><tbody>"#
        for r in rows {
            html += "<tr><td class=\"title wide\"><a href=\"/incidents/\(Escape.html(Escape.urlPath(r.id)))\">\(Escape.html(r.title))</a></td>"
            html += "<td class=\"wide\"><a href=\"/companies/\(Escape.html(Escape.urlPath(r.organization)))\">\(Escape.html(r.organizationName))</a></td>"
            html += "<td data-label=\"kinds\">\(r.kinds.map(\.rawValue).joined(separator: ", "))</td><td class=\"date\" data-label=\"first event\">\(Escape.html(r.firstEvent ?? ""))</td>"
            html += "<td class=\"num\" data-label=\"records\">\(r.recordsAffected.map(groupedNumber) ?? "")</td><td class=\"num\" data-label=\"events\">\(r.events)</td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    func searchPage(_ text: String, _ hits: [SearchResult], error: String?) -> String {
        var html = #"<form method="get" action="/search" class="filters"><label>Words <input name="q" value="\#(Escape.html(text))"></label> <button>Search</button></form>"#
        if let error { html += #"<p class="error">\#(Escape.html(error))</p>"# }
        if !text.isEmpty && error == nil { html += "<p class=\"muted\">\(hits.count) hit\(hits.count == 1 ? "" : "s")</p>" }
        html += "<ul class=\"hits\">"
        for hit in hits {
            if let incident = hit.incident {
                html += "<li><a href=\"/incidents/\(Escape.html(Escape.urlPath(incident)))\">\(Escape.html(incident))</a> "
            } else {
                html += "<li><strong>\(Escape.html(hit.label))</strong> "
            }
            html += "<span class=\"muted nowrap\">\(hit.kind.rawValue)\(hit.at.map { " " + Escape.html($0) } ?? "")</span> \(highlighted(hit.parts))</li>"
        }
        return html + "</ul>"
    }

    /// A snippet with its matched words in `<mark>`, every part escaped.
    func highlighted(_ parts: [SnippetPart]) -> String {
        parts.map { $0.match ? "<mark>\(Escape.html($0.text))</mark>" : Escape.html($0.text) }.joined()
    }

    /// The incident's report page with the app's parts: events with edit links, the add (or
    /// edit) form, the history with revert buttons and the downloads.
    func incidentPage(_ id: String, context: LapseContext, form: EventForm, editing: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let store = self.store, now = self.now()
        let (report, timeline, changes) = try await offload { () -> (String, IncidentTimeline, [Change]) in
            let loader = ReportInputLoader(store: store, now: now)
            let (incident, input) = try loader.incident(id)
            let html = try ReportRenderer(input: input).incident(ReportBuilder.incident(incident, input: input), format: .html)
            return (html, try TimelineQuery(store: store).timeline(of: id),
                    try ChangeHistory(store: store).changes(selectedBy: ChangeFilter(recordID: id, kind: .incident)))
        }
        let path = "/incidents/\(Escape.urlPath(id))"
        let canEdit = (context.token?.role ?? .reader) >= .editor
        var app = #"<section class="app" id="events"><h2>Edit events</h2><div class="table-wrap"><table class="stack"><thead><tr><th>id</th><th>date</th><th>event</th><th>what happened</th><th></th></tr></thead><tbody>"#
        for row in timeline.rows {
            app += "<tr><td data-label=\"id\"><code>\(Escape.html(row.id))</code></td><td class=\"date\">\(Escape.html(row.at))</td><td>\(row.type)</td><td class=\"wide\">\(Escape.html(row.summary ?? ""))</td><td>"
            if canEdit { app += "<a href=\"\(Escape.html(path))/events/\(Escape.html(Escape.urlPath(row.id)))/edit#event-form\">edit</a>" }
            app += "</td></tr>"
        }
        app += "</tbody></table></div>"
        if canEdit {
            let action = editing.map { "\(path)/events/\(Escape.urlPath($0))/edit" } ?? "\(path)/events"
            app += "<h2 id=\"event-form\">\(editing.map { "Edit event <code>\(Escape.html($0))</code>" } ?? "Add an event")</h2>"
            app += form.html(action: Escape.html(action), csrf: csrfField(context), editing: editing != nil)
        }
        app += #"<h2 id="history">History</h2><ol class="history">"#
        for change in changes {  // newest first, as `lapse history` lists them
            app += "<li><span class=\"nowrap\">\(Escape.html(change.at))</span> <strong>\(Escape.html(change.author))</strong> <code>\(Escape.html(change.command))</code>"
            // An import is one change over every record it brought: reverting it from one
            // incident's page would take the others with it (`lapse revert` does it knowingly).
            if canEdit && change.command != "import" && !change.command.hasPrefix("import ") {
                app += #" <form method="post" action="/history/\#(change.id)/revert" class="inline">\#(csrfField(context))<input type="hidden" name="back" value="\#(Escape.html(path))"><button>Revert change \#(change.id)</button></form>"#
            }
            app += "</li>"
        }
        app += "</ol><h2>Downloads</h2><p>"
        app += ReportFormat.allCases.map { "<a href=\"\(Escape.html(path))/report.\($0.rawValue)\">\($0.rawValue.uppercased())</a>" }.joined(separator: " · ")
        app += "</p></section>"
        var page = report
        if let main = page.range(of: "<main>") { page.replaceSubrange(main, with: nav(context) + "<main>") }
        if let end = page.range(of: "</main>", options: .backwards) { page.replaceSubrange(end, with: app + "<style>\(Self.css)</style></main>") }
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(string: page)))
        response.headers[.contentType] = "text/html; charset=utf-8"
        Self.secure(&response)
        return response
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static let css = """
        nav.app { display: flex; flex-wrap: wrap; gap: .8em; align-items: center; padding: .5em 0; border-bottom: 1px solid #ccc; margin-bottom: 1em; }
        nav.app .who { margin-left: auto; color: #555; }
        form.inline { display: inline; }
        form.filters { display: flex; flex-wrap: wrap; gap: .6em; align-items: end; margin: 1em 0; }
        form.stack, .event-form { display: grid; gap: .4em; max-width: 40em; }
        .event-form .field { display: grid; gap: .2em; }
        .error { color: #a00; font-weight: 600; }
        .hint { color: #555; font-size: .9em; margin: 0; }
        input, select, textarea, button { font: inherit; padding: .3em .4em; }
        textarea { min-height: 4em; }
        table { border-collapse: collapse; } td, th { padding: .3em .5em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
        td.num { text-align: right; } .muted { color: #555; } .table-wrap { overflow-x: auto; }
        td.num, td.date, .nowrap { white-space: nowrap; }
        body { font-family: system-ui, sans-serif; max-width: 70em; margin: 0 auto; padding: 0 1em; line-height: 1.4; }
        mark { background: #fde68a; color: inherit; padding: 0 .1em; }
        @media (max-width: 40em) {
          table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
          table.stack, table.stack tbody { display: block; }
          table.stack tr { display: flex; flex-wrap: wrap; gap: .1em 1em; padding: .5em 0; border-bottom: 1px solid #ddd; }
          table.stack td { display: block; padding: 0; border: 0; text-align: left; overflow-wrap: anywhere; min-width: 0; }
          table.stack td.wide { flex-basis: 100%; }
          table.stack td.title { font-weight: 600; }
          table.stack td[data-label]::before { content: attr(data-label) " "; color: #555; font-size: .9em; }
          table.stack td:empty { display: none; }
        }
        """
}

extension LapseContext {
    /// The session, when the token came from the session cookie rather than a Bearer header.
    var session: Session? { sessionSecret.map(Session.init) }
}

/// An `application/x-www-form-urlencoded` body.
struct Form {
    var values: [String: [String]] = [:]

    subscript(_ name: String) -> String { values[name]?.first ?? "" }

    static func read(_ request: Request, _ context: LapseContext) async throws -> Form {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return Form(parsing: String(buffer: buffer))
    }

    init(parsing text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            values[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}

/// The add/edit event form: its values as typed, and the errors beside each field (the same
/// messages as the CLI's: `EventTime`'s and the store's `DataProblems`).
struct EventForm {
    var type = ""
    var at = ""
    var until = ""
    var party = ""
    var summary = ""
    var quote = ""
    var sources = ""
    /// The problems beside each field (`form` for those of no one field), in the order found.
    var errors: [String: [String]] = [:]

    init() {}

    init(_ event: Event) {
        type = event.type.rawValue
        at = event.at.description
        until = event.until?.description ?? ""
        party = event.party ?? ""
        summary = event.summary ?? ""
        quote = event.statement?.quote ?? ""
        sources = event.sources.map(\.url).joined(separator: "\n")
    }

    init(_ form: Form) {
        type = form["type"]
        at = form["at"].trimmingCharacters(in: .whitespaces)
        until = form["until"].trimmingCharacters(in: .whitespaces)
        party = form["party"].trimmingCharacters(in: .whitespaces)
        summary = form["summary"]
        quote = form["quote"]
        sources = form["sources"]
    }

    /// The event as typed: the fields that read, and a problem for each that does not. The
    /// use case checks the rest and names every problem.
    func draft() -> EventDraft {
        var draft = EventDraft()
        var problems: [DataProblem] = []
        draft.type = EventDraft.type(type, field: "type", problems: &problems)
        draft.at = EventDraft.time(at, field: "at", problems: &problems)
        if !until.isEmpty { draft.until = EventDraft.time(until, field: "until", problems: &problems) }
        draft.party = party.isEmpty ? nil : party
        draft.summary = summary.isEmpty ? nil : summary
        draft.statement = quote.isEmpty ? nil : Quotation(quote: quote)
        draft.sources = sources.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { Source(url: $0) }
        draft.problems = problems
        return draft
    }

    /// Puts each problem beside its field: the path's first part, after the event's place in
    /// its incident when the store names it (`events[3].until`); `statement.quote` is the quote.
    mutating func place(_ problems: [DataProblem]) {
        for problem in problems {
            var path = Substring(problem.path)
            if let event = path.firstMatch(of: /^(incident \S+ )?events\[\d+\]\.?/) { path = path[event.range.upperBound...] }
            let first = String(path.prefix { $0 != "." && $0 != "[" })
            let field = ["type", "at", "until", "party", "summary", "sources"].contains(first) ? first : (first == "statement" ? "quote" : "form")
            errors[field, default: []].append(problem.message)
        }
    }

    func html(action: String, csrf: String, editing: Bool) -> String {
        func error(_ name: String) -> String {
            guard let messages = errors[name] else { return "" }
            return #"<p class="error" id="\#(name)-error" role="alert">\#(Escape.html(messages.joined(separator: "; ")))</p>"#
        }
        func described(_ name: String) -> String { errors[name] == nil ? "" : #" aria-invalid="true" aria-describedby="\#(name)-error""# }
        var html = #"<form method="post" action="\#(action)" class="event-form">\#(csrf)"#
        html += error("form")
        html += #"<div class="field"><label for="type">Event type</label><select id="type" name="type"\#(described("type"))>"#
        for t in EventType.allCases { html += "<option\(t.rawValue == type ? " selected" : "")>\(t.rawValue)</option>" }
        html += "</select>\(error("type"))</div>"
        html += #"<div class="field"><label for="at">When</label><input id="at" name="at" value="\#(Escape.html(at))" required\#(described("at"))>"#
        html += #"<p class="hint">As precise as the source: 2011, 2011-04, 2011-04-26, 2011-04-26T17:50 (the incident's time zone) or 2011-04-26T17:50:00-07:00; add ~ if approximate, ? if uncertain.</p>\#(error("at"))</div>"#
        html += #"<div class="field"><label for="until">Until (for a span)</label><input id="until" name="until" value="\#(Escape.html(until))"\#(described("until"))>\#(error("until"))</div>"#
        html += #"<div class="field"><label for="party">Party id</label><input id="party" name="party" value="\#(Escape.html(party))"\#(described("party"))>\#(error("party"))</div>"#
        html += #"<div class="field"><label for="summary">What happened</label><input id="summary" name="summary" value="\#(Escape.html(summary))"\#(described("summary"))>\#(error("summary"))</div>"#
        html += #"<div class="field"><label for="quote">Quote (verbatim)</label><textarea id="quote" name="quote"\#(described("quote"))>\#(Escape.html(quote))</textarea>\#(error("quote"))</div>"#
        html += #"<div class="field"><label for="sources">Sources (one URL a line)</label><textarea id="sources" name="sources"\#(described("sources"))>\#(Escape.html(sources))</textarea>\#(error("sources"))</div>"#
        return html + "<button>\(editing ? "Save the event" : "Add the event")</button></form>"
    }
}
