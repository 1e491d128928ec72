import ArgumentParser
import Foundation
import LapseCore
import LapseReports
import LapseStore
import Testing
@testable import LapseApp
@testable import LapseCLI

/// The export streams a batch of incidents at a time, and writes the same bytes as the export
/// that built the whole document in memory (the files in Fixtures/export-reference).
@Suite("export streams, with the same bytes")
struct ExportStreamingTests {
    /// `sample-data` and 12 generated incidents, as the reference files were made.
    static func referenceWorkspace() throws -> Workspace {
        let w = try Workspace()
        let generated = try w.file("generated.jsonl", w.run(["generate", "--incidents", "12"], passDB: false).out)
        let r = w.run(["import", sampleData, generated])
        #expect(r.code == 0, "\(r.err)")
        return w
    }

    static func reference(_ name: String) throws -> String {
        try String(contentsOfFile: try fixture("export-reference") + "/" + name, encoding: .utf8)
    }

    /// Every DTSTAMP (the export time) as the reference files have it.
    static func fixedStamps(_ ics: String) -> String {
        ics.components(separatedBy: "\r\n").map { $0.hasPrefix("DTSTAMP:") ? "DTSTAMP:19700101T000000Z" : $0 }
            .joined(separator: "\r\n")
    }

    static let cases: [(file: String, arguments: [String])] = [
        ("all.json", []), ("all.jsonl", ["--jsonl"]), ("all.csv", ["--format", "csv"]),
        ("all-timesketch.csv", ["--format", "timesketch"]), ("all-timesketch.jsonl", ["--format", "timesketch", "--jsonl"]),
        ("all-deadlines.ics", ["--format", "ics", "--deadlines"]), ("sony.json", ["--company", "sony"]),
        ("two-incidents.csv", ["--incident", "inc-3", "--incident", "uber-2016", "--format", "csv"]),
    ]

    @Test("lapse export writes the reference bytes in every format, to standard output and to a file", arguments: cases)
    func sameBytes(file: String, arguments: [String]) throws {
        let w = try Self.referenceWorkspace()
        let expected = try Self.reference(file)
        let out = w.run(["export"] + arguments)
        #expect(out.code == 0, "\(out.err)")
        #expect(Self.fixedStamps(out.out) == expected)

        let path = w.url.appendingPathComponent(file).path
        let written = w.run(["export", "--output", path] + arguments)
        #expect(written.code == 0, "\(written.err)")
        #expect(Self.fixedStamps(try String(contentsOfFile: path, encoding: .utf8)) == expected)
    }

    @Test("batches of 1, 2 and 5 incidents write the same bytes as one batch", arguments: cases)
    func batchBoundaries(file: String, arguments: [String]) throws {
        let w = try Self.referenceWorkspace()
        let expected = try Self.reference(file)
        let command = try ExportCommand.parse(arguments)
        let filter = command.incidents.isEmpty && command.company == nil ? nil : IncidentFilter(ids: command.incidents, company: command.company)
        let database = try LapseDatabase.open(path: w.db)
        let selected = try database.incidentSummaries(matching: filter ?? IncidentFilter()).count
        #expect(selected > 1)
        for size in [1, 2, 5] {
            let console = Console.capture()
            let count = try database.withExportReader(matching: filter, batchSize: size) { reader in
                try command.export(from: database).write(reader, to: OutputSink(standardOutputOf: console))
            }
            #expect(Self.fixedStamps(console.output) == expected, "batch size \(size)")
            #expect(count == selected, "every incident once")
        }
    }

    @Test("ics without --deadlines is the reference calendar without its deadline events")
    func calendarWithoutDeadlines() throws {
        let w = try Self.referenceWorkspace()
        let withDeadlines = try Self.reference("all-deadlines.ics")
        let blocks = withDeadlines.components(separatedBy: "BEGIN:VEVENT\r\n")
        let kept = blocks.enumerated().filter { $0.offset == 0 || !$0.element.contains("CATEGORIES:deadline\r\n") }.map(\.element)
        var expected = kept.joined(separator: "BEGIN:VEVENT\r\n")
        if !expected.hasSuffix("END:VCALENDAR\r\n") { expected += "END:VCALENDAR\r\n" }
        #expect(kept.count < blocks.count, "the reference has deadline events")
        let out = w.run(["export", "--format", "ics"])
        #expect(out.code == 0, "\(out.err)")
        #expect(Self.fixedStamps(out.out) == expected)
    }

    @Test("an empty database exports the reference empty documents", arguments: [
        ("empty.json", [String]()), ("empty.jsonl", ["--jsonl"]), ("empty.csv", ["--format", "csv"]), ("empty.ics", ["--format", "ics"]),
    ])
    func emptyDatabase(file: String, arguments: [String]) throws {
        let w = try Workspace()
        let out = w.run(["export"] + arguments)
        #expect(out.code == 0, "\(out.err)")
        #expect(Self.fixedStamps(out.out) == (try Self.reference(file)))
    }

    @Test("the streamed lapse/1 document is what encoding the whole document gives")
    func documentEncoding() throws {
        let w = try Self.referenceWorkspace()
        let database = try LapseDatabase.open(path: w.db)
        let console = Console.capture()
        _ = try database.withExportReader(matching: nil, batchSize: 3) { reader in
            try LapseDocumentExport.write(reader, to: OutputSink(standardOutputOf: console))
        }
        #expect(console.output == (try jsonString(try database.document(matching: nil))))
    }
}
