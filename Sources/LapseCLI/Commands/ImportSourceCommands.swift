import ArgumentParser
import Foundation
import LapseApp
import LapseCore

/// `lapse import veris`: VERIS JSON, such as the VERIS Community Database (VCDB).
struct ImportVerisCommand: AppCommand {
    static let writes = true
    var isDryRun: Bool { options.dryRun }
    static let configuration = CommandConfiguration(
        commandName: "veris",
        abstract: "Import VERIS incidents (VCDB): JSON files, a folder of them, or JSON Lines.",
        discussion: """
            The victim becomes the organization, timeline.incident the intrusion (at the precision \
            given), plus.timeline.notification the disclosure, timeline.discovery an approximate \
            detection when it can be placed, the references the sources. Unknown and NA values are \
            left out. Incident ids are "veris-" and the lower-cased plus.master_id (else incident_id).

            Examples:
              lapse import veris VCDB/data/json/validated
              lapse import veris vcdb.jsonl --skip-invalid --rejects rejects.txt
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ImportOptions

    @Argument(help: ArgumentHelp("A VERIS .json file, a folder of them, or a .jsonl file.", valueName: "file-or-folder"))
    var path: String

    func checkOutputs(console: Console) throws {
        _ = try options.rejectsFile(store: store, console: console, inputs: [path] + VerisImporter.files(at: path))
    }

    func run(store database: any IncidentStore, console: Console) throws {
        let files = try VerisImporter.files(at: path)
        try options.perform(into: database, console: console, store: store, command: ["import", "veris", path], source: path, inputs: [path] + files, total: files.count) { runner, progress in
            let importer = VerisImporter()
            for (i, file) in files.enumerated() {
                try importer.read(file, into: runner)
                progress.update(i + 1)
            }
        }
    }
}

/// `lapse import hibp`: the breach list of the Have I Been Pwned API v3.
struct ImportHIBPCommand: AppCommand {
    static let writes = true
    var isDryRun: Bool { options.dryRun }
    static let configuration = CommandConfiguration(
        commandName: "hibp",
        abstract: "Import the Have I Been Pwned breach list (API v3 JSON).",
        discussion: """
            Each breach becomes an incident "hibp-NAME": BreachDate the intrusion (a day), AddedDate \
            an event from Have I Been Pwned when the breach entered its catalogue, PwnCount the \
            records, DataClasses and flags the tags, the description as plain text.

            Examples:
              curl -s https://haveibeenpwned.com/api/v3/breaches > breaches.json
              lapse import hibp breaches.json --dry-run
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ImportOptions

    @Argument(help: ArgumentHelp("The JSON array of breaches.", valueName: "file"))
    var file: String

    func checkOutputs(console: Console) throws {
        _ = try options.rejectsFile(store: store, console: console, inputs: [file])
    }

    func run(store database: any IncidentStore, console: Console) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CommandError.cannotRead(path: file, reason: (error as NSError).localizedDescription)
        }
        try options.perform(into: database, console: console, store: store, command: ["import", "hibp", file], source: file, inputs: [file], total: 1) { runner, _ in
            try HIBPImporter().read(data, file: file, into: runner)
        }
    }
}
