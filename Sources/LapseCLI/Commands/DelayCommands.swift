import ArgumentParser
import Foundation
import LapseApp
import LapseCore
import LapseReports

/// Which incidents a measuring command looks at: ids, and the query model.
struct IncidentSelectionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Incident ids (all incidents when none are given).", valueName: "incident"))
    var incidents: [String] = []

    @OptionGroup var query: IncidentQueryOptions

    func selection() throws -> IncidentSelection {
        IncidentSelection(try query.filter(ids: incidents))
    }
}

/// Which delays to measure: named metrics, or a pair of event types.
struct MetricSelection: ParsableArguments {
    @Option(name: .customLong("metric"), help: ArgumentHelp("A named metric (repeatable): \(DelayMetric.allowedValues). Default: all.", valueName: "metric"))
    var metrics: [DelayMetric] = []

    @Option(help: ArgumentHelp("Measure from the earliest event of this type (with --to).", valueName: "type"))
    var from: EventType?

    @Option(help: ArgumentHelp("Measure to the earliest event of this type (with --from).", valueName: "type"))
    var to: EventType?

    func validate() throws {
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
    }

    var definitions: [DelayDefinition] {
        var result = metrics.map(\.definition)
        if let from, let to { result.append(.pair(from: from, to: to)) }
        return result.isEmpty ? DelayMetric.allCases.map(\.definition) : result
    }
}

extension DelayMetric: ExpressibleByArgument {}

extension StatsGrouping: ExpressibleByArgument {}

extension DelayUnit: ExpressibleByArgument {}

