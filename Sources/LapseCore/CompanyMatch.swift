import Foundation

/// How `--company` finds an organization, the way people type names: case, accents,
/// punctuation, hyphens and legal-form words ("Inc", "LLC", "Corporation", "Group") do not
/// matter, so "T-Mobile", "T Mobile" and "t-mobile us, inc." all find "T-Mobile USA". A query
/// matches a party's id, its name or an alias whole, or as a phrase of whole words inside the
/// name or an alias ("Uber Technologies" finds "Uber Technologies, Inc."; "son" does not find
/// "Sony"), the last word of a longer phrase also as the start of a word ("t-mobile us" finds
/// "T-Mobile USA"). A query made only of legal-form or joining words ("inc", "group of") matches a
/// name only whole: `--company inc` would otherwise find every company. Subsidiaries are added
/// by the store.
public enum CompanyMatch {
    /// How well a party matches a query, best last.
    public enum Rank: Int, Comparable, Sendable, CustomStringConvertible {
        /// The query's words appear as a phrase in the name or an alias.
        case word = 1
        /// The name or an alias is the query once case, punctuation and legal forms are ignored.
        case normalizedName = 2
        /// The name or an alias is the query, ignoring case only.
        case exactName = 3
        /// The query is the party's id.
        case exactID = 4

        public static func < (a: Rank, b: Rank) -> Bool { a.rawValue < b.rawValue }

        public var description: String {
            switch self {
            case .word: "word"
            case .normalizedName: "normalised name"
            case .exactName: "exact name"
            case .exactID: "exact id"
            }
        }
    }

    /// Legal forms and words companies add to their names; ignored when comparing names.
    public static let legalForms: Set<String> = [
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co", "company", "plc", "ag", "gmbh",
        "sa", "sas", "nv", "bv", "kk", "pty", "group", "holdings", "holding", "the",
    ]

    /// Words too common in company names to identify one on their own.
    public static let commonWords: Set<String> = legalForms.union(["of", "and", "for", "de", "la", "&"])

    /// How well the party matches the query, or nil when it does not.
    public static func rank(query: String, id: String, name: String, aliases: [String]) -> Rank? {
        let q = Query(query)
        return q.rank(id: id, names: [name] + aliases)
    }

    /// The parties a query matches, best first (then by name and id).
    public static func matches(_ query: String, in parties: [Party]) -> [(party: Party, rank: Rank)] {
        let q = Query(query)
        return parties.compactMap { p in q.rank(id: p.id, names: [p.name] + p.aliases).map { (p, $0) } }
            .sorted { a, b in a.rank != b.rank ? a.rank > b.rank : (a.party.name, a.party.id) < (b.party.name, b.party.id) }
    }

    /// A query prepared once for matching many parties.
    public struct Query: Sendable {
        let text: String
        let folded: String
        let words: [String]
        let joined: String
        /// False when the query has only legal-form or joining words: it then matches whole names only.
        let distinctive: Bool

        public init(_ text: String) {
            self.text = text.trimmingCharacters(in: .whitespaces)
            folded = fold(text)
            words = significantWords(text)
            joined = words.joined()
            distinctive = words.contains { !commonWords.contains($0) }
        }

        /// How well a party with this id and these names (its name, then its aliases) matches.
        public func rank(id: String, names: [String]) -> Rank? {
            if text == id || folded == id { return .exactID }
            var best: Rank?
            for name in names {
                let r = rank(name: name)
                if let r, best.map({ r > $0 }) ?? true { best = r }
                if best == .exactName { break }
            }
            return best
        }

        func rank(name: String) -> Rank? {
            if !folded.isEmpty && fold(name) == folded { return .exactName }
            let nameWords = significantWords(name)
            guard !words.isEmpty, !nameWords.isEmpty else { return nil }
            if nameWords == words || nameWords.joined() == joined { return .normalizedName }
            guard distinctive, words.count <= nameWords.count else { return nil }
            // A phrase of two or more words may end in the start of a word ("t-mobile us" finds
            // "T-Mobile USA"); a single word must be whole ("son" does not find "Sony").
            let last = words.count - 1
            for start in 0...(nameWords.count - words.count) {
                let run = nameWords[start..<start + words.count]
                if zip(run, words).enumerated().allSatisfy({ i, pair in
                    pair.0 == pair.1 || (i == last && last > 0 && pair.0.hasPrefix(pair.1))
                }) { return .word }
            }
            return nil
        }
    }

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

    /// The form of the stored terms: case- and width-folded, spaces collapsed.
    public static func normalize(_ text: String) -> String {
        if let ascii = ASCIIName(text) { return ascii.normalized }
        return normalizeAnyText(text)
    }

    static func normalizeAnyText(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The form a query and a name are compared in whole: `normalize`d and accent-folded.
    public static func fold(_ text: String) -> String {
        if let ascii = ASCIIName(text) { return ascii.normalized }
        return foldAnyText(text)
    }

    static func foldAnyText(_ text: String) -> String {
        normalizeAnyText(text).folding(options: .diacriticInsensitive, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// The words of a name without punctuation or legal forms: "T-Mobile US, Inc." is `t mobile us`.
    /// Apostrophes join ("McDonald's" is `mcdonalds`); other punctuation separates.
    public static func significantWords(_ text: String) -> [String] {
        if let ascii = ASCIIName(text) { return ascii.words.filter { !legalForms.contains($0) } }
        return significantWordsAnyText(text)
    }

    static func significantWordsAnyText(_ text: String) -> [String] {
        let folded = foldAnyText(text).replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "\u{2019}", with: "")
        return words(folded).filter { !legalForms.contains($0) }
    }

    /// The key under which two names count as one party's ("Humana, Inc." and "Humana"): the
    /// significant words joined by spaces; empty when the name has none.
    public static func nameKey(_ text: String) -> String {
        significantWords(text).joined(separator: " ")
    }

    static func words(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}

/// A name in printable ASCII folded byte by byte, as Foundation folds it: case folding is
/// lower-casing A-Z, width and accents leave ASCII as it is, white space is the six ASCII
/// white-space characters, letters and digits are a-z and 0-9. Comparing a query with every
/// party's names is then a few hundred nanoseconds a name instead of tens of microseconds.
/// Any other text (non-ASCII) takes the general path; a test compares the two on real names.
struct ASCIIName {
    /// `normalize` (and `fold`): lower-cased, white space collapsed to single spaces, trimmed.
    let normalized: String
    /// The words of `significantWords` before legal forms are dropped: runs of letters and
    /// digits, an apostrophe joining its neighbours.
    let words: [String]

    init?(_ text: String) {
        var folded: [UInt8] = [], word: [UInt8] = [], words: [String] = []
        folded.reserveCapacity(text.utf8.count)
        var space = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                space = !folded.isEmpty
            } else {
                if space { folded.append(0x20); space = false }
                folded.append(lower)
            }
            if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) {
                word.append(lower)
            } else if lower != 0x27 && !word.isEmpty {
                words.append(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        normalized = String(decoding: folded, as: UTF8.self)
        self.words = words
    }
}
