import Foundation
import Testing
import LapseReports
@testable import LapseCLI

/// The output-format registry: formats are looked up by name, alias and extension, and the help
/// texts and the docs list what the registry holds.
@Suite("Output formats")
struct FormatRegistryTests {
    @Test("tsv: one record a line, tabs between fields; tabs, line breaks and backslashes in a cell are escaped, formulas guarded")
    func tsv() throws {
        let w = try Workspace()
        #expect(w.run(["party", "add", "acme", "--name", "Acme\tInc\\", "--kind", "organization"]).code == 0)
        #expect(w.run(["incident", "add", "a-1", "--title", "=line one\nline two", "--organization", "acme", "--kind", "leak", "--records", "5"]).code == 0)
        let r = w.run(["incidents", "--format", "tsv"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out == "id\torganization\ttitle\tkinds\tfirst_event\tevents\trecords_affected\n"
            + "a-1\tAcme\\tInc\\\\\t'=line one\\nline two\tleak\t\t0\t5\n")
    }

    @Test("md is markdown by another name")
    func markdownAlias() throws {
        let w = try populatedWorkspace()
        let md = w.run(["incidents", "--format", "md"])
        #expect(md.code == 0)
        #expect(md.out == w.run(["incidents", "--format", "markdown"]).out)
        #expect(md.out.hasPrefix("| id |"))
    }

    @Test("names, aliases and extensions find their format", arguments: [
        ("table", "table"), ("CSV", "csv"), ("tsv", "tsv"), ("json", "json"), ("markdown", "markdown"), ("md", "markdown"),
    ])
    func lookup(_ name: String, _ expected: String) {
        #expect(OutputFormat(named: name)?.name == expected)
    }

    @Test("an unknown format is refused with the list of formats (exit 64)")
    func unknown() throws {
        let w = try Workspace()
        let r = w.run(["incidents", "--format", "xml"])
        #expect(r.code == 64)
        for format in OutputFormat.registry { #expect(r.err.contains("- \(format.name)\n")) }
    }

    @Test("the extension of an output file implies its format", arguments: [
        ("out.csv", "csv"), ("out.TSV", "tsv"), ("out.json", "json"), ("out.md", "markdown"), ("out", nil), ("out.txt", nil),
    ])
    func byExtension(_ path: String, _ expected: String?) {
        #expect(OutputFormat(extensionOf: path)?.name == expected)
    }

    @Test("a data command's help lists every format of the registry")
    func helpListsRegistry() {
        let console = Console.capture()
        _ = LapseMain.run(["incidents", "--help"], console: console)
        let help = console.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("Output format: \(OutputFormat.helpList)"))
        for format in OutputFormat.registry { #expect(OutputFormat.helpList.contains(format.name)) }
    }

    @Test("Docs/commands.md describes every format of the registry")
    func documented() throws {
        let doc = try String(contentsOf: projectRoot.appendingPathComponent("Docs/commands.md"), encoding: .utf8)
        for format in OutputFormat.registry {
            #expect(doc.contains("| `\(format.name)`"), "Docs/commands.md has no row for --format \(format.name)")
        }
    }

    @Test("a report written to --output takes the format its extension says, unless --format says otherwise")
    func reportByExtension() throws {
        let w = try populatedWorkspace()
        let html = w.url.appendingPathComponent("a.html").path
        #expect(w.run(["report", "incident", "a-1", "--output", html]).code == 0)
        #expect(try String(contentsOfFile: html, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        let markdown = w.url.appendingPathComponent("b.html").path
        #expect(w.run(["report", "incident", "a-1", "--output", markdown, "--format", "markdown"]).code == 0)
        #expect(try String(contentsOfFile: markdown, encoding: .utf8).hasPrefix("# Acme outage"))
        let json = w.url.appendingPathComponent("c.json").path
        #expect(w.run(["report", "incident", "a-1", "--output", json]).code == 0)
        #expect(try String(contentsOfFile: json, encoding: .utf8).hasPrefix("{"))
        #expect(w.run(["report", "incident", "a-1"]).out.hasPrefix("# Acme outage"), "Markdown without --output")
    }
}

@Suite("Listings written as their rows come")
struct StreamedListingTests {
    struct Item: Encodable {
        var name: String
        var count: Int?
        var tags: [String]
        var note: String?
    }

    /// Rows a listing may hold: words to cut, numbers, empty and missing values, an empty array,
    /// text that is not ASCII, control and bidirectional characters, a formula, a pipe.
    static let items: [Item] = (0..<300).map { i in
        Item(name: ["inc-\(i)", "Société\nGénérale \(i)", "=cmd|' /C calc'!A0", "\u{1B}[31mred\u{202E}", "a | b \\ c"][i % 5],
             count: i % 7 == 0 ? nil : i * 1_001 - 40_000,
             tags: i % 3 == 0 ? [] : Array(["range", "negative", "approximate"].prefix(i % 4)),
             note: i % 4 == 0 ? nil : String(repeating: "a long note in words ", count: i % 6))
    }

    static func listing(_ items: [Item]) -> RowListing<Item> {
        RowListing(columns: ["name", "count", "tags", "note"], numeric: [1],
                   cells: { [$0.name, $0.count.map(String.init) ?? "", $0.tags.joined(separator: ", "), $0.note ?? ""] },
                   produce: { row in for item in items { try row(item) } })
    }

    @Test("every format writes a listing row by row exactly as it writes the table of all its rows, to a file and to a terminal",
          arguments: OutputFormat.allCases.map(\.name), [false, true])
    func sameText(_ name: String, _ terminal: Bool) throws {
        let format = try #require(OutputFormat(named: name))
        for items in [Self.items, [], Array(Self.items.prefix(1))] {
            let listing = Self.listing(items)
            let whole = Console.capture(environment: ["COLUMNS": "60"], terminal: terminal)
            try whole.emit(listing.table(items.map(listing.cells)), json: items, format: format, style: Style(choice: .never, console: whole))
            let streamed = Console.capture(environment: ["COLUMNS": "60"], terminal: terminal)
            try streamed.emit(listing, format: format, style: Style(choice: .never, console: streamed))
            #expect(streamed.output == whole.output, "\(name), \(items.count) rows")
            if !items.isEmpty { #expect(!streamed.output.isEmpty) }
        }
    }

    @Test("a table whose cells pass the memory kept goes through a temporary file and reads the same, cut to the terminal or whole")
    func spooledTable() throws {
        let listing = Self.listing(Self.items)
        for width in [nil, 50] {
            let renderer = TextTableRenderer(style: Style(enabled: false), maxWidth: width, spoolMemory: 256)
            var out = ""
            try renderer.render(listing) { out += $0 }
            #expect(out == renderer.render(listing.table(Self.items.map(listing.cells))))
            #expect(out.split(separator: "\n").count == Self.items.count + 1)
        }
    }

    @Test("JSON written an element at a time is the array jsonString writes")
    func jsonElements() throws {
        let elements = JSONArrayElements()
        let text = "[\n" + (try Self.items.map { try elements.text($0) }).joined(separator: ",\n") + "\n]\n"
        #expect(text == (try jsonString(Self.items)))
    }
}