struct DelaysCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "delays",
        abstract: "Measure disclosure delays: one row per incident and metric.",
        discussion: """
            Delays are in calendar days, as ranges when dates are partial (2016-10 → 2017-11-21 is \
            386–416 d); hours are exact when both ends carry a time of day. Flags: negative, \
            approximate (~), uncertain (?), range. Incidents lacking an end are left out unless \
            --include-missing. See Docs/delays.md for each metric.

            Examples:
              lapse delays psn-2011
              lapse delays --metric time-to-disclose --format csv > disclose.csv
              lapse delays --company sony --from outage_start --to apology
              lapse delays --from detection --to regulator_notification \\
                  --sort days --desc --limit 10

            Sort keys: days (exact hours where known, else the midpoint of the days), incident, \
            company, metric, from, to.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var selection: IncidentSelectionOptions
    @OptionGroup var metrics: MetricSelection
    @OptionGroup var listing: ListingOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Also list incidents that lack an end of a metric, with empty values.")
    var includeMissing = false

    func validate() throws { try listing.check(DelayQuery.sortKeys) }

    func run(store: any IncidentStore, console: Console) throws {
        let query = DelayQuery(store: store)
        if output.format == .csv && listing.order.isNatural { return try writeCSV(query, console: console) }
        let selection = try selection.selection()
        var incidents = 0
        var count = 0
        let produce: ((DelayRow) throws -> Void) throws -> Void = { [metrics, includeMissing, listing] row in
            incidents = try query.list(selection, definitions: metrics.definitions, includeMissing: includeMissing, order: listing.order) { r in
                count += 1
                try row(r)
            }
        }
        let rows = output.format == .table
            ? RowListing(columns: ["incident", "metric", "from", "to", "delay", "flags"], numeric: [4], cells: { r in
                [r.incident, r.metric, [r.fromType.map(EventType.label), r.from].compactMap { $0 }.joined(separator: " "),
                 [r.toType.map(EventType.label), r.to].compactMap { $0 }.joined(separator: " "), r.span, r.flags.joined(separator: ", ")]
            }, produce: produce)
            : RowListing(columns: DelayRow.columns, numeric: DelayRow.numericColumns, cells: \.cells, produce: produce)
        try console.emit(rows, format: output.format, style: output.style(console))
        if count == 0 && output.format == .table {
            console.note(incidents == 0 ? "No incidents match." : "No delay could be measured: none of the \(plural(incidents, "incident")) has both ends (--include-missing lists them).")
        }
    }

    /// CSV straight from the engine to the output, row by row: a million delays never sit in memory.
    func writeCSV(_ query: DelayQuery, console: Console) throws {
        let terminal = console.outputIsTerminal
        let numeric = DelayRow.columns.indices.map(DelayRow.numericColumns.contains)
        var out = DelayRow.columns.joined(separator: ",") + "\r\n"
        out.reserveCapacity(1 << 17)
        // An incident's rows come together: its id and organization are escaped once.
        var escaped: (incident: String, id: String, organization: String)?
        try query.measure(try selection.selection(), definitions: metrics.definitions, includeMissing: includeMissing) { row in
            if escaped?.incident != row.incident {
                escaped = (row.incident, Escape.csv(row.incident, terminal: terminal), Escape.csv(row.organization, terminal: terminal))
            }
            var cells = row.cells
            cells[0] = escaped!.id
            cells[1] = escaped!.organization
            for i in 2..<cells.count { cells[i] = Escape.csv(cells[i], numeric: numeric[i], terminal: terminal) }
            out += cells.joined(separator: ",")
            out += "\r\n"
            if out.utf8.count >= 1 << 16 {
                console.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        console.write(out)
    }
}

struct StatsCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Delay statistics across incidents: median, quartiles, p90, min, max.",
        discussion: """
            Per group and metric: how many incidents could be measured, the median (first: medians, \
            not means, resist the outliers breach data is full of), the 25th, 75th and 90th \
            percentiles (linear interpolation), the minimum and maximum, in days. A delay known \
            only as a range counts as its midpoint; the ranges column says how many did.

            Examples:
              lapse stats
              lapse stats --metric time-to-disclose --by year
              lapse stats --by company --company sony --format csv
              lapse stats --by year --date-of regulator_notification
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var metrics: MetricSelection
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Group by company, year (of the from-event, or of the --date-of event), kind, sector or jurisdiction.", valueName: "group"))
    var by: StatsGrouping?

    @OptionGroup var query: IncidentQueryOptions

    @Option(help: ArgumentHelp("Give values in hours or days (default: hours for a metric whose median is under 3 days, else days).", valueName: "unit"))
    var unit: DelayUnit?

    func run(store: any IncidentStore, console: Console) throws {
        let summaries = try StatsQuery(store: store).summaries(definitions: metrics.definitions, grouping: by,
                                                               selection: IncidentSelection(try query.filter()), unit: unit)
        func n(_ v: Double) -> String { formatDecimal(v, places: 1) }
        let table = DataTable(
            columns: [by?.rawValue ?? "group", "metric", "unit", "count", "median", "p25", "p75", "p90", "min", "max", "ranges"],
            rows: summaries.map { [$0.group, $0.metric, ($0.unit ?? .days).rawValue, String($0.count), n($0.median), n($0.p25), n($0.p75), n($0.p90),
                                   n($0.min), n($0.max), String($0.ranges)] },
            numeric: Set(3...10))
        try console.emit(table, json: summaries, format: output.format, style: output.style(console))
        if output.format == .table || output.format == .markdown {
            console.write("\nExact elapsed time where both ends have a time of day; else calendar days, a delay known only as a range counting as its midpoint (ranges: how many did). Percentiles interpolate linearly.\n")
        }
    }
}

struct CheckCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Find inconsistencies in timelines.",
        discussion: """
            Findings: events in an impossible order (error), a milestone a delay needs is missing \
            (warning), negative delays (warning), duplicate events (warning), an organization that \
            acts in none of its incident's events (info). With --strict, exits 1 when there are \
            warnings or errors (info findings alone do not fail).

            Examples:
              lapse check
              lapse check psn-2011 --strict
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var selection: IncidentSelectionOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Exit with status 1 when there are warnings or errors (for scripts and CI).")
    var strict = false

    func run(store: any IncidentStore, console: Console) throws {
        let result = try ConsistencyCheck(store: store).run(try selection.selection())
        let findings = result.findings
        let table = DataTable(columns: ["incident", "severity", "code", "message"],
                              rows: findings.map { [$0.incident, $0.severity.rawValue, $0.code, $0.message] })
        try console.emit(table, json: findings, format: output.format, style: output.style(console))
        if output.format == .table {
            console.note(findings.isEmpty ? "No findings in \(plural(result.incidents, "incident"))." : "\(plural(findings.count, "finding")) in \(plural(result.incidents, "incident")).")
        }
        if strict && result.hasWarnings { throw ExitCode(LapseExitCode.failure.rawValue) }
    }
}
