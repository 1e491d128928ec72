import ArgumentParser
import Foundation
import LapseCore
import LapseReports
import LapseStore

/// One row of `lapse deadlines`: a rule's verdict on an incident, flattened for machines.
struct DeadlineRow: Encodable {
    var incident: String
    var rule: String
    var instrument: String
    var notify: String
    var status: String
    var wouldBe: String?
    var deadline: String?
    var standard: String?
    var clockStartType: String?
    var clockStart: String?
    var due: String?
    var dueLatest: String?
    var satisfiedByType: String?
    var satisfiedBy: String?
    var lateByHours: Double?
    var lateByHoursMax: Double?
    var lateByDays: Int?
    var lateByDaysMax: Int?
    var hoursLeft: Double?
    var daysLeft: Int?
    var confidence: String
    var source: String
    var notes: [String]
    /// For the table: lateness or time left in one cell.
    private let margin: String

    init(incident: String, result r: DeadlineResult) {
        margin = marginText(r)
        self.incident = incident
        rule = r.rule.id
        instrument = r.rule.instrument
        notify = r.rule.notify
        status = r.status.rawValue
        wouldBe = r.wouldBe?.rawValue
        deadline = r.duration?.description
        standard = r.standard
        clockStartType = r.clockStart?.type.rawValue
        clockStart = r.clockStart?.at.description
        due = r.due?.lowerText
        dueLatest = r.due.flatMap { $0.isExact ? nil : $0.upperText }
        satisfiedByType = r.satisfiedBy?.type.rawValue
        satisfiedBy = r.satisfiedBy?.at.description
        lateByHours = r.lateByHours
        lateByHoursMax = r.lateBy.flatMap { $0.isExact ? nil : r.lateByHoursMax }
        lateByDays = r.lateByDays
        lateByDaysMax = r.lateBy.flatMap { $0.isExact ? nil : r.lateByDaysMax }
        hoursLeft = r.status == .open ? r.hoursLeft : nil
        daysLeft = r.status == .open ? r.daysLeft : nil
        confidence = r.rule.confidence.rawValue
        source = r.rule.source.url
        notes = r.notes
    }

    enum CodingKeys: String, CodingKey {
        case incident, rule, instrument, notify, status, wouldBe = "would_be", deadline, standard
        case clockStartType = "clock_start_type", clockStart = "clock_start", due, dueLatest = "due_latest"
        case satisfiedByType = "satisfied_by_type", satisfiedBy = "satisfied_by"
        case lateByHours = "late_by_hours", lateByHoursMax = "late_by_hours_max"
        case lateByDays = "late_by_days", lateByDaysMax = "late_by_days_max"
        case hoursLeft = "hours_left", daysLeft = "days_left", confidence, source, notes
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // Absent values are written as null, so every object has every key.
        try c.encode(incident, forKey: .incident)
        try c.encode(rule, forKey: .rule)
        try c.encode(instrument, forKey: .instrument)
        try c.encode(notify, forKey: .notify)
        try c.encode(status, forKey: .status)
        try c.encode(wouldBe, forKey: .wouldBe)
        try c.encode(deadline, forKey: .deadline)
        try c.encode(standard, forKey: .standard)
        try c.encode(clockStartType, forKey: .clockStartType)
        try c.encode(clockStart, forKey: .clockStart)
        try c.encode(due, forKey: .due)
        try c.encode(dueLatest, forKey: .dueLatest)
        try c.encode(satisfiedByType, forKey: .satisfiedByType)
        try c.encode(satisfiedBy, forKey: .satisfiedBy)
        try c.encode(lateByHours, forKey: .lateByHours)
        try c.encode(lateByHoursMax, forKey: .lateByHoursMax)
        try c.encode(lateByDays, forKey: .lateByDays)
        try c.encode(lateByDaysMax, forKey: .lateByDaysMax)
        try c.encode(hoursLeft, forKey: .hoursLeft)
        try c.encode(daysLeft, forKey: .daysLeft)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(source, forKey: .source)
        try c.encode(notes, forKey: .notes)
    }

    static let columns = ["incident", "rule", "status", "would_be", "deadline", "clock_start_type", "clock_start", "due", "due_latest",
                          "satisfied_by_type", "satisfied_by", "late_by_hours", "late_by_hours_max", "late_by_days", "late_by_days_max",
                          "hours_left", "days_left", "standard", "confidence", "source", "notes"]

