import Foundation

/// One escaper per output context. Each works on Unicode scalars (or UTF-8 bytes), never on
/// `Character`s: a grapheme cluster such as U+0600 followed by `<` is not equal to `<`, so an
/// escaper that compares characters lets the `<` through. Text from imported data reaches an
/// output only through one of these.
public enum Escape {
    // MARK: HTML and SVG

    /// HTML text and quoted attribute values: `& < > " '` become entities; control characters
    /// (other than tab and newline) are dropped, and bidirectional controls and line separators
    /// become numeric references, so the file itself carries no raw control that a terminal or
    /// editor would obey.
    public static func html(_ text: String) -> String { markup(text, xml: false) }

    /// SVG and other XML, in text nodes and quoted attributes: as `html`, and characters XML 1.0
    /// forbids (U+FFFE, U+FFFF) are dropped, so the document stays well-formed.
    public static func xml(_ text: String) -> String { markup(text, xml: true) }

    private static func markup(_ text: String, xml: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                if isControl(scalar) || (xml && (scalar.value == 0xFFFE || scalar.value == 0xFFFF)) { continue }
                if isInvisibleFormatting(scalar) {
                    out += "&#x" + String(scalar.value, radix: 16, uppercase: true) + ";"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    // MARK: Markdown

    /// Markdown (GitHub-flavoured) text that renders as written: every ASCII character that can
    /// open or close markup is backslash-escaped wherever it stands, and `-`, `+`, `=` and the
    /// `.` or `)` of a number at the start (where they would begin a list or heading). Line breaks
    /// and tabs become spaces, so data never starts a line; other controls, bidirectional
    /// controls and line separators are shown as visible `\u{…}` escapes.
    public static func markdown(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var atStart = true, leadingDigits = true
        for scalar in text.unicodeScalars {
            defer {
                if !("0"..."9").contains(scalar) { leadingDigits = false }
                atStart = false
            }
            switch scalar {
            case "\\", "`", "*", "_", "{", "}", "[", "]", "<", ">", "(", ")", "#", "!", "|", "~", "&", "$", "@", "^":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case "-", "+", "=":
                if atStart { out += "\\" }
                out.unicodeScalars.append(scalar)
            case "." where leadingDigits && !atStart:
                out += "\\."
            case "\n", "\r", "\t":
                out += " "
            default:
                if isControl(scalar) || isInvisibleFormatting(scalar) {
                    out += "\\\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Text as a Markdown code span (ids, metric names): a fence longer than any run of
    /// backticks inside, pipes escaped for tables, controls shown as `\u{…}`.
    public static func markdownCode(_ text: String) -> String {
        var body = "", longestRun = 0, run = 0
        for scalar in text.unicodeScalars {
            run = scalar == "`" ? run + 1 : 0
            longestRun = max(longestRun, run)
            switch scalar {
            case "|": body += "\\|"
            case "\n", "\r", "\t": body += " "
            default:
                if isControl(scalar) || isInvisibleFormatting(scalar) {
                    body += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    body.unicodeScalars.append(scalar)
                }
            }
        }
        let fence = String(repeating: "`", count: longestRun + 1)
        let pad = longestRun > 0 ? " " : ""
        return fence + pad + body + pad + fence
    }

    // MARK: URLs

    /// A URL for a link destination or a URI property: every byte outside RFC 3986's unreserved
    /// and reserved sets (spaces, quotes, `<`, `>`, `(`, `)`, `|`, backslash, controls, non-ASCII)
    /// percent-encoded. Only for URLs `safeLink` accepted.
    public static func uri(_ url: String) -> String {
        var out = ""
        for byte in url.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "/"),
                 UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"),
                 UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "%"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    // MARK: CSV

    /// One CSV record (its fields as `csv` writes them, and CRLF), appended to `out`.
    public static func appendCSVRecord(_ row: [String], numeric: Set<Int>, terminal: Bool = false, to out: inout String) {
        for (i, cell) in row.enumerated() {
            if i > 0 { out += "," }
            out += csv(cell, numeric: numeric.contains(i), terminal: terminal)
        }
        out += "\r\n"
    }

    /// One CSV record with its CRLF.
    public static func csvRecord(_ row: [String], numeric: Set<Int> = []) -> String {
        var out = ""
        appendCSVRecord(row, numeric: numeric, to: &out)
        return out
    }

    /// A CSV field (RFC 4180): quoted when needed; text a spreadsheet would run as a formula
    /// (`=`, `+`, `-`, `@`, tab, CR first) gets a leading apostrophe unless `numeric`. Data is kept
    /// as written otherwise; `terminal` (CSV printed to a terminal) also shows controls as escapes.
    public static func csv(_ value: String, numeric: Bool = false, terminal: Bool = false) -> String {
        let value = terminal ? Escape.terminal(value) : value
        // Scanned as UTF-8 bytes: this runs for every cell of a million-row export.
        let guardFormula = !numeric && startsFormula(value)
        let needsQuotes = value.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
        }
        let v = guardFormula ? "'" + value : value
        return needsQuotes ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
    }

    /// Whether a spreadsheet would run a cell starting this way as a formula (`=`, `+`, `-`, `@`,
    /// tab, CR), judged on the first byte: a combining mark after `=` does not hide it.
    public static func startsFormula(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
    }

    // MARK: Terminal

    /// One line of untrusted text for a terminal: every control character (ESC, BEL, CR, LF, C1),
    /// bidirectional control and line separator is shown as a visible `\u{…}` escape instead of
    /// being obeyed.
    public static func terminal(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) || isInvisibleFormatting($0) }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) || isInvisibleFormatting(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A whole document (CSV, JSON, Markdown, HTML, ICS) printed to a terminal: as `terminal`,
    /// but line feeds, CR LF pairs and tabs stay, so the document keeps its lines.
    public static func terminalDocument(_ text: String) -> String {
        // Printable ASCII and line breaks (nearly every document) pass as they are.
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 >= 0x7F }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            if scalar == "\n" || scalar == "\t" || (scalar == "\r" && pending == "\n") {
                out.unicodeScalars.append(scalar)
            } else if isControl(scalar) || isInvisibleFormatting(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: JSON

    /// JSON text as `JSONEncoder` wrote it, with the scalars it leaves raw but a terminal or
    /// editor would obey (DEL, C1 controls, bidirectional controls, line separators) written as
    /// `\uXXXX` escapes: the same data, decoded, and nothing raw on screen. Outside strings JSON
    /// is ASCII, so a scalar-level pass only ever touches string contents.
    public static func json(_ encoded: String) -> String {
        guard encoded.utf8.contains(where: { $0 >= 0x7F }) else { return encoded }
        var out = ""
        out.reserveCapacity(encoded.utf8.count)
        for scalar in encoded.unicodeScalars {
            // C0 controls in strings are already escaped by the encoder; the raw ones are its layout.
            if scalar.value >= 0x7F && (isControl(scalar) || isInvisibleFormatting(scalar)) {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: iCalendar

    /// An iCalendar TEXT value (RFC 5545): backslash, semicolon, comma and newlines escaped;
    /// other controls and bidirectional controls dropped (calendar apps show them raw or obey them).
    public static func ics(_ value: String) -> String {
        var out = ""
        var previousCR = false
        for scalar in value.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n" where previousCR: continue
            case "\n", "\r": out += "\\n"
            case "\t": out += " "
            default:
                if isControl(scalar) || isInvisibleFormatting(scalar) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: Character classes

    /// C0 and C1 control characters and DEL.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Characters that change how the text around them is shown without being seen: the
    /// bidirectional embeddings, overrides and isolates (the "Trojan Source" characters), the
    /// implicit marks and the line and paragraph separators.
    static func isInvisibleFormatting(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200E, 0x200F, 0x061C, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

/// The URL when it is safe to link (http or https), else nil: `javascript:` and friends are never links.
public func safeLink(_ url: String) -> String? {
    let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
          scheme == "http" || scheme == "https", components.host?.isEmpty == false else { return nil }
    return trimmed
}
