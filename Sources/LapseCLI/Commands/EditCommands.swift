import ArgumentParser
import Foundation
import LapseApp
import LapseCore

/// `--author`: who the change log names for a write.
struct AuthorOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Who makes the change, for the change log (default: $LAPSE_AUTHOR, else the user you run as).", valueName: "name"))
    var author: String?

    func context(_ command: String) -> ChangeContext {
        ChangeContext(author: ChangeContext.author(given: author), command: command)
    }
}

/// The command as the change log names it: the words and arguments after `lapse`, without `--db`
/// or `--author` and their values.
func commandText(_ words: [String]) -> String {
    words.map { $0.contains(" ") || $0.isEmpty ? "\"\($0)\"" : $0 }.joined(separator: " ")
}

/// "1 event" / "2 events".
func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

struct EventCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Edit or delete a recorded event.",
        discussion: """
            An event is named by its id, which `lapse show INCIDENT` prints in brackets: the id given \
            in the data, or INCIDENT.eN (the Nth event recorded), or INCIDENT/ID for an id several \
            incidents use.

            Examples:
              lapse show psn-2011
              lapse event edit psn-2011.e3 --at 2011-04-26
              lapse event delete psn-2011.e4
            """,
        subcommands: [EditEvent.self, DeleteEvent.self]
    )
}

struct EditEvent: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change fields of an event; the rest stay as they are.",
        discussion: """
            The incident is checked as an import checks it; when anything is wrong nothing is \
            written. The change is recorded in the change log (`lapse history`), and `lapse revert` \
            undoes it.

            Examples:
              lapse event edit psn-2011.e3 --at 2011-04-26
              lapse event edit psn-2011.e3 --summary "Sony confirms the breach" \\
                  --author "J. Doe"
              lapse event edit psn-2011/notice \\
                  --source https://example.org/letter.pdf \\
                  --remove-source https://example.org/old
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("The event id (see `lapse show`).", valueName: "event"))
    var id: String

    @Option(help: ArgumentHelp("The event type: \(EventType.allowedValues).", valueName: "type"))
    var type: EventType?
    @Option(help: ArgumentHelp("When it happened (for a span: when it began).", valueName: "time"))
    var at: String?
    @Option(help: ArgumentHelp("When a span ended.", valueName: "time"))
    var until: String?
    @Option(help: ArgumentHelp("Who acted, spoke or was notified (a party id).", valueName: "party"))
    var party: String?
    @Option(help: "One line saying what happened.")
    var summary: String?
    @Option(help: "What was said, verbatim.")
    var quote: String?
    @Option(help: "Where it was said.")
    var channel: String?
    @Option(help: ArgumentHelp("Who it was said to: \(Audience.allowedValues).", valueName: "audience"))
    var audience: Audience?
    @Option(help: "The language of the quote.")
    var language: String?
    @Option(name: .customLong("source"), help: ArgumentHelp("Add a source (repeatable).", valueName: "url"))
    var sources: [String] = []
    @Option(name: .customLong("remove-source"), help: ArgumentHelp("Remove a source (repeatable).", valueName: "url"))
    var removeSources: [String] = []

    func validate() throws {
        if let at { _ = try parseTime(at, option: "--at") }
        if let until { _ = try parseTime(until, option: "--until") }
    }

    func run(store: any IncidentStore, console: Console) throws {
        var changes = EventChanges()
        changes.type = type
        changes.at = try at.map { try parseTime($0, option: "--at") }
        changes.until = try until.map { try parseTime($0, option: "--until") }
        changes.party = party
        changes.summary = summary
        changes.quote = quote
        changes.channel = channel
        changes.audience = audience
        changes.language = language
        changes.addSources = sources
        changes.removeSources = removeSources
        let change: Change
        do {
            change = try EventEditor(store: store).edit(id, changes, as: authorship.context(commandText(["event", "edit", id])))
        } catch let error as DataProblems {
            // The editor names the event's fields; here each is placed in its incident, as an import places it.
            let (incident, index) = try EventFinder(store: store).find(id)
            throw DataProblems(problems: error.problems.map { $0.within(prefix: "incident \(incident.id) events[\(index)]") })
        }
        console.write("Edited event \(id) (change \(change.id)).\n")
    }
}

struct DeleteEvent: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete an event.",
        discussion: """
            The incident's other events keep their ids. `lapse revert CHANGE` brings the event back.

            Examples:
              lapse event delete psn-2011.e4
              lapse event delete psn-2011/notice --author "J. Doe"
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("The event id (see `lapse show`).", valueName: "event"))
    var id: String

    func run(store: any IncidentStore, console: Console) throws {
        let change = try EventEditor(store: store).delete(id, as: authorship.context(commandText(["event", "delete", id])))
        console.write("Deleted event \(id) (change \(change.id)).\n")
    }
}

