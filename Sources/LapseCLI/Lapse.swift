import ArgumentParser
import Foundation
import LapseCore

/// The `lapse` command: subcommands for logging incidents, importing and exporting, and querying.
public struct Lapse: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lapse",
        abstract: "Record incident-disclosure timelines and measure how long companies took to speak.",
        discussion: """
            Lapse keeps breaches and outages as dated events (intrusion, detection, outage, \
            acknowledgment, disclosure, apology, notifications...) in an embedded SQLite database, \
            with their statements and sources.

            Start with the bundled sample:
              lapse import sample-data --show psn-2011
            """,
        version: LapseVersion.current,
        subcommands: [
            ImportCommand.self, ExportCommand.self,
            IncidentCommand.self, IncidentsCommand.self,
            PartyCommand.self, PartiesCommand.self,
            LogCommand.self, EventCommand.self, ShowCommand.self, SearchCommand.self,
            HistoryCommand.self, RevertCommand.self,
            DelaysCommand.self, StatsCommand.self, CheckCommand.self,
            DeadlinesCommand.self, RulesCommand.self,
            ReportCommand.self, ChartCommand.self, GenerateCommand.self,
            ServeCommand.self, TokenCommand.self, DatabaseCommand.self,
        ]
    )

    public init() {}
}

/// Runs `lapse` with arguments on a console and returns the exit code: the program's
/// whole path, shared by the executable and the tests.
public enum LapseMain {
    public static func run(_ arguments: [String], console: Console = .standard) -> Int32 {
        Console.$current.withValue(console) {
            do {
                var command = try Lapse.parseAsRoot(arguments)
                try command.run()
                if let failure = console.outputFailure { throw failure }
                return LapseExitCode.success.rawValue
            } catch let error as DataProblems {
                for problem in error.problems.prefix(20) { console.note("lapse: error: \(problem)") }
                if error.problems.count > 20 { console.note("lapse: ... and \(error.problems.count - 20) more problems") }
                console.note("lapse: nothing was written.")
                return LapseExitCode.dataError.rawValue
            } catch let error where LapseExitCode.ofLapseError(error) != nil {
                console.note("lapse: error: \(error)")
                // A constraint means the write was refused whole.
                if case StoreFailure.constraint = error { console.note("lapse: nothing was written.") }
                return LapseExitCode.of(error).rawValue
            } catch {
                let code = Lapse.exitCode(for: error)
                let message = Lapse.fullMessage(for: error)
                if !message.isEmpty {
                    if code == .success { console.write(message + "\n") } else { console.note(message) }
                }
                return code.rawValue == 0 ? 0 : (code == .validationFailure ? LapseExitCode.usage.rawValue : code.rawValue)
            }
        }
    }
}
