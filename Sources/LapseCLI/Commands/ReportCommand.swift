import ArgumentParser
import Foundation
import LapseApp
import LapseCore
import LapseReports

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an incident, company or portfolio report: Markdown, HTML, JSON or CSV.",
        discussion: """
            The format is --format, else what the extension of --output says, else Markdown.

            Examples:
              lapse report incident psn-2011 --output psn.html
              lapse report company sony --format md
              lapse report all --output lapse.html
            """,
        subcommands: [IncidentReportCommand.self, CompanyReportCommand.self, PortfolioReportCommand.self]
    )
}

/// Options every report takes.
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("md or markdown (GitHub Markdown), html (one self-contained page), json or csv (the delay rows). Default: what the extension of --output says (.md, .html, .json, .csv), else md.", valueName: "format"))
    var format: ReportFormat?

    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output (never the database; an existing file needs --force).", valueName: "file"))
    var output: String?

    @Flag(help: "With --output: replace an existing file, or a symbolic link (the link itself, never its target).")
    var force = false

    func validate() throws {
        if force && output == nil { throw ValidationError("--force goes with --output") }
    }

    /// `--format`, else the format the extension of `--output` implies, else Markdown.
    var chosenFormat: ReportFormat {
        format ?? output.flatMap(ReportFormat.init(extensionOf:)) ?? .md
    }

    /// The --output file, checked before the report is made.
    func outputFile(_ store: StoreOptions, console: Console) throws -> OutputFile? {
        try output.map { try OutputFile(path: $0, option: "--output", force: force, database: store.path(environment: console.environment)) }
    }

    func write(_ text: String, to file: OutputFile?, console: Console) throws {
        guard let file else { return try OutputSink.toStandardOutput(of: console) { try $0.write(text) } }
        try file.write(text, console: console)
        console.note("Wrote \(file.path).")
    }
}

struct IncidentReportCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Report on one incident: facts, visual timeline, delays, statements, consistency.",
        discussion: """
            With --svg, a Markdown report written to a file gets its visual timeline as an \
            SVG beside it (psn.md: psn.timeline.svg), shown in the report by a relative link.

            Examples:
              lapse report incident psn-2011 > psn.md
              lapse report incident psn-2011 --format html --output psn.html
              lapse report incident psn-2011 --output psn.md --svg
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ReportOptions

    @Flag(help: "With a Markdown --output: also write the timeline as NAME.timeline.svg beside it, and show it in the report.")
    var svg = false

    func validate() throws {
        guard svg else { return }
        guard options.output != nil else { throw ValidationError("--svg writes the timeline beside the report: it needs --output") }
        guard options.chosenFormat == .md else { throw ValidationError("--svg goes with a Markdown report (the HTML report draws the timeline itself)") }
    }

    /// The timeline's file beside the report: psn.md → psn.timeline.svg.
    var timelinePath: String? {
        guard svg, let output = options.output else { return nil }
        return (output as NSString).deletingPathExtension + ".timeline.svg"
    }

    /// The report file and the timeline's, checked before the report is made.
    func outputs(console: Console) throws -> (report: OutputFile?, timeline: OutputFile?) {
        (try options.outputFile(store, console: console),
         try timelinePath.map { try OutputFile(path: $0, option: "--svg", force: options.force, database: store.path(environment: console.environment)) })
    }

    func checkOutputs(console: Console) throws { _ = try outputs(console: console) }

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"))
    var incident: String

    func run(store: any IncidentStore, console: Console) throws {
        let (output, timelineFile) = try outputs(console: console)
        let (found, input) = try ReportInputLoader(store: store, now: Int(Date().timeIntervalSince1970)).incident(incident)
        let renderer = ReportRenderer(input: input)
        let image = timelinePath.map { ($0 as NSString).lastPathComponent }
        let report = try renderer.incident(ReportBuilder.incident(found, input: input), format: options.chosenFormat, timelineImage: image)
        if let timelineFile {
            let chart = StandaloneCharts.timeline(found, parties: input.parties, settings: ChartSettings())
            try timelineFile.write(chart.svg, console: console)
            console.note("Wrote \(timelineFile.path).")
        }
        try options.write(report, to: output, console: console)
    }
}

struct CompanyReportCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "company",
        abstract: "Report on a company and its subsidiaries: incidents, delays side by side, comparison with the database.",
        discussion: """
            NAME is resolved to one party: its id, its name or an alias (ignoring case, \
            punctuation and legal forms such as Inc), or the only party whose name holds the \
            words. When several match equally, the command exits 65 listing them; \
            --all-matches reports on all of them together. The report is titled with the \
            party's name.

            Examples:
              lapse report company sony --format html --output sony.html
              lapse report company "equifax inc" --format md
              lapse report company health --all-matches
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ReportOptions

    func checkOutputs(console: Console) throws { _ = try options.outputFile(store, console: console) }

    @Argument(help: ArgumentHelp("The company.", valueName: "name"))
    var name: String

    @Flag(help: "Combine every company the name matches into one report (titled with NAME).")
    var allMatches = false

    func run(store: any IncidentStore, console: Console) throws {
        let output = try options.outputFile(self.store, console: console)
        let (title, input) = try ReportInputLoader(store: store, now: Int(Date().timeIntervalSince1970)).company(name, allMatches: allMatches)
        let renderer = ReportRenderer(input: input)
        try options.write(try renderer.company(ReportBuilder.company(title, input: input), format: options.chosenFormat), to: output, console: console)
    }
}

struct PortfolioReportCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Report on the whole database: distributions, the slowest disclosures, trend by year, counts.",
        discussion: """
            Examples:
              lapse report all --format html --output lapse.html
              lapse report all --jurisdiction US-WA --since 2020 --format md
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ReportOptions
    @OptionGroup var query: IncidentQueryOptions

    func checkOutputs(console: Console) throws { _ = try options.outputFile(store, console: console) }

    func run(store: any IncidentStore, console: Console) throws {
        let output = try options.outputFile(self.store, console: console)
        let (input, report) = try ReportInputLoader(store: store, now: Int(Date().timeIntervalSince1970)).portfolioReport(try query.filter())
        try options.write(try ReportRenderer(input: input).portfolio(report, format: options.chosenFormat), to: output, console: console)
    }
}