struct EditIncident: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change fields of an incident; the rest stay as they are.",
        discussion: """
            Events are changed with `lapse event edit`. Checked as an import checks; when anything \
            is wrong nothing is written.

            Examples:
              lapse incident edit acme-2024 \\
                  --title "Acme customer and payroll breach" --records 140000
              lapse incident edit acme-2024 --kind breach --kind ransomware \\
                  --tag sec-registrant
              lapse incident edit acme-2024 --remove-jurisdiction US-NY \\
                  --jurisdiction US-CA
              lapse incident edit acme-2024 --closed 2024-06-30
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "id"))
    var id: String

    @Option(help: "A short title.")
    var title: String?
    @Option(help: ArgumentHelp("The party id of the company the incident belongs to.", valueName: "party"))
    var organization: String?
    @Option(help: "A paragraph on what happened.")
    var summary: String?
    @Option(name: .customLong("records"), help: ArgumentHelp("How many records were affected.", valueName: "count"))
    var recordsAffected: Int?
    @Option(help: ArgumentHelp("The IANA time zone local times are in.", valueName: "zone"))
    var timezone: String?
    @Option(name: .customLong("kind"), help: ArgumentHelp("Replace the kinds (repeatable): \(IncidentKind.allowedValues).", valueName: "kind"))
    var kinds: [IncidentKind] = []
    @Option(name: .customLong("jurisdiction"), help: ArgumentHelp("Add a jurisdiction (repeatable).", valueName: "code"))
    var jurisdictions: [String] = []
    @Option(name: .customLong("remove-jurisdiction"), help: ArgumentHelp("Remove a jurisdiction (repeatable).", valueName: "code"))
    var removeJurisdictions: [String] = []
    @Option(name: .customLong("tag"), help: ArgumentHelp("Add a tag (repeatable).", valueName: "tag"))
    var tags: [String] = []
    @Option(name: .customLong("remove-tag"), help: ArgumentHelp("Remove a tag (repeatable).", valueName: "tag"))
    var removeTags: [String] = []
    @Option(help: ArgumentHelp("The day the record was closed, as `lapse incident close --on` sets it (\"\" reopens it).", valueName: "date"))
    var closed: String?

    func validate() throws {
        if let closed, !closed.isEmpty { _ = try parseTime(closed, option: "--closed") }
    }

    func run(store: any IncidentStore, console: Console) throws {
        var changes = IncidentChanges()
        if let closed {
            if closed.isEmpty { changes.reopen = true } else { changes.closed = try parseTime(closed, option: "--closed") }
        }
        changes.title = title
        changes.organization = organization
        changes.summary = summary
        changes.recordsAffected = recordsAffected
        changes.timezone = timezone
        changes.kinds = kinds
        changes.addJurisdictions = jurisdictions
        changes.removeJurisdictions = removeJurisdictions
        changes.addTags = tags
        changes.removeTags = removeTags
        let change = try IncidentEditor(store: store).edit(id, changes, as: authorship.context(commandText(["incident", "edit", id])))
        console.write("Edited incident \(id) (change \(change.id)).\n")
    }
}

struct CloseIncident: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Mark an incident's record closed: its timeline holds every notice that was given.",
        discussion: """
            `lapse deadlines` then counts a notice the timeline does not hold as missed, late up \
            to the day of the close (instead of unknown). The change is recorded in the change \
            log; `lapse incident reopen` (or `lapse revert`) undoes it.

            Examples:
              lapse incident close acme-2024
              lapse incident close acme-2024 --on 2024-06-30 --author "J. Doe"
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("The day the record was closed (default: today, UTC).", valueName: "date"))
    var on: String?

    func validate() throws {
        if let on { _ = try parseTime(on, option: "--on") }
    }

    func run(store: any IncidentStore, console: Console) throws {
        let day = try on.map { try parseTime($0, option: "--on") } ?? IncidentEditor.today()
        let change = try IncidentEditor(store: store).close(id, on: day, as: authorship.context(commandText(["incident", "close", id, "--on", day.description])))
        console.write("Closed incident \(id) on \(day) (change \(change.id)).\n")
    }
}

