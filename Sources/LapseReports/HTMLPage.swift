import Foundation
import LapseCore
import Mustache

/// Markup a template inserts raw (`{{{chart}}}`): only our SVG builder's output, which escaped
/// every value, and a template we rendered ourselves. A plain `String` in a view is always text.
struct HTMLMarkup: Sendable, MustacheCustomRenderable {
    let renderText: String
    var isNull: Bool { false }

    /// An SVG chart, escaped by the builder.
    init(_ svg: SVGNode) { renderText = svg.markup }

    /// Output of one of our templates, already escaped by `HTMLPage.template`'s content type.
    fileprivate init(rendered: String) { renderText = rendered }
}

/// The HTML reports: one self-contained page (inline CSS and SVG, no script, no fetches),
/// rendered with Mustache. Every `{{value}}` is escaped by `Escape.html`, by Unicode scalar:
/// the library's own HTML escaping compares grapheme clusters, and U+0600 followed by `<` is
/// one cluster that is not `<`, so it let tags through.
enum HTMLPage {
    struct Page { let title: String; let body: HTMLMarkup; let version: String }

    /// The Mustache content type whose escaping is `Escape.html`.
    struct ContentType: MustacheContentType {
        func escapeText(_ text: String) -> String { Escape.html(text) }
    }

    static let contentTypeName = "LAPSE_HTML"

    /// Registered once, before the first template is parsed (the parser looks the name up).
    private static let registration: Void = MustacheContentTypes.register(ContentType(), named: contentTypeName)

    /// A template that escapes with `Escape.html`. Every template and partial goes through
    /// here: the content type is a pragma at the start of the template, and Mustache resets it
    /// to its own HTML escaping for each partial, so a partial needs it too.
    static func template(_ source: String) throws -> MustacheTemplate {
        _ = registration
        return try MustacheTemplate(string: "{{% CONTENT_TYPE: \(contentTypeName)}}" + source)
    }

    static func render<View>(title: String, template source: String, view: View) throws -> String {
        let body = try template(source).render(view, library: library)
        return try template(page).render(Page(title: title, body: HTMLMarkup(rendered: body), version: LapseVersion.current), library: library)
    }

    static let library: MustacheLibrary = {
        MustacheLibrary(templates: ["table": try! template(tableTemplate), "links": try! template(linksTemplate),
                                    "chart": try! template(chartTemplate), "legend": try! template(legendTemplate)])
    }()

    static let tableTemplate = """
        <div class="table-wrap"><table class="cards"><thead><tr>{{#header}}<th scope="col">{{.}}</th>{{/header}}</tr></thead>
        <tbody>{{#rows}}<tr>{{#cells}}<td class="{{cls}}" data-label="{{label}}">{{text}}</td>{{/cells}}</tr>{{/rows}}</tbody></table></div>
        """

    static let linksTemplate = """
        {{#sources}}<span class="source">{{#href}}<a href="{{href}}" rel="noopener noreferrer">{{text}}</a>{{/href}}{{^href}}{{text}} <span class="url">{{plain}}</span>{{/href}}</span> {{/sources}}
        """

    /// A chart in both layouts; CSS shows one. The captions describe what each draws.
    static let chartTemplate = """
        <figure class="wide">{{{wide}}}{{#hasCaption}}<figcaption class="muted">{{caption}}</figcaption>{{/hasCaption}}</figure>
        <figure class="narrow">{{{narrow}}}{{#hasCaption}}<figcaption class="muted">{{narrowCaption}}</figcaption>{{/hasCaption}}</figure>
        """

    static let legendTemplate = """
        <ul class="legend">{{#legend}}<li><span class="swatch {{cls}}"></span>{{name}}</li>{{/legend}}</ul>
        """

    /// Every template, for the test that checks what they insert raw.
    static var allTemplates: [String] { [page, incident, company, portfolio, tableTemplate, linksTemplate, chartTemplate, legendTemplate] }

