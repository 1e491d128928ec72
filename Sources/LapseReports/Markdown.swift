import Foundation

/// Escapes text for Markdown so that it renders as written and carries no markup or HTML.
public func markdownEscape(_ text: String) -> String {
    var out = ""
    for ch in text {
        switch ch {
        case "\\", "|", "*", "_", "`", "[", "]", "<", ">", "#", "~", "!": out += "\\\(ch)"
        case "\n", "\r": out += " "
        default:
            if ch.unicodeScalars.allSatisfy({ $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) { continue }
            out.append(ch)
        }
    }
    return out
}

/// A Markdown link when the URL is http(s), else the escaped text alone.
func markdownLink(_ text: String, _ url: String) -> String {
    guard let safe = safeLink(url) else { return markdownEscape(text) }
    var encoded = ""
    for ch in safe {
        switch ch {
        case " ": encoded += "%20"
        case "<": encoded += "%3C"
        case ">": encoded += "%3E"
        case "(": encoded += "%28"
        case ")": encoded += "%29"
        case "|": encoded += "%7C"
        case "\"": encoded += "%22"
        default: encoded.append(ch)
        }
    }
    return "[\(markdownEscape(text))](\(encoded))"
}

/// Builds GitHub-flavoured Markdown tables and paragraphs.
struct MarkdownWriter {
    var text = ""

    mutating func heading(_ level: Int, _ s: String) { text += String(repeating: "#", count: level) + " " + markdownEscape(s) + "\n\n" }
    mutating func paragraph(_ s: String) { text += s + "\n\n" }
    mutating func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) {
        guard !rows.isEmpty else { return paragraph("_None._") }
        text += "| " + header.joined(separator: " | ") + " |\n"
        text += "|" + header.indices.map { numeric.contains($0) ? "---:|" : "---|" }.joined() + "\n"
        for row in rows { text += "| " + row.joined(separator: " | ") + " |\n" }
        text += "\n"
    }
}
