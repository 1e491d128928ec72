import ArgumentParser
import Foundation
import LapseApp
import LapseCore
import LapseReports

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the change log, newest first, or prune it.",
        discussion: """
            `lapse history` alone lists every change (see `lapse history list --help`).

            Examples:
              lapse history psn-2011
              lapse history --author "J. Doe" --since 2026-01-01 --format csv
              lapse history prune --before 2025-01-01
            """,
        subcommands: [ListHistory.self, PruneHistory.self],
        defaultSubcommand: ListHistory.self
    )
}

struct ListHistory: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List changes, newest first, each record with what changed in it.",
        discussion: """
            Every write is a change: import, log, incident and party add, edit and delete, revert, \
            prune. Each names its author, its command and, per record touched, each field that \
            changed (events by id: events[psn-2011.e3].at).

            Examples:
              lapse history
              lapse history psn-2011
              lapse history sony --author "J. Doe" --since 2026-01-01
              lapse history --format json | jq '.[0].records[0].before'
              lapse history --format csv > changes.csv
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Only changes to this incident or party.", valueName: "record"))
    var record: String?

    @Option(help: ArgumentHelp("Only changes by this author.", valueName: "name"))
    var author: String?

    @Option(help: ArgumentHelp("Only changes made on or after this UTC date or time (2026-03-01, 2026-03-01T12:00).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("At most this many changes.", valueName: "n"))
    var limit: Int?

    @Option(name: .long, help: "Output format: table, csv, tsv or json.")
    var format: OutputFormat = .table

    @Option(name: .long, help: "Colour the table output: auto, always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if let since { _ = try changeTime(since, option: "--since") }
        if format == .markdown { throw ValidationError("--format: expected table, csv, tsv or json") }
        if let limit, limit < 1 { throw ValidationError("--limit: expected a positive number, got \(limit)") }
    }

    func run(store: any IncidentStore, console: Console) throws {
        let filter = ChangeFilter(recordID: record, author: author, since: try since.map { try changeTime($0, option: "--since") })
        let changes = try ChangeHistory(store: store).changes(selectedBy: filter, limit: limit)
        let style = Style(choice: color, console: console)
        switch format {
        case .table, .markdown:
            console.write(changes.isEmpty ? "No changes.\n" : changes.map { render($0, style: style) }.joined(separator: "\n"))
        case .json:
            try console.emit(DataTable(columns: [], rows: []), json: changes.map(ChangeResource.init), format: .json, style: style)
        default:  // csv, tsv: one row per changed field
            var rows: [[String]] = []
            for change in changes {
                if change.records.isEmpty { rows.append([String(change.id), change.at, change.author, change.command, "", "", "", "", ""]) }
                for record in change.records {
                    for line in RecordDiff.lines(record) {
                        rows.append([String(change.id), change.at, change.author, change.command, record.key.kind.rawValue, record.key.id,
                                     line.path, line.before ?? "", line.after ?? ""])
                    }
                }
            }
            let table = DataTable(columns: ["change", "at", "author", "command", "kind", "record", "field", "before", "after"], rows: rows, numeric: [0])
            try console.emit(table, json: [String](), format: format, style: style)
        }
    }

    func render(_ change: Change, style: Style) -> String {
        var out = style.bold("change \(change.id)") + "  " + change.at + "  by " + Escape.terminal(change.author) + "\n"
        out += "  " + style.dim(Escape.terminal(change.command)) + "\n"
        if change.records.isEmpty { out += "    (no records)\n" }
        for record in change.records {
            let what = record.before == nil ? "added" : record.after == nil ? "deleted" : "changed"
            out += "  " + style.cyan("\(record.key.kind.rawValue) \(record.key.id)") + " " + what + "\n"
            guard what == "changed" else { continue }
            let lines = RecordDiff.lines(record)
            for line in lines.prefix(40) {
                out += "    " + line.path + ": " + Escape.terminal(line.before ?? "(none)") + " → " + Escape.terminal(line.after ?? "(none)") + "\n"
            }
            if lines.count > 40 { out += "    ... and \(lines.count - 40) more fields\n" }
        }
        return out
    }
}

/// A change as `history --format json` writes it.
/// A UTC date or time for the change log (`2026-03-01`, `2026-03-01T12:00`, `2026-03-01T12:00:00Z`),
/// as the text the log's times compare with.
func changeTime(_ text: String, option: String) throws -> String {
    let pattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z?)?$/
    guard text.wholeMatch(of: pattern) != nil else {
        throw ValidationError("\(option): \"\(text)\" is not a date; expected a UTC date or time such as 2026-03-01 or 2026-03-01T12:00")
    }
    return text.hasSuffix("Z") ? String(text.dropLast()) : text
}

struct PruneHistory: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete the changes made before a date (the log is kept forever otherwise).",
        discussion: """
            The records stay as they are; only their history before the date goes, and those \
            changes can no longer be reverted. The pruning is itself recorded as a change.

            Examples:
              lapse history prune --before 2025-01-01
              lapse history prune --before 2025-01-01T00:00 --author "J. Doe"
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Option(help: ArgumentHelp("Delete the changes made before this UTC date or time.", valueName: "date"))
    var before: String

    func validate() throws { _ = try changeTime(before, option: "--before") }

    func run(store: any IncidentStore, console: Console) throws {
        let time = try changeTime(before, option: "--before")
        let count = try ChangeHistory(store: store).prune(before: time, as: authorship.context(commandText(["history", "prune", "--before", before])))
        console.write("Deleted \(counted(count, "change")) made before \(before).\n")
    }
}

struct RevertCommand: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "revert",
        abstract: "Restore every record a change touched to its state before the change.",
        discussion: """
            The revert is itself a change (and can be reverted). If a later change touched one of \
            the same records, the revert is refused and names that change: revert it first, or pass \
            --force to restore the earlier state anyway (the later change's work on those records is \
            then undone too).

            Examples:
              lapse history psn-2011
              lapse revert 42
              lapse revert 42 --force --author "J. Doe"
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("The change id (see `lapse history`).", valueName: "change"))
    var change: Int

    @Flag(help: "Revert even if a later change touched the same records.")
    var force = false

    func run(store: any IncidentStore, console: Console) throws {
        let revert = try ChangeReverter(store: store).revert(change, force: force, as: authorship.context(commandText(["revert", String(change)])))
        console.write("Reverted change \(change): \(counted(revert.records.count, "record")) restored (change \(revert.id)).\n")
    }
}
