import Foundation
import Testing
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
