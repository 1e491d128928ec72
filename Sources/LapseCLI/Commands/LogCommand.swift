import ArgumentParser
import Foundation
import LapseApp
import LapseCore
import LapseReports

struct LogCommand: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Record one event of an incident and show where it falls in the timeline.",
        discussion: """
            TYPE is one of: \(EventType.allowedValues).
            Times are as precise as the source: 2011, 2011-04, 2011-04-26, 2011-04-26T17:50 (in the \
            incident's time zone) or 2011-04-26T17:50:00-07:00; add ~ (approximate) or ? (uncertain).

            Examples:
              lapse log psn-2011 disclosure --at 2011-04-26 \\
                  --party sony-computer-entertainment \\
                  --summary "Sony says data of 77 million accounts was exposed" \\
                  --source https://example.org/psn-update.html
              lapse log acme-2024 apology --at 2024-03-02T09:30 --party jane-doe \\
                  --quote "We are sorry." --channel "press conference" \\
                  --audience public
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"))
    var incident: String

    @Argument(help: ArgumentHelp("The event type.", valueName: "type"))
    var type: EventType

    @Option(help: ArgumentHelp("When it happened (for a span: when it began).", valueName: "time"))
    var at: String

    @Option(help: ArgumentHelp("When a span ended.", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("Who acted, spoke or was notified (a party id).", valueName: "party"))
    var party: String?

    @Option(help: "One line saying what happened.")
    var summary: String?

    @Option(help: "What was said, verbatim.")
    var quote: String?

    @Option(help: "Where it was said: press conference, blog, filing, letter, tweet...")
    var channel: String?

    @Option(help: ArgumentHelp("Who it was said to: \(Audience.allowedValues).", valueName: "audience"))
    var audience: Audience?

    @Option(help: "The language of the quote (e.g. en, ja).")
    var language: String?

    @Option(name: .customLong("source"), help: ArgumentHelp("Where the fact comes from (repeatable).", valueName: "url"))
    var sources: [String] = []

    @Option(help: ArgumentHelp("A stable id for the event, unique within the incident.", valueName: "id"))
    var id: String?

    @Flag(name: .customLong("allow-duplicate"), help: "Log the event even if the incident already has one of the same type, time, party and summary.")
    var allowDuplicate = false

    func validate() throws {
        _ = try parseTime(at, option: "--at")
        if let until { _ = try parseTime(until, option: "--until") }
    }

    func run(store: any IncidentStore, console: Console) throws {
        let quotation = Quotation(quote: quote, channel: channel, audience: audience, language: language)
        let event = Event(id: id, type: type, at: try parseTime(at, option: "--at"),
                          until: try until.map { try parseTime($0, option: "--until") },
                          party: party, summary: summary, statement: quotation.isEmpty ? nil : quotation,
                          sources: sources.map { Source(url: $0) })
        let logged = try EventLogger(store: store).log(event, toIncident: incident, allowDuplicate: allowDuplicate,
                                                      as: authorship.context(commandText(["log", incident, type.rawValue, "--at", at])))
        guard let position = logged.position, let entry = logged.entry else { return }
        var out = "Logged \(type.rawValue) \(event.at) in \(logged.incident.id) as \(logged.id): event \(position + 1) of \(logged.timeline.entries.count), "
            + "\(entry.offset.signed) from the first event.\n"
        if let before = logged.previous {
            out += "  previous: \(before.event.type.label) \(before.event.at) (\(before.offset.signed))\n"
        }
        if let after = logged.next {
            out += "  next:     \(after.event.type.label) \(after.event.at) (\(after.offset.signed))\n"
        }
        console.write(out)
    }
}
