import ArgumentParser
import Foundation
import LapseApp
import LapseCore
import LapseServer
import Logging

/// `lapse serve`: the HTTP API and the web app over the same store the other commands use.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the JSON API (/api/v1) and the web app over HTTP.",
        discussion: """
            Every request but /healthz needs a token (`lapse token create`), sent as \
            "Authorization: Bearer TOKEN" or kept in the web app's session cookie after logging in; \
            with --public-read, reads need none. Reads need the reader role, writes editor, token \
            management admin. Writes are recorded in the change log under the token's name.

            SIGTERM or SIGINT stops the server after the requests in flight finish. Serve on \
            127.0.0.1 behind a TLS proxy for a team (Docs/server.md); pass --secure-cookies there.

            Examples:
              T=$(lapse token create --name alice --role editor)
              lapse serve --db team.sqlite --port 8080
              curl -H "Authorization: Bearer $T" 127.0.0.1:8080/api/v1/parties/sony
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The TCP port to listen on.")
    var port = 8080

    @Flag(name: .customLong("public-read"), help: "Let anyone read without a token (writes still need one).")
    var publicRead = false

    @Flag(name: .customLong("secure-cookies"), help: "Mark the session cookie Secure (when users reach the server over HTTPS).")
    var secureCookies = false

    @Option(name: .customLong("max-body"), help: ArgumentHelp("The largest request body accepted, in MiB.", valueName: "mib"))
    var maxBody = 16

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port: expected a port from 1 to 65535, got \(port)") }
        guard (1...1024).contains(maxBody) else { throw ValidationError("--max-body: expected 1 to 1024 MiB, got \(maxBody)") }
        if host.isEmpty { throw ValidationError("--host: expected an address, got an empty string") }
    }

    func run() throws {
        let console = Console.current
        let opened = try store.open(console, access: .write)
        let tokens: any TokenStoring = opened
        let settings = ServerSettings(host: host, port: port, publicRead: publicRead, secureCookies: secureCookies,
                                      maxBodyBytes: maxBody * 1024 * 1024)
        let server = LapseServer(store: opened, tokens: tokens, settings: settings)
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "lapse.serve")
        let app = server.application(logger: logger)
        let failure = ServeResult()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await app.runService() } catch { failure.error = error }
            done.signal()
        }
        done.wait()
        if let error = failure.error { throw error }
    }
}

/// The error the server stopped with, handed from its task to the command's thread.
private final class ServeResult: @unchecked Sendable {
    var error: (any Error)?
}

/// `lapse token create|list|revoke`: API tokens for `lapse serve`.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke the API tokens of `lapse serve`.",
        discussion: """
            Roles: reader (reads), editor (reads and writes), admin (also manages tokens). A token \
            is printed once, when created; the database keeps only its SHA-256 hash.

            Examples:
              lapse token create --name alice --role editor
              lapse token list --format json
              lapse token revoke alice
            """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// Opens the store's token storage.
    static func tokens(_ store: StoreOptions, _ console: Console, writes: Bool) throws -> any TokenStoring {
        try store.open(console, access: writes ? .write : .read)
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create a token and print it (once).",
            discussion: """
                Examples:
                  lapse token create --name alice --role editor
                  TOKEN=$(lapse token create --name ci-bot --role reader)
                """)

        @OptionGroup var store: StoreOptions

        @Option(help: "The token's name: writes made with it are recorded under it in the change log.")
        var name: String

        @Option(help: ArgumentHelp("reader, editor or admin.", valueName: "role"))
        var role: TokenRole

        func run() throws {
            let console = Console.current
            let issued = try TokenManager(store: try TokenCommand.tokens(store, console, writes: true)).create(name: name, role: role)
            console.write(issued.secret + "\n")
            console.note("Created the \(issued.token.role.rawValue) token \"\(issued.token.name)\". It is shown only now: keep it somewhere safe.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the tokens (names, roles, creation times; never the secrets).",
            discussion: """
                Examples:
                  lapse token list
                  lapse token list --format json
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let console = Console.current
            let tokens = try TokenManager(store: try TokenCommand.tokens(store, console, writes: false)).list()
            let table = DataTable(columns: ["name", "role", "created_at"], rows: tokens.map { [$0.name, $0.role.rawValue, $0.createdAt] })
            try console.emit(table, json: tokens, format: output.format, style: output.style(console))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a token: requests with it get 401 from then on.",
            discussion: """
                Examples:
                  lapse token revoke alice
                """)

        @OptionGroup var store: StoreOptions

        @Argument(help: "The token's name.")
        var name: String

        func run() throws {
            let console = Console.current
            try TokenManager(store: try TokenCommand.tokens(store, console, writes: true)).revoke(name: name)
            console.note("Revoked the token \"\(name)\".")
        }
    }
}

extension TokenRole: ExpressibleByArgument {}
