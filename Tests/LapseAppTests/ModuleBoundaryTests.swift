import Foundation
import Testing

/// The module boundaries of Docs/architecture.md, checked in the sources: a front end never
/// imports GRDB, and the application layer sees the store only through the contract.
@Suite("Module boundaries")
struct ModuleBoundaryTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    /// The one CLI file that names the SQLite store: where the front end chooses and opens it.
    /// Every other file sees the store only as the contract.
    static let cliFilesOnTheStore: Set<String> = ["Options.swift"]

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

    @Test("the domain, the reports and the application layer never import GRDB or a store", arguments: ["LapseCore", "LapseReports", "LapseApp", "LapseServer"])
    func innerModules(_ module: String) throws {
        let files = try Self.imports(of: module)
        #expect(!files.isEmpty, "no sources found for \(module)")
        for (file, modules) in files {
            #expect(modules.isDisjoint(with: ["GRDB", "GRDBSQLite", "LapseStore", "CSQLiteTuning", "LapsePostgres", "PostgresNIO"]), "\(module)/\(file) imports \(modules.sorted())")
            #expect(!modules.contains("ArgumentParser"), "\(module)/\(file) imports the command-line parser")
        }
    }

    @Test("the application layer imports only the domain, the reports, Foundation and (to read lapse/1 YAML) Yams")
    func applicationLayer() throws {
        for (file, modules) in try Self.imports(of: "LapseApp") {
            #expect(modules.isSubset(of: ["Foundation", "Glibc", "LapseCore", "LapseReports", "Yams"]), "LapseApp/\(file) imports \(modules.sorted())")
        }
    }

    @Test("only the store module imports GRDB")
    func grdbOnlyInTheStore() throws {
        let modules = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path).filter { !$0.hasPrefix(".") }
        #expect(modules.contains("LapseStore"))
        for module in modules where module != "LapseStore" {
            for (file, imported) in try Self.imports(of: module) {
                #expect(imported.isDisjoint(with: ["GRDB", "GRDBSQLite"]), "\(module)/\(file) imports GRDB")
            }
        }
    }

    @Test("the CLI reaches the store only where it opens it, and never GRDB")
    func commandLine() throws {
        let files = try Self.imports(of: "LapseCLI")
        let onStore = Set(files.filter { $0.value.contains("LapseStore") }.keys)
        let onPostgres = Set(files.filter { !$0.value.isDisjoint(with: ["LapsePostgres", "PostgresNIO"]) }.keys)
        #expect(onPostgres == Self.cliFilesOnTheStore, "CLI files importing the PostgreSQL store (only Options.swift may): \(onPostgres.sorted())")
        let onGRDB = Set(files.filter { !$0.value.isDisjoint(with: ["GRDB", "GRDBSQLite"]) }.keys)
        #expect(onStore == Self.cliFilesOnTheStore, "CLI files importing LapseStore (only Options.swift may; call the application layer): \(onStore.sorted())")
        #expect(onGRDB.isEmpty, "CLI files importing GRDB: \(onGRDB.sorted())")
        // The commands that moved stay moved.
        for command in ["IncidentCommands", "PartyCommands", "LogCommand", "ShowCommand", "SearchCommand", "DelayCommands",
                        "DeadlineCommands", "ReportCommand", "ImportCommand", "ImportSourceCommands", "ImportTableCommand",
                        "ExportCommand", "DatabaseCommands"] {
            let modules = try #require(files["Commands/\(command).swift"], "Commands/\(command).swift is missing")
            #expect(!modules.contains("LapseStore"), "Commands/\(command).swift imports LapseStore")
        }
    }
}
