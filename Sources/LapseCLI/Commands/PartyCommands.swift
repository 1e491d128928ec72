import ArgumentParser
import Foundation
import LapseApp
import LapseCore

struct PartyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "party",
        abstract: "Add, edit, delete or merge parties: companies, people, groups, regulators, agencies, vendors, media outlets.",
        discussion: """
            Examples:
              lapse party add acme --name "Acme Corporation" --kind organization \\
                  --alias Acme --country US
              lapse party edit acme --alias "Acme Corp"
              lapse party delete acme
              lapse party merge acme-corp acme-inc --into acme
            """,
        subcommands: [AddParty.self, EditParty.self, DeleteParty.self, MergeParties.self]
    )
}

struct AddParty: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a new party.",
        discussion: """
            Examples:
              lapse party add acme --name "Acme Corporation" --kind organization \\
                  --alias Acme --country US
              lapse party add acme-cloud --name "Acme Cloud" --kind organization \\
                  --parent acme
              lapse party add jane-doe --name "Jane Doe" --kind person \\
                  --affiliation acme --role "CEO, Acme"
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

struct MergeParties: AppCommand {
    static let writes = true
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge duplicate parties into one.",
        discussion: """
            Moves every incident, event and statement of the duplicates to PARTY, makes their \
            subsidiaries and people PARTY's, adds their names and aliases to PARTY's aliases, \
            fills PARTY's empty role, country and sector from them, and deletes them: one \
            transaction, all or nothing, recorded as one change (`lapse revert CHANGE` undoes it). \
            `lapse parties --duplicates` lists likely duplicates.

            Examples:
              lapse party merge humana-inc --into humana
              lapse party merge uber-technologies-inc uber --into uber-technologies
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The ids of the duplicate parties.", valueName: "duplicate"))
    var duplicates: [String] = []

    @Option(help: ArgumentHelp("The id of the party to keep.", valueName: "party"))
    var into: String

    @OptionGroup var authorship: AuthorOptions

    func validate() throws {
        if duplicates.isEmpty { throw ValidationError("give the ids of the duplicate parties before --into") }
        if duplicates.contains(into) { throw ValidationError("--into \(into): the party kept cannot also be a duplicate") }
        if Set(duplicates).count != duplicates.count { throw ValidationError("a duplicate is named twice; expected each id once") }
    }

    func run(store: any IncidentStore, console: Console) throws {
        let (party, moved) = try PartyMerger(store: store).merge(duplicates, into: into,
                                                                 as: authorship.context(commandText(["party", "merge"] + duplicates + ["--into", into])))
        console.write("Merged \(plural(duplicates.count, "party", "parties")) into \(party.id) (\(party.name)): "
            + "\(plural(moved.incidents, "incident")), \(plural(moved.events, "event")), "
            + "\(plural(moved.parties, "subsidiary or affiliation", "subsidiaries or affiliations")) moved; "
            + "\(plural(moved.aliases, "alias", "aliases")) added.\n")
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
              lapse parties --duplicates

            --duplicates lists groups of parties whose names or aliases are the same once case, \
            punctuation and legal forms (Inc, LLC, ...) are ignored, one row per party with its \
            group number; `lapse party merge` merges them.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Only parties of this kind: \(PartyKind.allowedValues).", valueName: "kind"))
    var kind: PartyKind?

    @Flag(help: "List likely duplicates: parties whose names match once case, punctuation and legal forms are ignored.")
    var duplicates = false

    func run(store: any IncidentStore, console: Console) throws {
        if duplicates { return try listDuplicates(store: store, console: console) }
        let parties = try PartyRegistry(store: store).parties(ofKind: kind)
        let table = DataTable(
            columns: ["id", "name", "kind", "aliases", "parent", "affiliation", "role", "country", "sector"],
            rows: parties.map { [$0.id, $0.name, $0.kind.rawValue, $0.aliases.joined(separator: "; "), $0.parent ?? "",
                                 $0.affiliation ?? "", $0.role ?? "", $0.country ?? "", $0.sector ?? ""] })
        try console.emit(table, json: parties, format: output.format, style: output.style(console))
    }

    func listDuplicates(store: any IncidentStore, console: Console) throws {
        let groups = try PartyRegistry(store: store).duplicates().map { $0.filter { kind == nil || $0.kind == kind } }.filter { $0.count > 1 }
        let rows = groups.enumerated().flatMap { n, group in group.map { [String(n + 1), $0.id, $0.name, $0.kind.rawValue, $0.aliases.joined(separator: "; ")] } }
        let table = DataTable(columns: ["group", "id", "name", "kind", "aliases"], rows: rows, numeric: [0])
        try console.emit(table, json: groups.enumerated().map { DuplicateGroup(group: $0.offset + 1, parties: $0.element) },
                         format: output.format, style: output.style(console))
        if output.format == .table {
            console.note(groups.isEmpty ? "No likely duplicates." : "\(plural(groups.count, "group")) of likely duplicates; merge one with: lapse party merge DUPLICATE... --into PARTY")
        }
    }
}

/// One group of likely duplicate parties, as `parties --duplicates --format json` gives it.
struct DuplicateGroup: Encodable {
    var group: Int
    var parties: [Party]
}
