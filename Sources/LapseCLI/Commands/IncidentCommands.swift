import ArgumentParser
import Foundation
import LapseApp
import LapseCore

struct IncidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Add, edit, close, reopen or delete an incident.",
        discussion: """
            Examples:
              lapse incident add acme-2024 --title "Acme customer database breach" \\
                  --organization acme --kind breach
              lapse incident edit acme-2024 --records 150000
              lapse incident close acme-2024 --on 2024-06-30
              lapse incident delete acme-2024
            """,
        subcommands: [AddIncident.self, EditIncident.self, CloseIncident.self, ReopenIncident.self, DeleteIncident.self]
    )
}

struct AddIncident: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a new incident (then record its events with `lapse log`).",
        discussion: """
            Examples:
              lapse incident add acme-2024 --title "Acme customer database breach" \\
                  --organization acme --kind breach --records 120000 \\
                  --timezone America/New_York --jurisdiction US \\
                  --jurisdiction US-NY --tag sec-registrant
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("A new incident id: lower-case letters, digits, '.', '_' or '-'.", valueName: "id"))
    var id: String

    @Option(help: "A short title.")
    var title: String

    @Option(help: ArgumentHelp("The party id of the company the incident belongs to.", valueName: "party"))
    var organization: String

    @Option(name: .customLong("kind"), help: ArgumentHelp("What it was (repeatable): \(IncidentKind.allowedValues).", valueName: "kind"))
    var kinds: [IncidentKind]

    @Option(help: "A summary.")
    var summary: String?

    @Option(name: .customLong("records"), help: ArgumentHelp("How many records were affected.", valueName: "count"))
    var recordsAffected: Int?

    @Option(help: ArgumentHelp("IANA time zone for event times given without an offset (default UTC).", valueName: "zone"))
    var timezone: String?

    @Option(name: .customLong("jurisdiction"), help: ArgumentHelp("A jurisdiction (repeatable): EU, UK, US, US-CA, JP...", valueName: "code"))
    var jurisdictions: [String] = []

    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag (repeatable).", valueName: "tag"))
    var tags: [String] = []

    func validate() throws {
        if kinds.isEmpty { throw ValidationError("give at least one --kind: \(IncidentKind.allowedValues)") }
    }

    func run(store: any IncidentStore, console: Console) throws {
        let incident = Incident(id: id, title: title, organization: organization, kinds: kinds, summary: summary,
                                recordsAffected: recordsAffected, timezone: timezone, jurisdictions: jurisdictions, tags: tags)
        try IncidentRecorder(store: store).add(incident, as: authorship.context(commandText(["incident", "add", id])))
        console.write("Added incident \(id). Record its events with: lapse log \(id) TYPE --at DATE\n")
    }
}

struct IncidentsCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "List incidents, by company, kind or date.",
        discussion: """
            --company matches the organization's id, its name or an alias, whole or as a phrase of \
            whole words, ignoring case, punctuation and legal forms (Inc, LLC, Corporation...), and \
            includes its subsidiaries (organizations whose parent chain leads to a match). \
            --since and --until compare the incident's first event (or its earliest --date-of \
            event) with a date of any precision (--until 2017 includes all of 2017). Sort keys: \
            first-event (default), id, company, title, records, events.

            Examples:
              lapse incidents --company sony
              lapse incidents --kind outage --since 2020
              lapse incidents --company "Sony Computer Entertainment" --format json
              lapse incidents --sort records --desc --limit 10
              lapse incidents --date-of regulator_notification --since 2023 --sector health
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var query: IncidentQueryOptions
    @OptionGroup var listing: ListingOptions

    func validate() throws { try listing.check(IncidentQuery.sortKeys) }

    func run(store: any IncidentStore, console: Console) throws {
        let incidents = try IncidentQuery(store: store).incidents(try query.filter(), order: listing.order)
        let table = DataTable(
            columns: ["id", "organization", "title", "kinds", "first_event", "events", "records_affected"],
            rows: incidents.map { [$0.id, $0.organizationName, $0.title, $0.kinds.map(\.rawValue).joined(separator: ","),
                                   $0.firstEvent ?? "", String($0.events), $0.recordsAffected.map(String.init) ?? ""] },
            numeric: [5, 6], flexible: [2, 1])
        try console.emit(table, json: incidents, format: output.format, style: output.style(console))
        if incidents.isEmpty && output.format == .table {
            console.note(query.company.map { "No incidents match --company \"\($0)\"." } ?? "No incidents match.")
        }
    }
}
