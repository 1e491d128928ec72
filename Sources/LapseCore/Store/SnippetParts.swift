import Foundation

/// A run of a search hit's snippet: text as stored, and whether it is a word the query matched.
public struct SnippetPart: Sendable, Hashable, Codable {
    public var text: String
    public var match: Bool

    public init(_ text: String, match: Bool) {
        self.text = text
        self.match = match
    }
}

extension SearchHit {
    /// The snippet cut into runs, the matched words apart from the text around them.
    ///
    /// A store writes each matched word of `snippet` between `[` and `]`, and leaves the text's
    /// own brackets as they are, so the brackets alone cannot tell a marker from text (a summary
    /// may well say "[redacted]"). A marker is always a `[` right before a whole word (a run of
    /// letters and digits, cut with `…` when long) that `query` matches as the store matches it,
    /// and a `]` right after it; a word the query matches always gets one. So a bracket is read
    /// as a marker only there: "[redacted]" stays text unless the query matches "redacted", and
    /// then the store wrote "[[redacted]]".
    public func parts(highlighting query: SearchExpression) -> [SnippetPart] {
        SnippetParts(query).parts(of: snippet)
    }
}

/// Reads a snippet's `[word]` markers back, given the query whose matches they mark.
struct SnippetParts {
    /// The query's words as the index folds them (case and accents): those matched as the start
    /// of a word, and those matched whole.
    let prefixes: [String]
    let whole: [String]
    /// How much of a word is folded to compare: enough for the longest term, with room for
    /// folding that shortens it.
    let compared: Int

    init(_ query: SearchExpression) {
        let words = query.highlights
        prefixes = words.prefixes.map(Self.fold)
        whole = words.whole.map(Self.fold)
        compared = ((prefixes + whole).map(\.count).max() ?? 0) + 8
    }

    static func fold(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Whether the store counts `word` as a match: it begins with a prefix term or is a whole one.
    func matches(_ word: Substring) -> Bool {
        guard !word.isEmpty, !(prefixes.isEmpty && whole.isEmpty) else { return false }
        let start = word.prefix(compared)
        let folded = start.utf8.allSatisfy { $0 < 0x80 } ? start.lowercased() : Self.fold(String(start))
        return prefixes.contains { folded.hasPrefix($0) } || whole.contains(folded)
    }

    func parts(of snippet: String) -> [SnippetPart] {
        var parts: [SnippetPart] = []
        var text = ""
        var i = snippet.startIndex
        while i < snippet.endIndex {
            if snippet[i] == "[", let (word, end) = marked(snippet, after: i) {
                if !text.isEmpty { parts.append(SnippetPart(text, match: false)) }
                text = ""
                parts.append(SnippetPart(String(word), match: true))
                i = end
                continue
            }
            text.append(snippet[i])
            i = snippet.index(after: i)
        }
        if !text.isEmpty { parts.append(SnippetPart(text, match: false)) }
        return parts
    }

    /// The word a marker at `open` encloses (with its `…` when cut) and the index after its `]`;
    /// nil when the bracket is text.
    private func marked(_ s: String, after open: String.Index) -> (Substring, String.Index)? {
        let start = s.index(after: open)
        var end = start
        while end < s.endIndex, s[end].isLetter || s[end].isNumber { end = s.index(after: end) }
        guard end > start, matches(s[start..<end]) else { return nil }
        var close = end
        if close < s.endIndex, s[close] == "]" { return (s[start..<end], s.index(after: close)) }
        guard close < s.endIndex, s[close] == "…" else { return nil }
        close = s.index(after: close)
        guard close < s.endIndex, s[close] == "]" else { return nil }
        return (s[start..<close], s.index(after: close))
    }
}
