import Foundation
import Testing
@testable import LapseCore
@testable import LapseReports

func loadFixture(_ name: String) throws -> LapseDocument {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    return try JSONDecoder().decode(LapseDocument.self, from: Data(contentsOf: url))
}

func input(_ doc: LapseDocument) -> ReportInput {
    let engine = DelayEngine()
    var delays: [String: [DayDelay]] = [:]
    for i in doc.incidents { for d in engine.delays(for: i).compactMap(\.delay) { delays[d.metric, default: []].append(d.days) } }
    return ReportInput(incidents: doc.incidents, parties: Dictionary(uniqueKeysWithValues: doc.parties.map { ($0.id, $0) }),
                       findings: Dictionary(uniqueKeysWithValues: doc.incidents.map { ($0.id, ConsistencyChecker.check($0, engine: engine)) }),
                       databaseDelays: delays)
}

/// Every rendering of every report kind, for the checks that apply to all of them.
func allRenderings(_ doc: LapseDocument) throws -> [(String, ReportFormat, String)] {
    let i = input(doc)
    let r = ReportRenderer(input: i)
    var out: [(String, ReportFormat, String)] = []
    for format in ReportFormat.allCases {
        out.append(("incident", format, try r.incident(ReportBuilder.incident(doc.incidents[0], input: i), format: format)))
        out.append(("company", format, try r.company(ReportBuilder.company("evil", input: i), format: format)))
        out.append(("all", format, try r.portfolio(ReportBuilder.portfolio(input: i), format: format)))
    }
    return out
}

@Suite("Hostile input")
struct HostileInputTests {
    @Test("HTML carries no executable markup and links only http(s)")
    func html() throws {
        for (kind, format, text) in try allRenderings(loadFixture("hostile.json")) where format == .html {
            let lower = text.lowercased()
            #expect(!containsBytes(lower, "<script"), "\(kind): a script tag got through")
            #expect(!containsBytes(lower, "<img"), "\(kind)")
            #expect(!containsBytes(lower, "<iframe"), "\(kind)")
            #expect(!containsBytes(lower, "<svg onload"), "\(kind)")
            #expect(!containsBytes(lower, "<b>"), "\(kind)")
            for tag in lower.matches(of: /<[a-z][^>]*>/) {
                #expect(tag.0.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil, "\(kind): an event handler attribute in \(tag.0)")
            }
            #expect(!lower.contains("href=\"javascript"), "\(kind)")
            #expect(!lower.contains("href=\"data:"), "\(kind)")
            for href in text.matches(of: /href="([^"]*)"/) {
                #expect(href.1.hasPrefix("https://") || href.1.hasPrefix("http://"), "\(kind): \(href.1)")
            }
            if kind == "incident" {
                #expect(text.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"), "the title is shown, escaped")
                #expect(text.contains("href=\"https://example.org/a?x=&quot;&gt;&lt;script&gt;alert(7)&lt;/script&gt;\""), "a real link stays a link, escaped")
                #expect(text.contains("javascript:alert(&#39;link&#39;)"), "a bad URL is shown as text")
            }
        }
    }

    @Test("Markdown carries no raw HTML and no non-http links")
    func markdown() throws {
        for (kind, format, text) in try allRenderings(loadFixture("hostile.json")) where format == .md {
            if let r = text.range(of: #"(?<!\\)<[a-zA-Z/]"#, options: .regularExpression) {
                Issue.record("\(kind): raw HTML in Markdown: \(text[(text.index(r.lowerBound, offsetBy: -20, limitedBy: text.startIndex) ?? text.startIndex)..<r.upperBound])")
            }
            #expect(text.range(of: #"(?<!\\)\]\((?!https?://)"#, options: .regularExpression) == nil, "\(kind): a link that is not http(s)")
            if kind == "incident" {
                #expect(text.contains("\\[click\\]\\(javascript:alert\\(8\\)\\)"), "link syntax in a quote is shown, not obeyed")
                #expect(text.contains("[ok link](https://example.org/a?x=%22%3E%3Cscript%3Ealert%287%29%3C/script%3E)"))
            }
        }
    }

    @Test("CSV never starts a text cell with a formula character")
    func csv() throws {
        for (kind, format, text) in try allRenderings(loadFixture("hostile.json")) where format == .csv {
            for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
                for cell in line.split(separator: ",", omittingEmptySubsequences: false) {
                    let c = cell.hasPrefix("\"") ? cell.dropFirst() : cell[...]
                    guard let first = c.first, "=+@".contains(first) || (first == "-" && Double(c) == nil) else { continue }
                    Issue.record("\(kind): formula-like cell \(cell)")
                }
            }
        }
        #expect(Escape.csv("=1+2") == "'=1+2")
        #expect(Escape.csv("-2+3") == "'-2+3")
        #expect(Escape.csv("@SUM(A1)") == "'@SUM(A1)")
        #expect(Escape.csv("a,b") == "\"a,b\"")
    }

    @Test("only http(s) URLs are links", arguments: [
        ("https://example.org/x", true), ("http://example.org", true), ("HTTPS://EXAMPLE.ORG", true),
        ("javascript:alert(1)", false), (" javascript:alert(1)", false), ("data:text/html,x", false),
        ("file:///etc/passwd", false), ("//example.org", false), ("https://", false), ("vbscript:x", false),
    ])
    func links(_ url: String, _ ok: Bool) {
        #expect((safeLink(url) != nil) == ok)
    }
}

