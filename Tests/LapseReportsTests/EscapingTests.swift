import Foundation
import PropertyBased
import Testing
@testable import LapseCore
@testable import LapseReports

/// Pieces hostile text is made of: markup characters, combining marks, the "prepend" characters
/// that join the next character into one grapheme cluster (U+0600 + `<` is not `<`), ZWJ,
/// bidirectional controls, terminal controls and letters.
private let pieces: [String] = [
    "<", ">", "&", "\"", "'", "`", "[", "]", "(", ")", "!", "*", "_", "#", "|", "\\", "-", "+", "=", ".", "~", "$", "@",
    "\u{0301}", "\u{0300}", "\u{20DD}",
    "\u{0600}", "\u{0601}", "\u{0602}", "\u{0603}", "\u{0604}", "\u{0605}", "\u{06DD}", "\u{070F}", "\u{0890}", "\u{0891}", "\u{08E2}", "\u{110BD}",
    "\u{200D}", "\u{202E}", "\u{2066}", "\u{2069}", "\u{1B}", "\u{07}", "\u{9B}", "\n",
    "a", "b", "img", "script", "1", " ", "javascript:", "](javascript:alert(1))", "<img src=x onerror=alert(1)>",
]

/// A hostile string: one to twenty pieces.
private let hostile = Gen<String?>.element(of: pieces).map { $0! }.array(of: 1...20).map { $0.joined() }

/// A lapse/1 document whose every free-text field is one of `texts` (cycled), and a source
/// URL that is not http(s).
func hostileDocument(_ texts: [String]) throws -> LapseDocument {
    var next = 0
    func t() -> String {
        defer { next += 1 }
        let s = texts[next % texts.count]
        return String(decoding: try! JSONEncoder().encode(s), as: UTF8.self)
    }
    let json = """
        {"format": "lapse/1",
         "parties": [
           {"id": "org", "name": \(t()), "kind": "organization", "sector": \(t())},
           {"id": "person", "name": \(t()), "kind": "person", "affiliation": "org"}],
         "incidents": [{
           "id": "inc-1", "title": \(t()), "organization": "org", "kinds": ["breach", "outage"], "summary": \(t()),
           "timezone": "UTC", "jurisdictions": [\(t())], "tags": [\(t())],
           "events": [
             {"type": "intrusion", "at": "2020-01", "summary": \(t())},
             {"type": "detection", "at": "2020-02-03T10:00:00Z", "party": "org", "summary": \(t())},
             {"type": "outage_start", "at": "2020-02-03T11:00:00Z", "party": "org"},
             {"type": "outage_end", "at": "2020-02-03T15:13:00Z", "party": "org"},
             {"type": "disclosure", "at": "2020-03-01", "party": "person", "summary": \(t()),
              "statement": {"quote": \(t()), "channel": \(t()), "audience": "public"},
              "sources": [{"url": "javascript:alert(1)", "title": \(t()), "publisher": \(t())},
                          {"url": "https://example.org/x", "title": \(t())}]},
             {"type": "apology", "at": "2020-03-02", "party": "person", "statement": {"quote": \(t())},
              "sources": [{"url": \(t()), "title": \(t())}]}]}]}
        """
    return try JSONDecoder().decode(LapseDocument.self, from: Data(json.utf8))
}

/// How many of each markup-significant scalar a rendering has. In HTML and SVG every one must
/// come from the template, so a hostile rendering has exactly as many as a plain one.
func markupCounts(_ text: String) -> [Character: Int] {
    var counts: [Character: Int] = ["<": 0, ">": 0, "\"": 0]
    for scalar in text.unicodeScalars where counts[Character(scalar)] != nil { counts[Character(scalar), default: 0] += 1 }
    return counts
}

/// Markdown characters not escaped by a backslash (an even number of backslashes before them).
func unescapedMarkdown(_ text: String) -> [Character: Int] {
    var counts: [Character: Int] = [:]
    var backslashes = 0
    for scalar in text.unicodeScalars {
        if scalar == "\\" { backslashes += 1; continue }
        if backslashes % 2 == 0, "<>[]()`*_|!~&#".unicodeScalars.contains(scalar) { counts[Character(scalar), default: 0] += 1 }
        backslashes = 0
    }
    return counts
}