    static let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>{{title}} · Lapse</title>
        <style>
        :root { \(ChartStyle.variables(.light)) }
        @media (prefers-color-scheme: dark) {
          :root { \(ChartStyle.variables(.dark)) } }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1000px; padding: 1.5rem 1rem 3rem; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); overflow-wrap: anywhere; }
        h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .5rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
        a { color: var(--accent); } .muted, .url { color: var(--muted); } .url { word-break: break-all; font-size: .85em; }
        dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .2rem 1rem; margin: 0 0 1rem; } dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
        .table-wrap { overflow-x: auto; } table { border-collapse: collapse; width: 100%; font-size: .92rem; }
        th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); } th { background: var(--panel); overflow-wrap: normal; }
        .nowrap { white-space: nowrap; } td.law { overflow-wrap: normal; } td.date, td.id, td.delay, td.num { white-space: nowrap; overflow-wrap: normal; } td.delay, td.lead { font-weight: 600; }
        .headline { font-size: 1.3rem; line-height: 1.35; font-weight: 650; margin: .2rem 0 .3rem; } .deck { margin: 0 0 .6rem; color: var(--muted); }
        ul.legend { list-style: none; padding: 0; margin: .2rem 0 .6rem; display: flex; flex-wrap: wrap; gap: .2rem 1rem; font-size: .9rem; }
        .swatch { display: inline-block; width: .8em; height: .8em; border-radius: 50%; margin-right: .35em; vertical-align: -.05em; }
        .swatch.fam-breach { background: var(--breach); } .swatch.fam-outage { background: var(--outage); } .swatch.fam-word { background: var(--word); }
        .swatch.fam-notice { background: var(--notice); } .swatch.fam-other { background: var(--other); } .swatch.outage-swatch { background: var(--shade); border: 1px solid var(--outage); border-radius: 2px; }
        .swatch.series-0 { background: var(--word); } .swatch.series-1 { background: var(--breach); } .swatch.series-2 { background: var(--notice); } .swatch.series-3 { background: var(--outage); }
        .swatch.series-4 { background: var(--other); } .swatch.series-5 { background: var(--fg); } .swatch.series-6 { background: #8250df; } .swatch.series-7 { background: #bf8700; }
        .status-met { color: var(--notice); } .status-missed { color: var(--breach); font-weight: 600; }
        blockquote { margin: 0 0 1rem; padding: .6rem 1rem; border-left: 4px solid var(--word); background: var(--panel); }
        blockquote p { margin: 0 0 .3rem; font-size: 1.05rem; } blockquote footer { color: var(--muted); font-size: .9rem; }
        .source + .source::before { content: "· "; color: var(--muted); }
        figure { margin: 0 0 1rem; } figure.narrow { display: none; } figcaption { font-size: .9rem; }
        svg.chart { display: block; width: 100%; height: auto; font: 11px system-ui, sans-serif; }
        figure.wide svg.chart { min-width: 0; } figure.narrow svg.chart { max-width: 520px; }
        \(ChartStyle.rules)
        .finding-error { color: var(--breach); font-weight: 600; } .finding-warning { color: var(--outage); font-weight: 600; } .finding-info { color: var(--muted); }
        footer.page { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
        @media (max-width: 899px) { figure.wide { display: none; } figure.narrow { display: block; } }
        @media (max-width: 600px) { body { font-size: 15px; padding: 1rem .6rem; } dl.facts { grid-template-columns: minmax(0, 1fr); }
          table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
          table.cards tr { display: flex; flex-direction: column; padding: .4rem 0; border-bottom: 1px solid var(--line); }
          table.cards td { display: block; border: 0; padding: .1rem 0; white-space: normal; }
          table.cards td::before { content: attr(data-label) ": "; color: var(--muted); font-weight: 400; } table.cards td:empty { display: none; }
          table.cards td.delay, table.cards td.lead { order: -1; } table.cards td.date, table.cards td.id, table.cards td.num { white-space: nowrap; } }
        @media print { body { max-width: none; padding: 0; color: #000; background: #fff; } a { color: #000; } a[href]::after { content: " (" attr(href) ")"; font-size: .8em; color: #555; }
          h2 { break-after: avoid; } figure, tr, blockquote { break-inside: avoid; } .table-wrap { overflow: visible; } }
        @page { margin: 15mm; }
        </style>
        </head>
        <body>
        <main>
        {{{body}}}
        </main>
        <footer class="page">Made with Lapse {{version}}. Delays are in calendar days; ranges reflect partial dates in the sources.</footer>
        </body>
        </html>

        """

    static let incident = """
        <header><h1>{{title}}</h1><p class="muted">Incident <code>{{id}}</code></p></header>
        {{#hasHeadline}}<p class="headline">{{headline}}</p>{{/hasHeadline}}
        {{#hasMore}}<p class="deck">{{#headlineMore}}{{.}} {{/headlineMore}}</p>{{/hasMore}}
        <dl class="facts">{{#facts}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/facts}}</dl>
        {{#summary}}<p>{{summary}}</p>{{/summary}}
        <h2>Timeline</h2>
        {{> legend}}
        {{#chart}}{{> chart}}{{/chart}}
        <h2>Delays</h2>
        {{#hasDelays}}<div class="table-wrap"><table class="cards"><thead><tr><th scope="col">metric</th><th scope="col">from</th><th scope="col">to</th><th scope="col">delay</th><th scope="col">flags</th></tr></thead><tbody>
        {{#delays}}<tr><td data-label="metric">{{metric}}</td><td data-label="from">{{from}}</td><td data-label="to">{{to}}</td><td class="delay" data-label="delay">{{text}}</td><td data-label="flags">{{flags}}</td></tr>{{/delays}}
        </tbody></table></div>{{/hasDelays}}{{^hasDelays}}<p class="muted">No named delay can be measured yet.</p>{{/hasDelays}}
        <h2>Statements</h2>
        {{#statements}}<blockquote><p>“{{quote}}”</p><footer>— {{attribution}} {{> links}}</footer></blockquote>{{/statements}}
        {{^hasStatements}}<p class="muted">No statements recorded.</p>{{/hasStatements}}
        <h2>Events</h2>
        <div class="table-wrap"><table class="cards"><thead><tr><th scope="col">date</th><th scope="col">offset</th><th scope="col">event</th><th scope="col">party</th><th scope="col">what happened</th><th scope="col">sources</th></tr></thead><tbody>
        {{#events}}<tr><td data-label="date"><span class="nowrap">{{at}}</span>{{#hasUntil}} → <span class="nowrap">{{until}}</span>{{/hasUntil}}</td><td class="date" data-label="offset">{{offset}}</td><td data-label="event">{{type}}</td><td data-label="party">{{party}}</td><td data-label="what happened">{{summary}}</td><td data-label="sources">{{> links}}</td></tr>{{/events}}
        </tbody></table></div>
        <h2>Notification deadlines</h2>
        {{#hasDeadlines}}<div class="table-wrap"><table class="cards"><thead><tr><th scope="col">law</th><th scope="col">notify</th><th scope="col">status</th><th scope="col">deadline</th><th scope="col">clock start</th><th scope="col">due</th><th scope="col">satisfied by</th><th scope="col">margin</th></tr></thead><tbody>
        {{#deadlines}}<tr><td class="law" data-label="law">{{#law}}{{#href}}<a href="{{href}}" rel="noopener noreferrer">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}{{/law}}</td><td data-label="notify">{{notify}}</td><td class="lead {{statusClass}}" data-label="status">{{status}}</td><td data-label="deadline">{{deadline}}</td><td data-label="clock start">{{clockStart}}</td><td class="date" data-label="due">{{due}}</td><td data-label="satisfied by">{{satisfiedBy}}</td><td data-label="margin">{{margin}}</td></tr>{{/deadlines}}
        </tbody></table></div><p class="muted">Due times are UTC for hour clocks. A reading of the rules, not legal advice.</p>{{/hasDeadlines}}
        {{^hasDeadlines}}<p class="muted">No notification rule applies to this incident's jurisdictions and scope.</p>{{/hasDeadlines}}
        <h2>Consistency</h2>
        {{#hasFindings}}<ul>{{#findings}}<li><span class="finding-{{severity}}">{{severity}}</span> ({{code}}): {{message}}</li>{{/findings}}</ul>{{/hasFindings}}
        {{^hasFindings}}<p class="muted">No findings.</p>{{/hasFindings}}
        """

    static let company = """
        <header><h1>{{company}}</h1><p class="muted">{{incidentCount}} · organizations: {{organizations}}</p></header>
        <h2>Delays of each incident</h2>
        {{> legend}}
        {{#chart}}{{> chart}}{{/chart}}
        <h2>Delays side by side</h2>
        {{#delays}}{{> table}}{{/delays}}
        <h2>Incidents</h2>
        {{#incidents}}{{> table}}{{/incidents}}
        <h2>Compared with the database</h2>
        {{#comparison}}{{> table}}{{/comparison}}
        <p class="muted">Medians in days; a delay known only as a range counts as its midpoint.</p>
        """

    static let portfolio = """
        <header><h1>All incidents</h1><p class="muted">{{incidentCount}}</p></header>
        <h2>Delays across incidents</h2>
        {{#boxes}}{{> chart}}{{/boxes}}
        {{#summaries}}{{> table}}{{/summaries}}
        <p class="muted">Days. A delay known only as a range counts as its midpoint (ranges: how many did).</p>
        <h2>The slowest disclosures</h2>
        {{#hasSlowest}}<p class="muted">Ranked by {{slowestMetric}}: the first of time in the dark, time to notify customers, time to disclose, … that this data measures for at least half as many incidents as its best-measured delay.</p>{{#slowest}}{{> table}}{{/slowest}}{{/hasSlowest}}
        {{^hasSlowest}}<p class="muted">No delay could be measured.</p>{{/hasSlowest}}
        <h2>Trend by year</h2>
        {{#hasTrend}}{{#trendChart}}{{> chart}}{{/trendChart}}{{/hasTrend}}{{^hasTrend}}<p class="muted">No delay could be measured.</p>{{/hasTrend}}
        {{#hasDeadlines}}<h2>Notification deadlines</h2>
        <p class="muted">Per law: incidents that met its deadline, missed it, or cannot be judged (open, uncertain, no fixed deadline, not started). A reading of the rules, not legal advice.</p>
        {{#deadlines}}{{> table}}{{/deadlines}}{{/hasDeadlines}}
        <h2>Incidents by kind</h2>
        {{#kindChart}}{{> chart}}{{/kindChart}}
        <h2>Incidents by sector</h2>
        {{#sectorChart}}{{> chart}}{{/sectorChart}}
        """
}