@Suite("Reports")
struct ReportContentTests {
    @Test("the incident report has the facts, the delays, the statements and the findings")
    func incident() throws {
        let doc = try loadFixture("psn.json")
        let i = input(doc)
        let report = ReportBuilder.incident(doc.incidents[0], input: i)
        let apology = try #require(report.delays.first { $0.metric == "time-to-apologize" })
        #expect(apology.span == "11 d")
        #expect(apology.daysMin == 11 && apology.daysMax == 11)
        #expect(report.statements.first?.speaker == "Kazuo Hirai")
        let md = try ReportRenderer(input: i).incident(report, format: .md)
        #expect(md.contains("| Time to apologize | Outage start 2011-04-20 | Apology 2011-05-01 | **11 d** |  |"), "metrics and event types by their names")
        #expect(md.contains("> “We offer our sincerest apologies.”"))
        let html = try ReportRenderer(input: i).incident(report, format: .html)
        #expect(html.contains("<svg"))
        #expect(html.contains("<title id="))
        #expect(html.contains("<desc id="))
        #expect(html.contains("<th scope=\"col\">metric</th>"))
        #expect(html.contains("prefers-color-scheme: dark"))
        #expect(html.contains("@media print"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\""), "no network fetches")
    }

    @Test("the timeline axis is linear, and a gap that dwarfs the rest is cut and labelled")
    func axis() {
        let day = 86_400, year = 365 * day
        let axis = TimelineChart.Axis(times: [0, 10 * day, 20 * day, 20 * day + 2 * year], from: 0, to: 1000)
        #expect(abs((axis.x(10 * day) - axis.x(0)) - (axis.x(20 * day) - axis.x(10 * day))) < 0.01, "equal times take equal lengths")
        #expect(axis.breaks.count == 1)
        #expect(TimelineChart.gapText(2 * year) == "2 years")
        #expect(axis.x(0) == 0)
        #expect(axis.x(20 * day + 2 * year) == 1000)
        let even = TimelineChart.Axis(times: [0, 58 * day, 120 * day], from: 0, to: 1000)
        #expect(even.breaks.isEmpty, "two gaps of two months are drawn to scale, not cut")
        #expect(abs(even.x(58 * day) - 58.0 / 120 * 1000) < 0.01)
    }

    @Test("the company chart's axis never writes the same tick twice")
    func delayTicks() {
        let texts = Charts.SqrtScale(maxValue: 4000, left: 0, right: 100).ticks.map(Charts.delayTick)
        #expect(Set(texts).count == texts.count, "\(texts)")
    }

    @Test("the headline says the delay in words from the data")
    func headline() throws {
        let doc = try loadFixture("psn.json")
        let delays = DelayEngine().delays(for: doc.incidents[0]).compactMap(\.delay)
        let h = IncidentHeadline(organization: "Sony", delays: delays)
        #expect(h.lead?.hasPrefix("Sony ") == true)
        let apology = try #require(delays.first { $0.metric == "time-to-apologize" })
        #expect(IncidentHeadline.sentence(subject: "Sony", apology) == "Sony apologized 11 days after the service went down.")
    }