struct ReopenIncident: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "reopen",
        abstract: "Mark a closed incident open again.",
        discussion: """
            `lapse deadlines` again reports a notice the timeline does not hold as unknown. An \
            incident that is not closed exits 65.

            Examples:
              lapse incident reopen acme-2024
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "id"))
    var id: String

    func run(store: any IncidentStore, console: Console) throws {
        let change = try IncidentEditor(store: store).reopen(id, as: authorship.context(commandText(["incident", "reopen", id])))
        console.write("Reopened incident \(id) (change \(change.id)).\n")
    }
}

struct DeleteIncident: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete an incident and its events.",
        discussion: """
            Says how many events went with it. `lapse revert CHANGE` brings it all back.

            Examples:
              lapse incident delete acme-2024
              lapse incident delete acme-2024 --author "J. Doe"
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "id"))
    var id: String

    func run(store: any IncidentStore, console: Console) throws {
        let (change, events) = try IncidentEditor(store: store).delete(id, as: authorship.context(commandText(["incident", "delete", id])))
        console.write("Deleted incident \(id) and its \(counted(events, "event")) (change \(change.id)).\n")
    }
}

struct EditParty: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change fields of a party; the rest stay as they are.",
        discussion: """
            An empty value ("") clears --parent, --affiliation, --role, --country or --sector. \
            Checked as an import checks; when anything is wrong nothing is written.

            Examples:
              lapse party edit acme --name "Acme Corp." --alias "Acme Inc"
              lapse party edit jane-doe --role "Former CEO, Acme" --affiliation ""
              lapse party edit acme --remove-alias Acme
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("The party id.", valueName: "id"))
    var id: String

    @Option(help: "The party's name.")
    var name: String?
    @Option(help: ArgumentHelp("What the party is: \(PartyKind.allowedValues).", valueName: "kind"))
    var kind: PartyKind?
    @Option(help: ArgumentHelp("An organization's parent company (a party id; \"\" for none).", valueName: "party"))
    var parent: String?
    @Option(help: ArgumentHelp("A person's organization (a party id; \"\" for none).", valueName: "party"))
    var affiliation: String?
    @Option(help: "A person's role.")
    var role: String?
    @Option(help: "ISO 3166-1 alpha-2 country code.")
    var country: String?
    @Option(help: "Sector: free text or a NAICS code.")
    var sector: String?
    @Option(name: .customLong("alias"), help: ArgumentHelp("Add an alias (repeatable).", valueName: "name"))
    var aliases: [String] = []
    @Option(name: .customLong("remove-alias"), help: ArgumentHelp("Remove an alias (repeatable).", valueName: "name"))
    var removeAliases: [String] = []

    func run(store: any IncidentStore, console: Console) throws {
        var changes = PartyChanges()
        changes.name = name
        changes.kind = kind
        changes.parent = parent
        changes.affiliation = affiliation
        changes.role = role
        changes.country = country
        changes.sector = sector
        changes.addAliases = aliases
        changes.removeAliases = removeAliases
        let change = try PartyEditor(store: store).edit(id, changes, as: authorship.context(commandText(["party", "edit", id])))
        console.write("Edited party \(id) (change \(change.id)).\n")
    }
}

struct DeleteParty: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a party that nothing refers to.",
        discussion: """
            Refused while an incident, an event or another party refers to the party; the error \
            names them.

            Examples:
              lapse party delete acme-typo
              lapse party delete acme-typo --author "J. Doe"
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("The party id.", valueName: "id"))
    var id: String

    func run(store: any IncidentStore, console: Console) throws {
        let change = try PartyEditor(store: store).delete(id, as: authorship.context(commandText(["party", "delete", id])))
        console.write("Deleted party \(id) (change \(change.id)).\n")
    }
}