    var cells: [String] {
        [incident, rule, status, wouldBe ?? "", deadline ?? "", clockStartType ?? "", clockStart ?? "", due ?? "", dueLatest ?? "",
         satisfiedByType ?? "", satisfiedBy ?? "", lateByHours.map { formatDecimal($0) } ?? "", lateByHoursMax.map { formatDecimal($0) } ?? "",
         lateByDays.map(String.init) ?? "", lateByDaysMax.map(String.init) ?? "", hoursLeft.map { formatDecimal($0) } ?? "",
         daysLeft.map(String.init) ?? "", standard ?? "", confidence, source, notes.joined(separator: "; ")]
    }

    /// The row as a person reads it: status with its would-be verdict, lateness or time left in one cell.
    var humanCells: [String] {
        let verdict = wouldBe.map { "\(status) (would be \($0))" } ?? status
        return [rule, verdict, deadline ?? standard ?? "", [clockStartType, clockStart].compactMap { $0 }.joined(separator: " "),
                [due, dueLatest].compactMap { $0 }.joined(separator: " … "),
                [satisfiedByType, satisfiedBy].compactMap { $0 }.joined(separator: " "), margin, notes.first ?? ""]
    }
}

struct DeadlinesCommand: StoreCommand {
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

    func run(database: LapseDatabase, console: Console) throws {
        let book = RuleBook.bundled
        let named = try book.rules(ids: rules)
        guard let incident = try database.incident(id: incident) else { throw StoreLookupError.noIncident(self.incident) }
        let organization = try database.party(id: incident.organization)
        let now = try asOf.map { try parseTime($0, option: "--as-of").firstInstant(in: TimeZone(identifier: "UTC")!) }
            ?? Int(Date().timeIntervalSince1970)
        let results = DeadlineEvaluator.evaluate(incident: incident, organization: organization,
                                                 rules: named.isEmpty ? nil : named, now: now, book: book)
            .filter { all || !rules.isEmpty || $0.status != .notApplicable }
        let rows = results.map { DeadlineRow(incident: incident.id, result: $0) }
        let table = output.format == .table
            ? DataTable(columns: ["rule", "status", "deadline", "clock start", "due", "satisfied by", "margin", "note"], rows: rows.map(\.humanCells))
            : DataTable(columns: DeadlineRow.columns, rows: rows.map(\.cells), numeric: [11, 12, 13, 14, 15, 16])
        try console.emit(table, json: rows, format: output.format, style: output.style(console))
        if output.format == .table {
            console.note(rows.isEmpty
                ? "No rule reaches \(incident.id) (" + (incident.jurisdictions.isEmpty ? "it has no jurisdictions; add them to the incident" : "jurisdictions: \(incident.jurisdictions.joined(separator: ", "))") + "); --all shows why, --rule checks one anyway."
                : "Due times are UTC instants for hour clocks, dates for day clocks. Not legal advice: see Docs/regulations.md.")
        }
    }
}

/// One row of `lapse rules`.
struct RuleRow: Encodable {
    var id: String
    var family: String
    var instrument: String
    var title: String
    var jurisdictions: [String]
    var notify: String
    var clockStart: String
    var satisfiedBy: [String]
    var deadline: String?
    var standard: String?
    var scope: String
    var effectiveFrom: String?
    var effectiveTo: String?
    var confidence: String
    var citation: String
    var source: String
    var notes: String?

    init(_ rule: NotificationRule, family: String) {
        id = rule.id
        self.family = family
        instrument = rule.instrument
        title = rule.title
        jurisdictions = rule.jurisdictions
        notify = rule.notify
        clockStart = rule.start.description
        satisfiedBy = rule.satisfiedBy.map(\.rawValue)
        deadline = rule.duration.map { d in
            ([d.description] + rule.alsoDue.map { "\($0.duration) from \($0.start)" }).joined(separator: ", or ")
        }
        standard = rule.standard
        scope = rule.scope.summary
        effectiveFrom = rule.effectiveFrom
        effectiveTo = rule.effectiveTo
        confidence = rule.confidence.rawValue
        citation = rule.source.citation
        source = rule.source.url
        notes = rule.notes
    }

    enum CodingKeys: String, CodingKey {
        case id, family, instrument, title, jurisdictions, notify, clockStart = "clock_start", satisfiedBy = "satisfied_by"
        case deadline, standard, scope, effectiveFrom = "effective_from", effectiveTo = "effective_to", confidence, citation, source, notes
    }

    var inForce: String {
        guard let effectiveFrom else { return "not in force" }
        return effectiveTo.map { "\(effectiveFrom) to \($0)" } ?? "from \(effectiveFrom)"
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
        let book = RuleBook.bundled
        let rules = jurisdiction.map(book.rules(inJurisdiction:)) ?? book.rules
        let rows = rules.map { RuleRow($0, family: book.families[$0.id] ?? "") }
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
