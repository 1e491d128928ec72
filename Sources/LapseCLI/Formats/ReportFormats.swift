import ArgumentParser
import Foundation
import LapseReports

/// The report formats by name and by the extension of `--output`: `--output psn.html` writes
/// HTML unless `--format` says otherwise.
extension ReportFormat: ExpressibleByArgument {
    /// Other names `--format` accepts, and the extensions that imply each format.
    static let aliases: [ReportFormat: [String]] = [.md: ["markdown"]]
    static let extensions: [ReportFormat: [String]] = [.md: ["md", "markdown"], .html: ["html", "htm"], .json: ["json"], .csv: ["csv"]]

    public init?(argument: String) {
        let text = argument.lowercased()
        guard let format = Self.allCases.first(where: { $0.rawValue == text || Self.aliases[$0, default: []].contains(text) }) else { return nil }
        self = format
    }

    /// The format an output file's extension implies, or nil.
    init?(extensionOf path: String) {
        let ext = (path as NSString).pathExtension.lowercased()
        guard !ext.isEmpty, let format = Self.allCases.first(where: { Self.extensions[$0, default: []].contains(ext) }) else { return nil }
        self = format
    }

    public static var allValueStrings: [String] { allCases.flatMap { [$0.rawValue] + aliases[$0, default: []] } }
}
