import ArgumentParser
import Foundation
import LapseCore
import LapseReports
import LapseStore

/// Which incidents a measuring command looks at.
struct IncidentSelection: ParsableArguments {
    @Argument(help: ArgumentHelp("Incident ids (all incidents when none are given).", valueName: "incident"))
    var incidents: [String] = []

    @Option(help: "Only incidents of this company and its subsidiaries.")
    var company: String?

    @OptionGroup var dates: DateRangeOptions

    func filter() throws -> IncidentFilter {
        let (since, before) = try dates.bounds()
        return IncidentFilter(ids: incidents, company: company, since: since, before: before)
    }

    /// Loads the selection, failing on an incident id that is not stored.
    func load(_ database: LapseDatabase, withText: Bool = false) throws -> MeasurementSet {
        let set = try database.measurementSet(matching: try filter(), withText: withText)
        if !incidents.isEmpty {
            let found = Set(set.incidents.map(\.id))
            if let missing = incidents.first(where: { !found.contains($0) }) { throw StoreLookupError.noIncident(missing) }
        }
        return set
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

/// One row of `lapse delays`: the data contract's machine-readable delay columns.
struct DelayRow: Encodable {
    var incident: String
    var organization: String
    var metric: String
    var fromType: String?
    var from: String?
    var toType: String?
    var to: String?
    var daysMin: Int?
    var daysMax: Int?
    var hours: Double?
    var flags: [String]

    init(incident: Incident, organization: String, outcome: DelayOutcome) {
        self.incident = incident.id
        self.organization = organization
        metric = outcome.metric
        flags = []
        switch outcome {
        case .measured(let d):
            fromType = d.fromEvent.type.rawValue
            from = d.fromEvent.at.description
            toType = d.toEvent.type.rawValue
            to = d.toEvent.at.description
            daysMin = d.days.min
            daysMax = d.days.max
            hours = d.seconds.map { (Double($0) / 36).rounded() / 100 }
            flags = d.flags.names
        case .missing(_, let f, let t):
            fromType = f?.type.rawValue
            from = f?.at.description
            toType = t?.type.rawValue
            to = t?.at.description
            flags = ["missing"]
        }
    }

    enum CodingKeys: String, CodingKey {
        case incident, organization, metric, fromType = "from_type", from, toType = "to_type", to
        case daysMin = "days_min", daysMax = "days_max", hours, flags
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(incident, forKey: .incident)
        try c.encode(organization, forKey: .organization)
        try c.encode(metric, forKey: .metric)
        // Absent ends are written as null, so every row has every column.
        try c.encode(fromType, forKey: .fromType)
        try c.encode(from, forKey: .from)
        try c.encode(toType, forKey: .toType)
        try c.encode(to, forKey: .to)
        try c.encode(daysMin, forKey: .daysMin)
        try c.encode(daysMax, forKey: .daysMax)
        try c.encode(hours, forKey: .hours)
        try c.encode(flags, forKey: .flags)
    }

    static let columns = ["incident", "organization", "metric", "from_type", "from", "to_type", "to", "days_min", "days_max", "hours", "flags"]

    var cells: [String] {
        [incident, organization, metric, fromType ?? "", from ?? "", toType ?? "", to ?? "",
         daysMin.map(String.init) ?? "", daysMax.map(String.init) ?? "", hours.map { formatDecimal($0) } ?? "", flags.joined(separator: ";")]
    }
}

struct DelaysCommand: StoreCommand {
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
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var selection: IncidentSelection
    @OptionGroup var metrics: MetricSelection
    @OptionGroup var output: OutputOptions

    @Flag(help: "Also list incidents that lack an end of a metric, with empty values.")
    var includeMissing = false

    func run(database: LapseDatabase, console: Console) throws {
        let set = try selection.load(database)
        let engine = DelayEngine(definitions: metrics.definitions)
        if output.format == .csv { return writeCSV(set, engine: engine, console: console) }
        var rows: [DelayRow] = []
        var spans: [String] = []
        for incident in set.incidents {
            let organization = set.parties[incident.organization]?.name ?? incident.organization
            for outcome in engine.delays(for: incident) {
                guard includeMissing || outcome.delay != nil else { continue }
                rows.append(DelayRow(incident: incident, organization: organization, outcome: outcome))
                if output.format == .table { spans.append(outcome.delay.map(spanText) ?? "") }
            }
        }
        let table: DataTable
        if output.format == .table {
            table = DataTable(columns: ["incident", "metric", "from", "to", "delay", "flags"],
                              rows: zip(rows, spans).map { r, span in
                                  [r.incident, r.metric, [r.fromType, r.from].compactMap { $0 }.joined(separator: " "),
                                   [r.toType, r.to].compactMap { $0 }.joined(separator: " "), span, r.flags.joined(separator: ", ")]
                              }, numeric: [4])
        } else {
            table = DataTable(columns: DelayRow.columns, rows: rows.map(\.cells), numeric: [7, 8, 9])
        }
        try console.emit(table, json: rows, format: output.format, style: output.style(console))
        if rows.isEmpty && output.format == .table {
            console.note(set.incidents.isEmpty ? "No incidents match." : "No delay could be measured: none of the \(plural(set.incidents.count, "incident")) has both ends (--include-missing lists them).")
        }
    }

    /// CSV straight from the engine to the output, row by row: a million delays never sit in memory.
    func writeCSV(_ set: MeasurementSet, engine: DelayEngine, console: Console) {
        var out = DelayRow.columns.joined(separator: ",") + "\r\n"
        out.reserveCapacity(1 << 17)
        for incident in set.incidents {
            let organization = Escape.csv(set.parties[incident.organization]?.name ?? incident.organization, terminal: console.outputIsTerminal)
            let id = Escape.csv(incident.id, terminal: console.outputIsTerminal)
            for outcome in engine.delays(for: incident) {
                guard includeMissing || outcome.delay != nil else { continue }
                let row = DelayRow(incident: incident, organization: "", outcome: outcome)
                var cells = row.cells
                cells[0] = id
                cells[1] = organization
                for i in 2..<cells.count { cells[i] = Escape.csv(cells[i], numeric: i >= 7 && i <= 9, terminal: console.outputIsTerminal) }
                out += cells.joined(separator: ",")
                out += "\r\n"
                if out.utf8.count >= 1 << 16 {
                    console.write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        console.write(out)
    }
}

struct StatsCommand: StoreCommand {
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
            """
    )

    enum Grouping: String, CaseIterable, ExpressibleByArgument {
        case company, year, kind, sector, jurisdiction
    }

    @OptionGroup var store: StoreOptions
    @OptionGroup var metrics: MetricSelection
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Group by company, year (of the from-event), kind, sector or jurisdiction.", valueName: "group"))
    var by: Grouping?

    @Option(help: "Only incidents of this company and its subsidiaries.")
    var company: String?

    func run(database: LapseDatabase, console: Console) throws {
        let set = try database.measurementSet(matching: IncidentFilter(company: company))
        let engine = DelayEngine(definitions: metrics.definitions)
        var groups: [String: [String: [DayDelay]]] = [:]
        for incident in set.incidents {
            for outcome in engine.delays(for: incident) {
                guard let delay = outcome.delay else { continue }
                for key in keys(incident, delay, set) {
                    groups[key, default: [:]][delay.metric, default: []].append(delay.days)
                }
            }
        }
        let order = metrics.definitions.map(\.name)
        let summaries = groups.keys.sorted().flatMap { key in
            order.compactMap { metric in groups[key]?[metric].flatMap { DelaySummary(group: key, metric: metric, delays: $0) } }
        }
        func n(_ v: Double) -> String { formatDecimal(v, places: 1) }
        let table = DataTable(
            columns: [by?.rawValue ?? "group", "metric", "count", "median", "p25", "p75", "p90", "min", "max", "ranges"],
            rows: summaries.map { [$0.group, $0.metric, String($0.count), n($0.median), n($0.p25), n($0.p75), n($0.p90), n($0.min), n($0.max), String($0.ranges)] },
            numeric: Set(2...9))
        try console.emit(table, json: summaries, format: output.format, style: output.style(console))
        if output.format == .table || output.format == .markdown {
            console.write("\nDays. A delay known only as a range counts as its midpoint (ranges: how many did). Percentiles interpolate linearly.\n")
        }
    }

    func keys(_ incident: Incident, _ delay: Delay, _ set: MeasurementSet) -> [String] {
        switch by {
        case nil: ["all"]
        case .company: [set.parties[incident.organization]?.name ?? incident.organization]
        case .year: [String(delay.fromEvent.at.year)]
        case .kind: incident.kinds.map(\.rawValue)
        case .sector: [set.parties[incident.organization]?.sector ?? "(none)"]
        case .jurisdiction: incident.jurisdictions.isEmpty ? ["(none)"] : incident.jurisdictions
        }
    }
}

struct CheckCommand: StoreCommand {
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
    @OptionGroup var selection: IncidentSelection
    @OptionGroup var output: OutputOptions

    @Flag(help: "Exit with status 1 when there are warnings or errors (for scripts and CI).")
    var strict = false

    func run(database: LapseDatabase, console: Console) throws {
        let set = try selection.load(database, withText: true)
        let engine = DelayEngine()
        let findings = set.incidents.flatMap { ConsistencyChecker.check($0, engine: engine, actsFor: set.actsFor) }
        let table = DataTable(columns: ["incident", "severity", "code", "message"],
                              rows: findings.map { [$0.incident, $0.severity.rawValue, $0.code, $0.message] })
        try console.emit(table, json: findings, format: output.format, style: output.style(console))
        if output.format == .table {
            console.note(findings.isEmpty ? "No findings in \(plural(set.incidents.count, "incident"))." : "\(plural(findings.count, "finding")) in \(plural(set.incidents.count, "incident")).")
        }
        if strict && findings.contains(where: { $0.severity >= .warning }) { throw ExitCode(LapseExitCode.failure.rawValue) }
    }
}
