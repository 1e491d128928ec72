import Foundation
import Testing
import LapseCore
@testable import LapseCLI

/// Data that carries terminal escapes, bidirectional overrides, prepend characters before tags
/// and a `javascript:` source, through every output the command line prints or writes.
@Suite("Hostile text in command output")
struct HostileTextTests {
    func hostileWorkspace() throws -> Workspace {
        let w = try Workspace()
        let r = w.run(["import", try fixture("hostile-text.json")])
        #expect(r.code == 0, "\(r.err)")
        return w
    }

    /// A raw control that a terminal would obey, or a bidirectional control, if the text has one.
    func rawControl(_ text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { s in
            (s.value < 0x20 && s != "\n" && s != "\r" && s != "\t") || (0x7F...0x9F).contains(s.value)
                || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
        }
    }

    @Test("printed to a terminal, no format carries ESC, OSC 8, BEL, C1 or bidi controls",
          arguments: [["incidents", "--format", "csv"], ["incidents", "--format", "markdown"], ["incidents", "--format", "json"],
                      ["incidents"], ["show", "evil-2"], ["delays", "--format", "csv", "--include-missing"],
                      ["export"], ["export", "--format", "csv"], ["export", "--format", "ics"], ["export", "--format", "timesketch", "--jsonl"],
                      ["report", "incident", "evil-2"], ["report", "incident", "evil-2", "--format", "csv"],
                      ["report", "incident", "evil-2", "--format", "html"], ["report", "all", "--format", "json"]])
    func terminal(_ arguments: [String]) throws {
        let w = try hostileWorkspace()
        // Without colour, any escape sequence on screen came from the data.
        let r = w.run(arguments, environment: ["NO_COLOR": "1"], terminal: true)
        #expect(r.code == 0, "\(r.err)")
        #expect(!r.out.isEmpty)
        if let c = rawControl(r.out) { Issue.record("\(arguments): U+\(String(c.value, radix: 16, uppercase: true)) reached the terminal") }
    }

    @Test("CSV to a terminal shows the controls as escapes; to a file or pipe it keeps the data")
    func csvKeepsData() throws {
        let w = try hostileWorkspace()
        let screen = w.run(["incidents", "--format", "csv"], terminal: true).out
        #expect(screen.contains("\\u{1B}[31mred\\u{1B}[0m \\u{202E}evil"))
        let piped = w.run(["incidents", "--format", "csv"]).out
        #expect(piped.contains("\u{1B}[31mred\u{1B}[0m \u{202E}evil"), "the data as it is")
        let export = w.run(["export", "--format", "csv"]).out
        #expect(export.contains("'=HYPERLINK"), "a formula is never left to run")
    }

    @Test("JSON escapes bidi and C1 controls and keeps the data")
    func json() throws {
        let w = try hostileWorkspace()
        let out = w.run(["export"]).out
        #expect(out.contains("\\u202e") && out.contains("\\u009b"))
        let document = try JSONDecoder().decode(LapseDocument.self, from: Data(out.utf8))
        #expect(document.incidents.first?.title.contains("\u{202E}evil") == true)
    }

    @Test("iCalendar: a javascript: source is never a URL property, only text in the description")
    func ics() throws {
        let w = try hostileWorkspace()
        let out = w.run(["export", "--format", "ics"]).out
        let unfolded = out.replacingOccurrences(of: "\r\n ", with: "")
        let urls = unfolded.components(separatedBy: "\r\n").filter { $0.hasPrefix("URL") }
        #expect(urls == ["URL:https://example.org/notice"])
        #expect(unfolded.contains("Source: javascript:document.title='PWNED'"))
    }

    @Test("Markdown table output escapes markup by code point")
    func markdownTable() throws {
        let w = try hostileWorkspace()
        let out = w.run(["incidents", "--format", "markdown"]).out
        #expect(out.contains("\u{0600}\\<img src=x onerror=document.title='PWNED'\\>\u{0600}"))
        #expect(Array(out.utf8).firstRange(of: Array("\u{0600}<".utf8)) == nil)
    }
}
