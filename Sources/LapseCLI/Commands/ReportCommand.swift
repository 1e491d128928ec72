import ArgumentParser
import Foundation
import LapseApp
import LapseCore
import LapseReports

extension ReportFormat: ExpressibleByArgument {}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an incident, company or portfolio report: Markdown, HTML, JSON or CSV.",
        subcommands: [IncidentReportCommand.self, CompanyReportCommand.self, PortfolioReportCommand.self]
    )
}

/// Options every report takes.
struct ReportOptions: ParsableArguments {
    @Option(help: "md (GitHub Markdown), html (one self-contained page), json or csv (the delay rows).")
    var format: ReportFormat = .md

    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func write(_ text: String, console: Console) throws {
        guard let output else { return console.writeDocument(text) }
        try writeFile(text, to: output)
        console.note("Wrote \(output).")
    }
}

struct IncidentReportCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Report on one incident: facts, visual timeline, delays, statements, consistency.",
        discussion: """
            Examples:
              lapse report incident psn-2011 > psn.md
              lapse report incident psn-2011 --format html --output psn.html
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ReportOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"))
    var incident: String

    func run(store: any IncidentStore, console: Console) throws {
        let (found, input) = try ReportInputLoader(store: store, now: Int(Date().timeIntervalSince1970)).incident(incident)
        let renderer = ReportRenderer(input: input)
        try options.write(try renderer.incident(ReportBuilder.incident(found, input: input), format: options.format), console: console)
    }
}

struct CompanyReportCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "company",
        abstract: "Report on a company and its subsidiaries: incidents, delays side by side, comparison with the database.",
        discussion: """
            NAME matches as `lapse incidents --company` does: the name, a word of it or an alias, ignoring case.

            Examples:
              lapse report company sony --format html --output sony.html
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ReportOptions

    @Argument(help: ArgumentHelp("The company.", valueName: "name"))
    var name: String

    func run(store: any IncidentStore, console: Console) throws {
        let input = try ReportInputLoader(store: store, now: Int(Date().timeIntervalSince1970)).company(name)
        let renderer = ReportRenderer(input: input)
        try options.write(try renderer.company(ReportBuilder.company(name, input: input), format: options.format), console: console)
    }
}

struct PortfolioReportCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Report on the whole database: distributions, the slowest disclosures, trend by year, counts.",
        discussion: """
            Examples:
              lapse report all --format html --output lapse.html
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ReportOptions

    func run(store: any IncidentStore, console: Console) throws {
        let input = try ReportInputLoader(store: store, now: Int(Date().timeIntervalSince1970)).portfolio()
        try options.write(try ReportRenderer(input: input).portfolio(ReportBuilder.portfolio(input: input), format: options.format), console: console)
    }
}
