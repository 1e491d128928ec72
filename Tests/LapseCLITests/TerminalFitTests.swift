import ArgumentParser
import Foundation
import Testing
@testable import LapseCLI

@Suite("Terminal output that fits")
struct TerminalFitTests {
    /// Every command, its subcommands included.
    static func allCommands(_ command: any ParsableCommand.Type = Lapse.self) -> [any ParsableCommand.Type] {
        [command] + command.configuration.subcommands.flatMap { allCommands($0) }
    }

    @Test("--help examples are whole at 80 columns: every line of an example is indented, none broken mid-command")
    func helpExamples() throws {
        var checked = 0
        for command in Self.allCommands() {
            let help = Lapse.helpMessage(for: command, columns: 80)
            guard let examples = help.components(separatedBy: "Examples:\n").dropFirst().first else { continue }
            for line in examples.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.isEmpty { break }
                checked += 1
                #expect(line.hasPrefix("  "), "\(command._commandName): an example is broken at 80 columns: \"\(line)\"")
                #expect(line.count <= 80)
            }
        }
        #expect(checked > 60, "the examples of every command were read")
    }

    @Test("a table fits COLUMNS on a terminal by cutting its text columns with an ellipsis, never ids or numbers; --wide and pipes get it whole")
    func tableFits() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let whole = w.run(["incidents"]).out
        #expect(whole.contains("PlayStation Network and Qriocity breach and outage (2011)"), "not a terminal: no limit")
        #expect(whole.split(separator: "\n").contains { $0.count > 150 })
        let fitted = w.run(["incidents"], environment: ["COLUMNS": "140", "NO_COLOR": "1"], terminal: true).out
        let lines = fitted.split(separator: "\n")
        #expect(lines.count == whole.split(separator: "\n").count, "one line per row")
        for line in lines { #expect(line.count <= 140, "wider than the terminal: \(line.count) \(line)") }
        let psn = try #require(lines.first { $0.hasPrefix("psn-2011") })
        #expect(psn.contains("…"), "the title is cut with an ellipsis")
        #expect(psn.contains("Sony Computer Entertainment Inc."), "the other text column is left whole while the title can give room")
        #expect(psn.hasSuffix("77000000") && psn.contains("2011-04"), "numbers and dates are never cut")
        let wide = w.run(["incidents", "--wide"], environment: ["COLUMNS": "120"], terminal: true).out
        #expect(wide.contains("PlayStation Network and Qriocity breach and outage (2011)"))
    }

    @Test("the renderer cuts the flexible columns in order, each no narrower than its header or 12")
    func renderer() {
        let table = DataTable(columns: ["id", "name", "note"],
                              rows: [["a-1", "A rather long name of a company", "a note that goes on and on and on"]], numeric: [])
        let out = TextTableRenderer(maxWidth: 50).render(table)
        let row = out.split(separator: "\n")[1]
        #expect(row.count <= 50)
        #expect(row.hasPrefix("a-1  "))
        #expect(row.hasSuffix("…"), "the widest text column is cut: \(row)")
        let tight = TextTableRenderer(maxWidth: 10).render(table)
        #expect(tight.split(separator: "\n")[1].contains("A rather long name of a company"), "only the widest text column is cut by default")
    }

    @Test("show wraps summaries at word boundaries to the terminal's width and names event types")
    func showWraps() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let out = w.run(["show", "psn-2011", "--color", "never"], environment: ["COLUMNS": "72"], terminal: true).out
        // Summaries, quotes and attributions: the indented lines other than sources (a URL is never broken).
        let summaries = out.split(separator: "\n").filter { $0.hasPrefix(String(repeating: " ", count: 20)) && !$0.contains("source:") }
        #expect(!summaries.isEmpty)
        for line in summaries { #expect(line.count <= 72, "wider than the terminal: \(line)") }
        #expect(out.contains("Customer notification"), "event types by their names, as in the reports")
        #expect(!out.contains("customer_notification"))
        let json = w.run(["show", "psn-2011", "--format", "json"]).out
        #expect(json.contains("\"customer_notification\""), "JSON keeps the vocabulary")
        let csv = w.run(["delays", "psn-2011", "--format", "csv"]).out
        #expect(csv.contains(",detection,"), "CSV keeps the vocabulary")
        #expect(w.run(["delays", "psn-2011"]).out.contains("Detection 2011-04-19"))
    }
}
