import Foundation
import LapseApp
import LapseReports
import Testing

/// Docs/json-contract.md and Docs/architecture.md agree with the code.
@Suite("Contract docs")
struct ContractDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func read(_ path: String) throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("every column of the shared rows is described in Docs/json-contract.md", arguments: [
        ("delay", DelayRow.columns), ("deadline", DeadlineRow.columns), ("timeline", TimelineRow.columns),
    ])
    func rowsDocumented(_ row: String, _ columns: [String]) throws {
        let doc = try read("Docs/json-contract.md")
        let section = try #require(doc.components(separatedBy: "### \(row.prefix(1).uppercased() + row.dropFirst()) row").dropFirst().first?
            .components(separatedBy: "\n### ").first, "no section for the \(row) row")
        for column in columns {
            #expect(section.contains("| `\(column)` |"), "the \(row) row's column \(column) is not described")
        }
    }

    @Test("every use case of the application layer is named in Docs/architecture.md")
    func useCasesDocumented() throws {
        let doc = try read("Docs/architecture.md")
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Sources/LapseApp").path)
        for type in ["IncidentQuery", "PartyRegistry", "IncidentRecorder", "EventLogger", "TimelineQuery", "SearchQuery", "DelayQuery",
                     "StatsQuery", "ConsistencyCheck", "DeadlineReview", "RuleCatalog", "ReportInputLoader"] {
            #expect(doc.contains("`\(type)`"), "Docs/architecture.md does not name \(type)")
            #expect(files.contains { $0.hasPrefix(type) || (try? read("Sources/LapseApp/\($0)"))?.contains("public struct \(type)") == true },
                    "no file of Sources/LapseApp defines \(type)")
        }
    }
}
