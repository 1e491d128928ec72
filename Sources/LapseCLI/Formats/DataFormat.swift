import ArgumentParser
import Foundation

/// One way to print a command's data (`--format`). Each format is one file conforming to this
/// protocol and one line in `OutputFormat.registry`; the help texts and the docs list the
/// formats from the registry.
protocol DataFormat: Sendable {
    /// The name `--format` takes.
    static var name: String { get }
    /// Other names `--format` accepts for it.
    static var aliases: [String] { get }
    /// The extensions of an output file that imply this format.
    static var extensions: [String] { get }
    /// What the format gives, in a few words, for help texts.
    static var summary: String { get }
    init()
    /// Prints the data: the table's rows, or `json` (the command's resource) for structured formats.
    func write<T: Encodable>(_ table: DataTable, json: T, to console: Console, style: Style) throws
    /// Prints a listing as its rows come, each written (or, for a table, measured and set
    /// aside) before the next is made, so a listing over every incident never sits in memory:
    /// the same text `write` gives for the table of all the rows and their array as `json`.
    func write<Row: Encodable>(_ listing: RowListing<Row>, to console: Console, style: Style) throws
}

extension DataFormat {
    static var aliases: [String] { [] }
    static var extensions: [String] { [] }

    /// A format that does not stream: every row is gathered, then written as a table.
    func write<Row: Encodable>(_ listing: RowListing<Row>, to console: Console, style: Style) throws {
        var rows: [Row] = []
        try listing.produce { rows.append($0) }
        try write(listing.table(rows.map(listing.cells)), json: rows, to: console, style: style)
    }
}

/// The rows of a listing as a use case hands them over, one at a time, with how each reads as
/// cells: what a data command produces when its rows may be many (a row per incident and
/// metric or rule over a million incidents).
struct RowListing<Row: Encodable> {
    var columns: [String]
    /// Columns whose cells are numbers (as in `DataTable`).
    var numeric: Set<Int> = []
    /// The text columns a terminal table may cut (as in `DataTable`).
    var flexible: [Int]? = nil
    /// A row's cells, in the order of `columns`.
    var cells: (Row) -> [String]
    /// Hands every row, in order, to its argument; called once.
    var produce: ((Row) throws -> Void) throws -> Void

    /// The table of these columns with the given rows.
    func table(_ rows: [[String]]) -> DataTable {
        DataTable(columns: columns, rows: rows, numeric: numeric, flexible: flexible)
    }
}

/// Rows of text with a header: what every data command produces for the tabular formats.
struct DataTable: Sendable {
    var columns: [String]
    var rows: [[String]]
    /// Columns whose cells are numbers (right-aligned, never formula-escaped).
    var numeric: Set<Int> = []
    /// The text columns a terminal table may cut to fit its width; nil: the widest column of
    /// words (never numbers, ids or dates, which hold no space).
    var flexible: [Int]? = nil
}

/// Text handed to a sink in chunks of about 64 KiB as it is appended, so a long output is
/// never one String.
struct ChunkedOutput {
    private var text = ""
    private let sink: (String) -> Void

    init(_ sink: @escaping (String) -> Void) {
        self.sink = sink
        text.reserveCapacity(1 << 16)
    }

    mutating func append(_ piece: String) {
        text += piece
        if text.utf8.count >= 1 << 16 {
            sink(text)
            text.removeAll(keepingCapacity: true)
        }
    }

    /// Hands over what is left.
    mutating func finish() {
        if !text.isEmpty { sink(text) }
        text = ""
    }
}

/// Renders a table as text in one format.
protocol TableRenderer {
    func render(_ table: DataTable) -> String
}

/// A format of data output, chosen by `--format` (its name or an alias).
struct OutputFormat: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    let name: String

    /// Every format data commands print, in the order help lists them.
    static let registry: [any DataFormat.Type] = [
        TableFormat.self, CSVFormat.self, TSVFormat.self, JSONFormat.self, MarkdownFormat.self,
    ]

    static let table = OutputFormat(TableFormat.self)
    static let csv = OutputFormat(CSVFormat.self)
    static let json = OutputFormat(JSONFormat.self)
    static let markdown = OutputFormat(MarkdownFormat.self)

    static var allCases: [OutputFormat] { registry.map(OutputFormat.init) }

    init(_ format: any DataFormat.Type) {
        name = format.name
    }

    /// The format a name or an alias stands for (any case), or nil.
    init?(named text: String) {
        let text = text.lowercased()
        guard let format = Self.registry.first(where: { $0.name == text || $0.aliases.contains(text) }) else { return nil }
        self.init(format)
    }

    /// The format an output file's extension implies, or nil.
    init?(extensionOf path: String) {
        let ext = (path as NSString).pathExtension.lowercased()
        guard !ext.isEmpty, let format = Self.registry.first(where: { $0.extensions.contains(ext) }) else { return nil }
        self.init(format)
    }

    var description: String { name }

    /// The implementation of this format.
    var implementation: any DataFormat {
        Self.registry.first { $0.name == name }!.init()
    }

    /// The formats for a help text: "table, csv, ... or markdown (also md)".
    static var helpList: String {
        let names = registry.map { $0.aliases.isEmpty ? $0.name : "\($0.name) (also \($0.aliases.joined(separator: ", ")))" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}

extension OutputFormat: ExpressibleByArgument {
    init?(argument: String) {
        self.init(named: argument)
    }

    static var allValueStrings: [String] { registry.flatMap { [$0.name] + $0.aliases } }
    var defaultValueDescription: String { name }
}

extension Console {
    /// Writes data in the chosen format: the table for the tabular formats, `json` for JSON.
    func emit<T: Encodable>(_ table: DataTable, json: T, format: OutputFormat, style: Style) throws {
        try format.implementation.write(table, json: json, to: self, style: style)
    }

    /// Writes a listing in the chosen format as its rows come.
    func emit<Row: Encodable>(_ listing: RowListing<Row>, format: OutputFormat, style: Style) throws {
        try format.implementation.write(listing, to: self, style: style)
    }
}
