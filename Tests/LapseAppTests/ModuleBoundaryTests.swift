import Foundation
import Testing

/// The module boundaries of Docs/architecture.md, checked in the sources: a front end never
/// imports GRDB, and the application layer sees the store only through the contract.
@Suite("Module boundaries")
struct ModuleBoundaryTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    /// The CLI files that still call the SQLite store itself: the imports and the export, which
    /// are still in the CLI and move to the application layer next. A file leaves this list when
    /// it moves; a file not on it may not import the store.
    static let cliFilesStillOnTheStore: Set<String> = [
        "Options.swift",  // opens the store: the CLI is where the SQLite store is chosen
        "Lapse.swift",  // maps the errors of the imports and the export, which still reach it unmapped
        "DocumentReader.swift", "Importers/ImportRun.swift", "Importers/TableImporter.swift",
        "Importers/HIBPImporter.swift", "Importers/VerisImporter.swift",
        "Commands/ImportCommand.swift", "Commands/ImportSourceCommands.swift", "Commands/ImportTableCommand.swift",
        "Commands/ExportCommand.swift", "Exporters/EventExports.swift", "Exporters/ICalendarExport.swift",
        "Exporters/LapseDocumentExport.swift", "ExitCodes.swift",
    ]

    /// The CLI files that still name a GRDB type: the error-to-exit-code list, still in the CLI.
    static let cliFilesStillOnGRDB: Set<String> = ["ExitCodes.swift"]

    /// The Swift files of a module by path relative to its folder, with the modules each imports.
    static func imports(of module: String) throws -> [String: Set<String>] {
        let root = sources.appendingPathComponent(module)
        let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        var result: [String: Set<String>] = [:]
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            result[file] = Set(text.split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ")
                guard let i = words.firstIndex(where: { $0 == "import" }), i + 1 < words.count,
                      words[..<i].allSatisfy({ $0.hasPrefix("@") }) else { return nil }
                return String(words[i + 1])
            })
        }
        return result
    }

    @Test("the domain, the reports and the application layer never import GRDB or a store", arguments: ["LapseCore", "LapseReports", "LapseApp"])
    func innerModules(_ module: String) throws {
        let files = try Self.imports(of: module)
        #expect(!files.isEmpty, "no sources found for \(module)")
        for (file, modules) in files {
            #expect(modules.isDisjoint(with: ["GRDB", "GRDBSQLite", "LapseStore", "CSQLiteTuning"]), "\(module)/\(file) imports \(modules.sorted())")
            #expect(!modules.contains("ArgumentParser"), "\(module)/\(file) imports the command-line parser")
        }
    }

    @Test("the application layer imports only the domain, the reports and Foundation")
    func applicationLayer() throws {
        for (file, modules) in try Self.imports(of: "LapseApp") {
            #expect(modules.isSubset(of: ["Foundation", "LapseCore", "LapseReports"]), "LapseApp/\(file) imports \(modules.sorted())")
        }
    }

    @Test("the CLI reaches the store only in the files still to move, and GRDB only in the exit codes")
    func commandLine() throws {
        let files = try Self.imports(of: "LapseCLI")
        let onStore = Set(files.filter { $0.value.contains("LapseStore") }.keys)
        let onGRDB = Set(files.filter { !$0.value.isDisjoint(with: ["GRDB", "GRDBSQLite"]) }.keys)
        #expect(onStore.subtracting(Self.cliFilesStillOnTheStore).isEmpty, "these CLI files import LapseStore; call the application layer: \(onStore.subtracting(Self.cliFilesStillOnTheStore).sorted())")
        #expect(onGRDB == Self.cliFilesStillOnGRDB, "CLI files importing GRDB: \(onGRDB.sorted())")
        // The commands that moved stay moved.
        for command in ["IncidentCommands", "PartyCommands", "LogCommand", "ShowCommand", "SearchCommand", "DelayCommands",
                        "DeadlineCommands", "ReportCommand"] {
            let modules = try #require(files["Commands/\(command).swift"], "Commands/\(command).swift is missing")
            #expect(!modules.contains("LapseStore"), "Commands/\(command).swift imports LapseStore")
        }
    }
}
