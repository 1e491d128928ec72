import Foundation

/// A Markdown link when the URL is http(s), else the escaped text alone.
func markdownLink(_ text: String, _ url: String) -> String {
    guard let safe = safeLink(url) else { return Escape.markdown(text) }
    return "[\(Escape.markdown(text))](\(Escape.uri(safe)))"
}

/// Builds GitHub-flavoured Markdown tables and paragraphs.
struct MarkdownWriter {
    var text = ""

    mutating func heading(_ level: Int, _ s: String) { text += String(repeating: "#", count: level) + " " + Escape.markdown(s) + "\n\n" }
    mutating func paragraph(_ s: String) { text += s + "\n\n" }
    mutating func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) {
        guard !rows.isEmpty else { return paragraph("_None._") }
        text += "| " + header.joined(separator: " | ") + " |\n"
        text += "|" + header.indices.map { numeric.contains($0) ? "---:|" : "---|" }.joined() + "\n"
        for row in rows { text += "| " + row.joined(separator: " | ") + " |\n" }
        text += "\n"
    }
}
