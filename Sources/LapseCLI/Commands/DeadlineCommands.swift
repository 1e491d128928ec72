import ArgumentParser
import Foundation
import LapseApp
import LapseCore
import LapseReports

struct DeadlinesCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlines",
        abstract: "Check incidents against the notification laws that were in force.",
        discussion: """
            For each incident (the ids given, else every incident the query selects) and each rule \
            whose jurisdiction and scope reach it (or each rule named with --rule, regardless of \
            scope): what started the clock, when the notice was due, the event that satisfied it, \
            and a status: met, missed (late_by_hours or late_by_days), unknown (the due time has \
            passed and no satisfying event is recorded; missed, late up to the close, on an \
            incident marked closed with `lapse incident close`), open (time left), not_in_force (with the \
            verdict under the rule as it stands today), no_fixed_deadline, not_applicable, \
            uncertain (partial dates that some readings meet and some miss: the range is given) or \
            not_started (no event to start the clock). Over several incidents the table ends with \
            a summary per rule. See Docs/regulations.md. Not legal advice.

            Examples:
              lapse deadlines psn-2011
              lapse deadlines equifax-2017 --rule us-sec-8k-105 --format json
              lapse deadlines acme-2024 --all --as-of 2024-03-01
              lapse deadlines --jurisdiction US-WA --rule us-wa-19.255-ag
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Incident ids (all incidents the query selects when none are given).", valueName: "incident"))
    var incidents: [String] = []

    @OptionGroup var query: IncidentQueryOptions

    @Option(name: .customLong("rule"), help: ArgumentHelp("Check this rule, in scope or not (repeatable); `lapse rules` lists them.", valueName: "id"))
    var rules: [String] = []

    @Flag(help: "Also list the rules that do not apply, with the reason.")
    var all = false

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Judge open clocks as of this time instead of now (UTC for dates without an offset).", valueName: "time"))
    var asOf: String?

    @Flag(name: .customLong("count-to-now"), help: "Count a clock with no satisfying event as missed, late up to now (or --as-of), instead of unknown.")
    var countToNow = false

    func validate() throws {
        if let asOf { _ = try parseTime(asOf, option: "--as-of") }
        if all && !rules.isEmpty { throw ValidationError("--all lists every rule; it does not go with --rule") }
    }

    func run(store: any IncidentStore, console: Console) throws {
        let now = try asOf.map { try parseTime($0, option: "--as-of").firstInstant(in: Zones.utc) } ?? Int(Date().timeIntervalSince1970)
        let review = DeadlineReview(store: store, now: now, countAbsentToNow: countToNow)
        if incidents.count == 1 && query.isEmpty { return try one(review, console: console) }
        let selection = IncidentSelection(try query.filter(ids: incidents))
        var result: (incidents: Int, summary: [RuleTally]) = (0, [])
        let produce: ((DeadlineRow) throws -> Void) throws -> Void = { [rules, all] row in
            result = try review.review(selection, rules: rules, includeNotApplicable: all, row: row)
        }
        let rows = output.format == .table
            ? RowListing(columns: ["incident", "rule", "status", "clock start", "due", "satisfied by", "margin", "note"], flexible: [7, 5, 3],
                         cells: { [$0.incident, $0.rule, $0.verdictText, $0.clockStartText, $0.dueText, $0.satisfiedByText, $0.margin, $0.notes.first ?? ""] },
                         produce: produce)
            : RowListing(columns: DeadlineRow.columns, numeric: DeadlineRow.numericColumns, cells: \.cells, produce: produce)
        try console.emit(rows, format: output.format, style: output.style(console))
        guard output.format == .table || output.format == .markdown else { return }
        func cell(_ t: RuleTally, _ n: Int) -> String { "\(n) (\(formatDecimal(t.percent(n), places: 1)) %)" }
        let summary = DataTable(columns: ["rule", "incidents", "met", "missed", "unknown", "not applicable", "other"],
                                rows: result.summary.map { t in
                                    [t.rule, String(t.total), cell(t, t.met), cell(t, t.missed), cell(t, t.unknown), cell(t, t.notApplicable), cell(t, t.other)]
                                }, numeric: Set(1...6))
        console.write("\nSummary per rule over \(plural(result.incidents, "incident")):\n")
        try console.emit(summary, json: result.summary, format: output.format, style: output.style(console))
        console.note("unknown: the due time has passed and no satisfying event is recorded (--count-to-now counts it as missed; so does `lapse incident close` for an incident whose record is complete). Not legal advice: see Docs/regulations.md.")
    }

    /// One incident, as a table of its rules.
    func one(_ review: DeadlineReview, console: Console) throws {
        let verdicts = try review.review(incident: incidents[0], rules: rules, includeNotApplicable: all)
        let rows = verdicts.rows
        let incident = verdicts.incident
        let table = output.format == .table
            ? DataTable(columns: ["rule", "status", "deadline", "clock start", "due", "satisfied by", "margin", "note"],
                        rows: rows.map { [$0.rule, $0.verdictText, $0.deadlineText, $0.clockStartText, $0.dueText, $0.satisfiedByText, $0.margin, $0.notes.first ?? ""] },
                        flexible: [7, 2, 5, 3])
            : DataTable(columns: DeadlineRow.columns, rows: rows.map(\.cells), numeric: DeadlineRow.numericColumns)
        try console.emit(table, json: rows, format: output.format, style: output.style(console))
        if output.format == .table {
            console.note(rows.isEmpty
                ? "No rule reaches \(incident.id) (" + (incident.jurisdictions.isEmpty ? "it has no jurisdictions; add them to the incident" : "jurisdictions: \(incident.jurisdictions.joined(separator: ", "))") + "); --all shows why, --rule checks one anyway."
                : "Due times are UTC instants for hour clocks, dates for day clocks. Not legal advice: see Docs/regulations.md.")
        }
    }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the notification rules Lapse checks, with their sources.",
        discussion: """
            Each rule: its id, the instrument, where it applies, who is notified, what starts the \
            clock, the deadline (or the standard in words when the law sets no number), when it was \
            in force, the confidence of the reading (P primary text, S secondary, S2 several \
            secondary sources agree, U unconfirmed) and the source. --jurisdiction US lists the \
            federal rules and the states'; US-CA lists California's and the federal ones. Not legal advice.

            Examples:
              lapse rules
              lapse rules --jurisdiction EU --format markdown
            """
    )

    @Option(help: ArgumentHelp("Only rules reaching this jurisdiction (EU, UK, US, US-CA, JP, ...).", valueName: "code"))
    var jurisdiction: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        let console = Console.current
        let rows = RuleCatalog().rules(inJurisdiction: jurisdiction)
        let table: DataTable
        if output.format == .table {
            table = DataTable(columns: ["id", "jurisdictions", "notify", "clock start", "deadline", "in force", "conf.", "source"],
                              rows: rows.map { [$0.id, $0.jurisdictions.joined(separator: ", "), $0.notify, $0.clockStart,
                                                $0.deadline ?? $0.standard ?? "", $0.inForce, $0.confidence, $0.source] })
        } else {
            table = DataTable(columns: ["id", "family", "instrument", "jurisdictions", "notify", "clock_start", "satisfied_by", "deadline",
                                        "standard", "scope", "effective_from", "effective_to", "confidence", "citation", "source"],
                              rows: rows.map { [$0.id, $0.family, $0.instrument, $0.jurisdictions.joined(separator: " "), $0.notify,
                                                $0.clockStart, $0.satisfiedBy.joined(separator: " "), $0.deadline ?? "", $0.standard ?? "",
                                                $0.scope, $0.effectiveFrom ?? "", $0.effectiveTo ?? "", $0.confidence, $0.citation, $0.source] })
        }
        try console.emit(table, json: rows, format: output.format, style: output.style(console))
        if output.format == .table {
            console.note("\(plural(rows.count, "rule")). Readings of the law, not legal advice: see Docs/regulations.md.")
        }
    }
}
