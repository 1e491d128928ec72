import ArgumentParser
import Foundation
import LapseApp
import LapseCore

/// `lapse db migrate|copy`: a database's schema, and moving a whole database between stores.
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Bring a database's schema up to date, or copy a whole database into another.",
        discussion: """
            A database is a SQLite file or a postgresql:// URL (see Docs/team.md).

            Examples:
              lapse db migrate --db postgresql://lapse_owner@db.example.org/lapse
              lapse db copy --from lapse.sqlite --to postgresql://db.example.org/lapse
              lapse db copy --from postgresql://db.example.org/lapse --to copy.sqlite
            """,
        subcommands: [Migrate.self, Copy.self]
    )

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Apply the schema migrations this lapse knows, and say which ran.",
            discussion: """
                Every command migrates the database it opens. Run this first, as a role that owns \
                the schema, when the everyday roles may not alter it; a PostgreSQL database that \
                lacks a migration is then refused by the others, naming this command. A SQLite \
                file is migrated here as on any write.

                Examples:
                  lapse db migrate --db postgresql://lapse_owner@db.example.org/lapse
                  lapse db migrate --db lapse.sqlite
                """)

        @OptionGroup var store: StoreOptions

        func run() throws {
            let console = Console.current
            console.note(try StoreOptions.migrate(store.path(environment: console.environment), console))
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy every party, incident and change of one database into a new, empty one.",
            discussion: """
                SQLite to PostgreSQL, PostgreSQL to SQLite, or between two of a kind. The source \
                is read as one state; the copy is one import, all or nothing, and its change log \
                holds the source's changes and then the copy itself. `lapse export` of the copy \
                gives the same bytes as of the source. The destination must be empty: a new \
                SQLite file, or a PostgreSQL database with no Lapse data.

                Examples:
                  lapse db copy --from lapse.sqlite --to postgresql://db.example.org/lapse
                  lapse db copy --from postgresql://db.example.org/lapse --to copy.sqlite
                """)

        @Option(help: ArgumentHelp("The database to copy: a SQLite file or a postgresql:// URL.", valueName: "path-or-url"))
        var from: String

        @Option(help: ArgumentHelp("The new, empty database to copy into: a SQLite file (created) or a postgresql:// URL.", valueName: "path-or-url"))
        var to: String

        @OptionGroup var author: AuthorOptions

        func validate() throws {
            if from.isEmpty { throw ValidationError("--from: expected a SQLite file or a postgresql:// URL, got an empty string") }
            if to.isEmpty { throw ValidationError("--to: expected a SQLite file or a postgresql:// URL, got an empty string") }
            if from == to { throw ValidationError("--from and --to name the same database") }
        }

        func run() throws {
            let console = Console.current
            if !StoreOptions.isURL(from), !FileManager.default.fileExists(atPath: from) {
                throw CommandError.cannotRead(path: from, reason: "no such file")
            }
            let source = try StoreOptions.open(from, console, access: .read, migrating: false)
            let destination = try StoreOptions.open(to, console, access: .write)
            let meter = ProgressMeter(console: console, total: try source.incidentSummaries(selectedBy: IncidentFilter()).count)
            let copied = try StoreCopy.copy(from: source, to: destination, as: author.context("db copy"), progress: { meter.update($0) })
            meter.finish()
            let tally = copied.tally
            console.note("Copied \(plural(tally.parties, "party", "parties")), \(plural(tally.incidents, "incident")), \(plural(tally.events, "event")) and \(plural(copied.changes, "change")) of the change log into \(StoreOptions.displayName(to)); the copy is one more change there.")
        }
    }
}
