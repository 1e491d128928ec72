import ArgumentParser
import Foundation
import LapseApp
import LapseCore
import LapseReports

struct DeadlinesCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlines",
        abstract: "Check an incident against the notification laws that were in force.",
        discussion: """
            For each rule whose jurisdiction and scope reach the incident (or each rule named with \
            --rule, regardless of scope): what started the clock, when the notice was due, the event \
            that satisfied it, and a status: met, missed (late_by_hours or late_by_days), open (time \
            left), not_in_force (with the verdict under the rule as it stands today), \
            no_fixed_deadline, not_applicable, uncertain (partial dates that some readings meet and \
            some miss: the range is given) or not_started (no event to start the clock). Scope uses \
            the incident's jurisdictions, kinds, tags such as sec-registrant or hipaa-covered-entity, \
            and records affected. See Docs/regulations.md. Not legal advice.

            Examples:
              lapse deadlines psn-2011
              lapse deadlines equifax-2017 --rule us-sec-8k-105 --format json
              lapse deadlines acme-2024 --all --as-of 2024-03-01
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"))
    var incident: String

    @Option(name: .customLong("rule"), help: ArgumentHelp("Check this rule, in scope or not (repeatable); `lapse rules` lists them.", valueName: "id"))
    var rules: [String] = []

    @Flag(help: "Also list the rules that do not apply, with the reason.")
    var all = false

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Judge open clocks as of this time instead of now (UTC for dates without an offset).", valueName: "time"))
    var asOf: String?

    func validate() throws {
        if let asOf { _ = try parseTime(asOf, option: "--as-of") }
        if all && !rules.isEmpty { throw ValidationError("--all lists every rule; it does not go with --rule") }
    }

    func run(store: any IncidentStore, console: Console) throws {
        let now = try asOf.map { try parseTime($0, option: "--as-of").firstInstant(in: Zones.utc) } ?? Int(Date().timeIntervalSince1970)
        let verdicts = try DeadlineReview(store: store, now: now).review(incident: incident, rules: rules, includeNotApplicable: all)
        let rows = verdicts.rows
        let incident = verdicts.incident
        let table = output.format == .table
            ? DataTable(columns: ["rule", "status", "deadline", "clock start", "due", "satisfied by", "margin", "note"],
                        rows: rows.map { [$0.rule, $0.verdictText, $0.deadlineText, $0.clockStartText, $0.dueText, $0.satisfiedByText, $0.margin, $0.notes.first ?? ""] })
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
