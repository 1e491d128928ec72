import ArgumentParser
import Foundation
import LapseApp
import LapseCore
import LapseReports

extension ChartTheme: ExpressibleByArgument {}

struct ChartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart",
        abstract: "Draw one chart on its own: SVG, PNG or an HTML snippet, with its data as CSV.",
        discussion: """
            Each chart stands alone: a title, the finding in words, a key, the chart, a caption \
            and a source line, its styles inside the SVG (nothing fetched). Below 600 px wide it \
            takes its phone layout.

            Examples:
              lapse chart timeline psn-2011 --output psn.svg --data psn.csv
              lapse chart company sony --theme dark --output sony.png
              lapse chart delays --jurisdiction US-WA --limit 15 --embed
            """,
        subcommands: [TimelineChartCommand.self, CompanyChartCommand.self, DelaysChartCommand.self]
    )
}

/// What every chart takes: where it goes, how wide, which theme, and its data file.
struct ChartOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("Write the chart to this file: .png for a PNG (needs rsvg-convert or chromium), else SVG (or HTML with --embed). Default: standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Also write the chart's data to this CSV file.", valueName: "file"))
    var data: String?

    @Option(help: ArgumentHelp("The chart's width in pixels, \(Int(ChartSettings.widths.lowerBound)) to \(Int(ChartSettings.widths.upperBound)); below \(Int(ChartSettings.narrowBelow)) the phone layout.", valueName: "px"))
    var width: Int = 860

    @Option(help: ArgumentHelp("Colours: light or dark.", valueName: "theme"))
    var theme: ChartTheme = .light

    @Flag(help: "Write an HTML snippet to paste into a page (the SVG inline, switching to the phone layout on narrow screens).")
    var embed = false

    @Flag(help: "Replace existing --output and --data files (or symbolic links, never their targets).")
    var force = false

    func validate() throws {
        guard ChartSettings.widths.contains(Double(width)) else {
            throw ValidationError("--width: expected \(Int(ChartSettings.widths.lowerBound)) to \(Int(ChartSettings.widths.upperBound)) pixels, got \(width)")
        }
        if force && output == nil && data == nil { throw ValidationError("--force goes with --output or --data") }
        if embed && isPNG { throw ValidationError("--embed writes HTML; it does not go with a .png --output") }
        if let output, let data, FileIdentity.same(output, data) { throw ValidationError("--output and --data name the same file") }
    }

    var isPNG: Bool { output.map { ($0 as NSString).pathExtension.lowercased() == "png" } ?? false }

    var settings: ChartSettings { ChartSettings(width: Double(width), theme: theme) }

    /// The files to write, checked before anything is read; for a PNG, the rasteriser, so that
    /// without one nothing is written.
    func outputs(_ store: StoreOptions, console: Console) throws -> (chart: OutputFile?, data: OutputFile?, rasteriser: Rasteriser?) {
        let database = store.path(environment: console.environment)
        let chart = try output.map { try OutputFile(path: $0, option: "--output", force: force, database: database) }
        let data = try data.map { try OutputFile(path: $0, option: "--data", force: force, database: database) }
        var rasteriser: Rasteriser?
        if isPNG {
            rasteriser = Rasteriser.find(environment: console.environment)
            if rasteriser == nil { throw CommandError.missingTool(what: "--output \(output!): no PNG rasteriser is installed", install: Rasteriser.install) }
        }
        return (chart, data, rasteriser)
    }

    /// Writes the chart (and its data) where the options say.
    func write(_ chart: StandaloneChart, store: StoreOptions, console: Console) throws {
        let (file, dataFile, rasteriser) = try outputs(store, console: console)
        let png = try rasteriser.map { try $0.png(svg: chart.svg, width: chart.width, height: chart.height) }
        let text = embed ? chart.embed : chart.svg
        if let file {
            if let png { try file.write(console: console) { try $0.write(bytes: png) } } else { try file.write(text, console: console) }
            console.note("Wrote \(file.path) (\(chart.width) × \(chart.height) px).")
        } else {
            try OutputSink.toStandardOutput(of: console) { try $0.write(text) }
        }
        if let dataFile {
            try dataFile.write(chart.csv, console: console)
            console.note("Wrote \(dataFile.path).")
        }
    }
}

struct TimelineChartCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "An incident's timeline: a linear time axis with labelled breaks, the headline delay above.",
        discussion: """
            The data (--data) has one record per event: its date, day offsets, type, party, \
            whether it is a milestone, and its summary.

            Examples:
              lapse chart timeline psn-2011 --output psn.svg
              lapse chart timeline psn-2011 --width 360 --output psn-phone.png
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ChartOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"))
    var incident: String

    func checkOutputs(console: Console) throws { _ = try options.outputs(store, console: console) }

    func run(store: any IncidentStore, console: Console) throws {
        try options.write(try ChartQuery(store: store).timeline(incident, settings: options.settings), store: self.store, console: console)
    }
}

struct CompanyChartCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "company",
        abstract: "A company's incidents side by side on one delay scale.",
        discussion: """
            NAME is resolved as `report company` resolves it: one party, or exit 65 listing \
            the candidates (--all-matches combines them). The data (--data) holds the delay \
            rows drawn, as `lapse delays --format csv` writes them.

            Examples:
              lapse chart company sony --output sony.svg --data sony.csv
              lapse chart company "equifax inc" --embed --output equifax.html
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ChartOptions

    @Argument(help: ArgumentHelp("The company.", valueName: "name"))
    var name: String

    @Flag(help: "Combine every company the name matches into one chart (titled with NAME).")
    var allMatches = false

    func checkOutputs(console: Console) throws { _ = try options.outputs(store, console: console) }

    func run(store: any IncidentStore, console: Console) throws {
        try options.write(try ChartQuery(store: store).company(name, allMatches: allMatches, settings: options.settings),
                          store: self.store, console: console)
    }
}

struct DelaysChartCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "delays",
        abstract: "The longest delays of one metric across the incidents a query selects, one bar each.",
        discussion: """
            Without --metric, the metric the portfolio report ranks by: the first (time in the \
            dark, to notify customers, to disclose, ...) measured for at least half as many \
            incidents as the best-measured one. The data (--data) holds the delay rows drawn.

            Examples:
              lapse chart delays --output slowest.svg
              lapse chart delays --jurisdiction US-WA --since 2020 \\
                  --metric time-to-notify-regulator --limit 15 --output wa.png
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ChartOptions
    @OptionGroup var query: IncidentQueryOptions

    @Option(help: ArgumentHelp("The metric to rank by: \(DelayMetric.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "metric"))
    var metric: String?

    @Option(help: ArgumentHelp("How many incidents to draw, longest first (1 to 100).", valueName: "n"))
    var limit: Int = 10

    func validate() throws {
        guard (1...100).contains(limit) else { throw ValidationError("--limit: expected 1 to 100 incidents, got \(limit)") }
        if let metric, DelayMetric(rawValue: metric) == nil {
            throw ValidationError("--metric: unknown metric \"\(metric)\"; expected one of \(DelayMetric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func checkOutputs(console: Console) throws { _ = try options.outputs(store, console: console) }

    func run(store: any IncidentStore, console: Console) throws {
        let chart = try ChartQuery(store: store).delays(IncidentSelection(try query.filter()), metric: metric, limit: limit, settings: options.settings)
        try options.write(chart, store: self.store, console: console)
    }
}
