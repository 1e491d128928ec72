import Foundation

/// How `--company` finds an organization: case-insensitively, by its whole name, any word
/// of its name, or an alias (whole, or any word of it). Subsidiaries are added by the store.
public enum CompanyMatch {
    /// The lower-cased name, its words, each alias and its words.
    public static func terms(name: String, aliases: [String]) -> Set<String> {
        var terms = Set<String>()
        for text in [name] + aliases {
            let folded = normalize(text)
            guard !folded.isEmpty else { continue }
            terms.insert(folded)
            for word in words(folded) { terms.insert(word) }
        }
        return terms
    }

    /// The form a query and a stored term are compared in: case- and width-folded, spaces collapsed.
    public static func normalize(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func words(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}
