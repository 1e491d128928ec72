import ArgumentParser
import Foundation
import LapseApp
import LapseCore

struct PartyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "party",
        abstract: "Add, edit or delete a party: a company, person, group, regulator, agency, vendor or media outlet.",
        discussion: """
            Examples:
              lapse party add acme --name "Acme Corporation" --kind organization --alias Acme --country US
              lapse party edit acme --alias "Acme Corp"
              lapse party delete acme
            """,
        subcommands: [AddParty.self, EditParty.self, DeleteParty.self]
    )
}

struct AddParty: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a new party.",
        discussion: """
            Examples:
              lapse party add acme --name "Acme Corporation" --kind organization --alias Acme --country US
              lapse party add acme-cloud --name "Acme Cloud" --kind organization --parent acme
              lapse party add jane-doe --name "Jane Doe" --kind person --affiliation acme --role "CEO, Acme"
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("A new party id: lower-case letters, digits, '.', '_' or '-'.", valueName: "id"))
    var id: String

    @Option(help: "The party's name.")
    var name: String

    @Option(help: ArgumentHelp("What the party is: \(PartyKind.allowedValues).", valueName: "kind"))
    var kind: PartyKind

    @Option(name: .customLong("alias"), help: ArgumentHelp("Another name to find the party by (repeatable).", valueName: "name"))
    var aliases: [String] = []

    @Option(help: ArgumentHelp("An organization's parent company (a party id).", valueName: "party"))
    var parent: String?

    @Option(help: ArgumentHelp("A person's organization (a party id).", valueName: "party"))
    var affiliation: String?

    @Option(help: "A person's role, e.g. \"Chairman, Sony Computer Entertainment\".")
    var role: String?

    @Option(help: "ISO 3166-1 alpha-2 country code.")
    var country: String?

    @Option(help: "Sector: free text or a NAICS code.")
    var sector: String?

    func run(store: any IncidentStore, console: Console) throws {
        try PartyRegistry(store: store).add(Party(id: id, name: name, kind: kind, aliases: aliases, parent: parent, affiliation: affiliation,
                                    role: role, country: country, sector: sector),
                                              as: authorship.context(commandText(["party", "add", id])))
        console.write("Added \(kind.rawValue) \(id).\n")
    }
}

struct PartiesCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "parties",
        abstract: "List parties.",
        discussion: """
            Examples:
              lapse parties
              lapse parties --kind organization --format csv
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Only parties of this kind: \(PartyKind.allowedValues).", valueName: "kind"))
    var kind: PartyKind?

    func run(store: any IncidentStore, console: Console) throws {
        let parties = try PartyRegistry(store: store).parties(ofKind: kind)
        let table = DataTable(
            columns: ["id", "name", "kind", "aliases", "parent", "affiliation", "role", "country", "sector"],
            rows: parties.map { [$0.id, $0.name, $0.kind.rawValue, $0.aliases.joined(separator: "; "), $0.parent ?? "",
                                 $0.affiliation ?? "", $0.role ?? "", $0.country ?? "", $0.sector ?? ""] })
        try console.emit(table, json: parties, format: output.format, style: output.style(console))
    }
}