    @Test("the narrow timeline stacks one label per event, a line apart, inside its width")
    func narrowTimeline() throws {
        let doc = try loadFixture("psn.json")
        let incident = doc.incidents[0]
        let chart = TimelineChart(incident: incident, partyNames: Dictionary(uniqueKeysWithValues: doc.parties.map { ($0.id, $0.name) }),
                                  delays: DelayEngine().delays(for: incident).compactMap(\.delay))
        let svg = chart.renderNarrow(zone: incident.zone).markup
        let labels = svg.matches(of: /<text x="([0-9.]+)" y="([0-9.]+)" class="ev-label( key)?" text-anchor="start">([^<]*)<\/text>/)
        #expect(labels.count == incident.events.count, "every event is labelled")
        let baselines = labels.map { Double($0.2)! }
        for (a, b) in zip(baselines, baselines.dropFirst()) { #expect(b - a >= 16, "labels at \(a) and \(b) overlap") }
        for l in labels {
            #expect(Double(l.1)! + textWidth(String(l.4), bold: l.3 != nil) <= TimelineChart.narrowWidth, "\(l.4) leaves the chart")
        }
    }

    @Test("labels are measured: wide letters take more room than narrow ones, and fitted text fits")
    func measuring() {
        #expect(textWidth("WWWW") > textWidth("iiii") * 2)
        let long = String(repeating: "Sony Computer Entertainment ", count: 4)
        #expect(textWidth(fitted(long, width: 120)) <= 120)
        #expect(fitted(long, width: 120).hasSuffix("…"))
    }

    @Test("reference files: each report kind and format renders the PSN fixture as committed",
          arguments: ["incident", "company", "all"], ReportFormat.allCases)
    func reference(_ kind: String, _ format: ReportFormat) throws {
        let doc = try loadFixture("psn.json")
        let i = input(doc)
        let r = ReportRenderer(input: i)
        let text = switch kind {
        case "incident": try r.incident(ReportBuilder.incident(doc.incidents[0], input: i), format: format)
        case "company": try r.company(ReportBuilder.company("sony", input: i), format: format)
        default: try r.portfolio(ReportBuilder.portfolio(input: i), format: format)
        }
        let name = "\(kind).\(format.rawValue)"
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/reference/\(name)")
        if ProcessInfo.processInfo.environment["LAPSE_UPDATE_REFERENCES"] == "1" {
            try text.write(to: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: path, encoding: .utf8)
        #expect(text == expected, "\(name) differs from its reference; if the change is intended, run LAPSE_UPDATE_REFERENCES=1 swift test and review the diff")
    }
}

@Suite("Accessibility")
struct AccessibilityTests {
    /// WCAG 2 contrast ratio of two `#rrggbb` colours.
    func contrast(_ a: String, _ b: String) -> Double {
        func luminance(_ hex: String) -> Double {
            let v = Int(hex.dropFirst(), radix: 16)!
            func linear(_ byte: Int) -> Double {
                let c = Double(byte) / 255
                return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
            }
            let r: Double = linear((v >> 16) & 255), g: Double = linear((v >> 8) & 255), b: Double = linear(v & 255)
            return 0.2126 * r + 0.7152 * g + 0.0722 * b
        }
        let (l1, l2) = (luminance(a), luminance(b))
        return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)
    }

    /// The CSS custom properties of one colour scheme in the page's style sheet.
    func palette(_ css: String) -> [String: String] {
        var vars: [String: String] = [:]
        for m in css.matches(of: /--([a-z]+): (#[0-9a-f]{6})/) { vars[String(m.1)] = String(m.2) }
        return vars
    }

    @Test("text, muted text and links meet WCAG AA contrast in the light and dark schemes")
    func contrastAA() throws {
        let page = HTMLPage.page
        let light = try #require(page.components(separatedBy: "@media (prefers-color-scheme: dark)").first)
        let dark = try #require(page.components(separatedBy: "@media (prefers-color-scheme: dark)").dropFirst().first?.components(separatedBy: "}").first)
        for (scheme, css) in [("light", light), ("dark", dark)] {
            let p = palette(css)
            for background in ["bg", "panel"] {
                for text in ["fg", "muted", "accent"] {
                    let ratio = contrast(try #require(p[text]), try #require(p[background]))
                    #expect(ratio >= 4.5, "\(scheme): --\(text) on --\(background) is \(ratio):1")
                }
            }
        }
    }
}
