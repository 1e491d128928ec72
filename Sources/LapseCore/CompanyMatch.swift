import Foundation

/// How `--company` finds an organization: case-insensitively, by its id, its whole name, any
/// word of its name, or an alias (whole, or any word of it). Words that name a legal form or
/// join words ("Inc", "Corporation", "Group", "of") do not match alone: `--company inc` would
/// otherwise find every company. Subsidiaries are added by the store.
public enum CompanyMatch {
    /// Words too common in company names to identify one.
    public static let commonWords: Set<String> = [
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co", "company", "plc", "ag", "gmbh",
        "sa", "sas", "nv", "bv", "kk", "pty", "group", "holdings", "holding", "the", "of", "and", "for", "de", "la", "&",
    ]

    /// The id, the lower-cased name, its distinctive words, each alias and its distinctive words.
    public static func terms(id: String? = nil, name: String, aliases: [String]) -> Set<String> {
        var terms = Set<String>()
        if let id { terms.insert(id) }
        for text in [name] + aliases {
            let folded = normalize(text)
            guard !folded.isEmpty else { continue }
            terms.insert(folded)
            for word in words(folded) where !commonWords.contains(word) { terms.insert(word) }
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
