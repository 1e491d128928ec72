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
}

extension DataFormat {
    static var aliases: [String] { [] }
    static var extensions: [String] { [] }
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
}