/// Whether `needle` occurs in `text`, byte for byte, whatever the grapheme clusters.
func containsBytes(_ text: String, _ needle: String) -> Bool {
    Array(text.utf8).firstRange(of: Array(needle.utf8)) != nil
}

/// The cells of an RFC 4180 CSV text.
func csvCells(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false, inQuotes = false
    var scalars = Array(text.unicodeScalars)[...]
    while let s = scalars.popFirst() {
        if inQuotes {
            if s == "\"" {
                if scalars.first == "\"" { scalars.removeFirst(); cell.unicodeScalars.append("\"") } else { inQuotes = false }
            } else { cell.unicodeScalars.append(s) }
        } else if s == "\"" && cell.isEmpty && !quoted {
            inQuotes = true; quoted = true
        } else if s == "," {
            row.append(cell); cell = ""; quoted = false
        } else if s == "\r" && scalars.first == "\n" {
            scalars.removeFirst(); row.append(cell); rows.append(row); row = []; cell = ""; quoted = false
        } else { cell.unicodeScalars.append(s) }
    }
    if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
    return rows
}

@Suite("Escaping")
struct EscapingTests {
    @Test("random markup, combining marks and prepend characters never become a tag, a link or a formula in any report")
    func everyRenderer() async throws {
        let plain = try allRenderings(hostileDocument(["x"]))
        await propertyCheck(count: 150, input: hostile.array(of: 3...3)) { texts in
            let rendered = try allRenderings(hostileDocument(texts))
            for ((kind, format, text), (_, _, reference)) in zip(rendered, plain) {
                switch format {
                case .html:
                    #expect(markupCounts(text) == markupCounts(reference), "\(kind).html: data added markup; \(texts)")
                    for href in text.matches(of: /href="([^"]*)"/) {
                        #expect(href.1.hasPrefix("https://") || href.1.hasPrefix("http://"), "\(kind).html: \(href.1)")
                    }
                case .md:
                    #expect(unescapedMarkdown(text) == unescapedMarkdown(reference), "\(kind).md: data added markup; \(texts)")
                    #expect(!text.unicodeScalars.contains { Escape.isControl($0) && $0 != "\n" }, "\(kind).md: a control character")
                case .csv:
                    for row in csvCells(text) {
                        for cell in row where cell.unicodeScalars.first.map({ "=+@\t\r".unicodeScalars.contains($0) }) == true {
                            Issue.record("\(kind).csv: a formula cell \(cell)")
                        }
                    }
                case .json:
                    #expect(!text.unicodeScalars.contains { Escape.isInvisibleFormatting($0) || ($0.value >= 0x7F && Escape.isControl($0)) },
                            "\(kind).json: a raw control")
                }
            }
        }
    }

    @Test("the charts' SVG carries no markup from the data")
    func svg() async {
        await propertyCheck(count: 200, input: hostile) { text in
            let bars = Charts.bars([(text, 3), ("x", 1)], title: text, unit: text).markup
            let plain = Charts.bars([("x", 3), ("x", 1)], title: "x", unit: "x").markup
            #expect(markupCounts(bars) == markupCounts(plain), "\(text)")
        }
    }

    @Test("the reproducer: U+0600 around an img tag in the title is shown as text in every HTML report")
    func prependReproducer() throws {
        let title = "\u{0600}<img src=x onerror=alert(1)>\u{0600}"
        var doc = try loadFixture("psn.json")
        doc.incidents[0].title = title
        doc.incidents[0].summary = title
        let i = input(doc)
        let r = ReportRenderer(input: i)
        let pages = [try r.incident(ReportBuilder.incident(doc.incidents[0], input: i), format: .html),
                     try r.company(ReportBuilder.company("sony", input: i), format: .html),
                     try r.portfolio(ReportBuilder.portfolio(input: i), format: .html)]
        for (name, html) in zip(["incident", "company", "portfolio"], pages) {
            // Compared as bytes: as Characters, U+0600 and `<` are one cluster and "<img" is never found.
            #expect(!containsBytes(html, "<img"), "\(name)")
            #expect(!containsBytes(html, "\u{0600}<img"), "\(name): the prepend character is followed by a raw tag")
        }
        #expect(pages[0].contains("\u{0600}&lt;img src=x onerror=alert(1)&gt;\u{0600}"))
        let md = try r.incident(ReportBuilder.incident(doc.incidents[0], input: i), format: .md)
        #expect(md.contains("# \u{0600}\\<img src=x onerror=alert\\(1\\)\\>\u{0600}"))
    }

    @Test("templates insert raw only chart and page markup, never a plain string")
    func rawInsertions() {
        let raw = Set(HTMLPage.allTemplates.flatMap { $0.matches(of: /\{\{\{\s*([^}\s]+)\s*\}\}\}/).map { String($0.1) } })
        #expect(raw == ["body", "wide", "narrow"])
        #expect(!HTMLPage.allTemplates.contains { $0.contains("{{&") }, "the {{& name}} form inserts raw too")
        let views: [Any] = [HTMLPage.Page(title: "", body: HTMLMarkup(SVGNode("g")), version: ""),
                            ChartView(wide: SVGNode("g"), narrow: SVGNode("g"))]
        for view in views {
            for child in Mirror(reflecting: view).children where raw.contains(child.label ?? "") {
                #expect(child.value is HTMLMarkup, "\(child.label!) is inserted raw but is not HTMLMarkup")
            }
        }
    }

    @Test("escapers work on scalars", arguments: [
        ("\u{0600}<b>", "\u{0600}&lt;b&gt;"), ("a\u{0301}<", "a\u{0301}&lt;"), ("x\u{202E}y", "x&#x202E;y"), ("\u{1B}[31m", "[31m"),
    ])
    func html(_ input: String, _ expected: String) {
        #expect(Escape.html(input) == expected)
    }

    @Test("Markdown escaping", arguments: [
        ("\u{0600}<img>", "\u{0600}\\<img\\>"), ("[a](javascript:x)", "\\[a\\]\\(javascript:x\\)"), ("- item", "\\- item"),
        ("2011-04-20", "2011-04-20"), ("1. first", "1\\. first"), ("a\nb", "a b"), ("\u{1B}]8;;x", "\\\\u{1B}\\]8;;x"),
        ("&lt;", "\\&lt;"), ("`code`", "\\`code\\`"), ("= x", "\\= x"),
    ])
    func markdown(_ input: String, _ expected: String) {
        #expect(Escape.markdown(input) == expected)
    }

    @Test("terminal escaping shows ESC, OSC 8, BEL, C1 and bidi controls", arguments: [
        ("\u{1B}[2J", "\\u{1B}[2J"), ("\u{1B}]8;;http://x\u{07}link", "\\u{1B}]8;;http://x\\u{7}link"), ("\u{9B}31m", "\\u{9B}31m"),
        ("abc\u{202E}def", "abc\\u{202E}def"), ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"), ("plain", "plain"),
    ])
    func terminal(_ input: String, _ expected: String) {
        #expect(Escape.terminal(input) == expected)
        #expect(Escape.csv(input, terminal: true).unicodeScalars.allSatisfy { !Escape.isControl($0) && !Escape.isInvisibleFormatting($0) })
    }

    @Test("a document for a terminal keeps its line breaks and nothing else")
    func terminalDocument() {
        #expect(Escape.terminalDocument("a,b\r\n\u{1B}[31mred\u{07}\r\nx\ry\n") == "a,b\r\n\\u{1B}[31mred\\u{7}\r\nx\\u{D}y\n")
    }

    @Test("JSON keeps the data and shows no raw C1 or bidi control")
    func json() throws {
        let text = "a\u{202E}b\u{85}c\u{2028}"
        let encoded = Escape.json(String(decoding: try JSONEncoder().encode([text]), as: UTF8.self))
        #expect(encoded == "[\"a\\u202eb\\u0085c\\u2028\"]")
        #expect(try JSONDecoder().decode([String].self, from: Data(encoded.utf8)) == [text])
    }

    @Test("CSV keeps the data for files and guards formulas", arguments: [
        ("=1+2", "'=1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("a,b", "\"a,b\""), ("\u{1B}x", "\u{1B}x"),
    ])
    func csv(_ input: String, _ expected: String) {
        #expect(Escape.csv(input) == expected)
    }

    @Test("a URL for a link or a URI property is percent-encoded outside RFC 3986's characters")
    func uri() {
        #expect(Escape.uri("https://e.org/a b\"<>()|\\é") == "https://e.org/a%20b%22%3C%3E%28%29%7C%5C%C3%A9")
    }
}
