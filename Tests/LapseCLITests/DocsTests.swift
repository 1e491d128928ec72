import Foundation
import Testing
@testable import LapseCLI
import LapseCore

@Suite("Docs agree with the code")
struct DocsTests {
    func read(_ path: String) throws -> String {
        try String(contentsOf: projectRoot.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("every command has a section in Docs/commands.md")
    func commandsDocumented() throws {
        let doc = try read("Docs/commands.md")
        for command in Lapse.configuration.subcommands {
            let name = command.configuration.commandName ?? ""
            let subs = command.configuration.subcommands.map { "\(name) \($0.configuration.commandName ?? "")" }
            for heading in subs.isEmpty ? [name] : subs {
                #expect(doc.contains("\n## \(heading)\n"), "Docs/commands.md lacks a section for `lapse \(heading)`")
            }
        }
    }

    @Test("every exit code is documented")
    func exitCodesDocumented() throws {
        let doc = try read("Docs/commands.md")
        for code in LapseExitCode.allCases {
            #expect(doc.contains("| \(code.rawValue) |"), "exit code \(code.rawValue) is not in Docs/commands.md")
        }
    }

    @Test("the README's quick start has exactly the two commands")
    func quickStart() throws {
        let readme = try read("README.md")
        let section = try #require(readme.components(separatedBy: "## Quick start").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        #expect(block.split(separator: "\n") == ["swift run lapse import sample-data --show psn-2011", "swift test"])
        #expect(try read(".ci/run").contains("\nswift test"))
    }
}

@Suite("Docs agree with the rules")
struct RuleDocsTests {
    @Test("every bundled rule is described in Docs/regulations.md, with its source")
    func rulesDocumented() throws {
        let doc = try String(contentsOf: projectRoot.appendingPathComponent("Docs/regulations.md"), encoding: .utf8)
        #expect(doc.contains("Not legal advice"))
        for rule in RuleBook.bundled.rules {
            #expect(doc.contains("| `\(rule.id)` |"), "Docs/regulations.md lacks rule \(rule.id)")
            #expect(doc.contains("](\(rule.source.url))"), "Docs/regulations.md lacks the source of \(rule.id)")
        }
    }
}
