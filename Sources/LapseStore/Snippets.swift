import Foundation

/// The matching words of a hit shown in [brackets], in a window of about sixteen words and a few
/// hundred characters: a stored text may be megabytes long, or one endless word.
enum SearchSnippet {
    /// The query's words, folded as the index folds them (case and accents).
    static func terms(_ query: String) -> [String] {
        query.split { !($0.isLetter || $0.isNumber) }.map { fold(String($0)) }
    }

    static func fold(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Longest run of a word or of the text between two words that a snippet shows whole.
    static let longestPiece = 60
    /// Characters shown before the first match, and from it on.
    static let before = 100, from = 200

    /// One word and the separators after it, as ranges of the text.
    private struct Word {
        var word: Range<String.Index>
        var after: Range<String.Index>
    }

    /// `terms` match the start of a word, `whole` only a whole word.
    static func make(_ text: String, terms: [String], whole: [String] = [], window: Int = 16) -> String {
        // Read words only up to the first match and `window` words past it: the cost and the
        // snippet stay bounded however long the text is.
        var earlier: [Word] = []   // the last `window` words before the match
        var skipped = 0            // words dropped from the front of `earlier`
        var later: [Word] = []     // the match and the words after it, plus one to know if more follow
        var index = text.startIndex
        let bytes = text.utf8
        // Whether the character at `index` is part of a word, and where the next one starts. An
        // ASCII byte followed by another (or by the end) is a character on its own: it is read
        // as a byte, many times faster than as a Character.
        func step() -> (isWord: Bool, next: String.Index) {
            let byte = bytes[index]
            let after = bytes.index(after: index)
            if byte < 0x80, after == bytes.endIndex || bytes[after] < 0x80 {
                let isWord = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                return (isWord, after)
            }
            let character = text[index]
            return (character.isLetter || character.isNumber, text.index(after: index))
        }
        func nextWord() -> Word? {
            guard index < text.endIndex else { return nil }
            let start = index
            while index < text.endIndex {
                let (isWord, next) = step()
                guard isWord else { break }
                index = next
            }
            let wordEnd = index
            while index < text.endIndex {
                let (isWord, next) = step()
                guard !isWord else { break }
                index = next
            }
            return Word(word: start..<wordEnd, after: wordEnd..<index)
        }
        func matches(_ w: Word) -> Bool {
            !w.word.isEmpty && isMatch(text[w.word], terms, whole)
        }
        var found = false
        while let w = nextWord() {
            if matches(w) {
                later.append(w)
                found = true
                break
            }
            earlier.append(w)
            if earlier.count > window {
                earlier.removeFirst()
                skipped += 1
            }
        }
        if !found {
            // No word matched as the index folds it: show the start of the text.
            earlier = []
            skipped = 0
            index = text.startIndex
        }
        while later.count <= window, let w = nextWord() { later.append(w) }
        // Words before the match: a quarter of the window, or more to fill it near the end (when
        // fewer than `window` words follow, `later` holds them all).
        let shownBefore = earlier.suffix(min(earlier.count, max(window / 4, window - later.count)))
        let shownAfter = later.prefix(window - shownBefore.count)

        // The text before the match keeps within its budget, losing whole words from the front.
        var head = shownBefore.map { piece(text[$0.word], match: false) + piece(text[$0.after], match: false) }
        var headLength = head.reduce(0) { $0 + $1.count }
        var dropped = skipped + earlier.count > shownBefore.count
        while headLength > before, !head.isEmpty {
            headLength -= head.removeFirst().count
            dropped = true
        }
        var out = (dropped ? "…" : "") + head.joined()
        var length = 0
        var cut = later.count > shownAfter.count
        for (i, w) in shownAfter.enumerated() {
            let word = piece(text[w.word], match: matches(w))
            if i > 0, length + word.count > from {
                cut = true
                break
            }
            let after = i < shownAfter.count - 1 ? piece(text[w.after], match: false) : ""
            out += word + after
            length += word.count + after.count
        }
        if cut { out += "…" }
        return out
    }

    /// A word (in [brackets] when it matches) or separator, cut short with an ellipsis when long.
    private static func piece(_ text: Substring, match: Bool) -> String {
        let shown = text.count > longestPiece ? text.prefix(longestPiece) + "…" : String(text)
        return match ? "[\(shown)]" : shown
    }

    /// Whether a word begins with one of the folded terms or is one of the whole ones. Plain
    /// ASCII words are folded by lower-casing, cheaply: a long text has hundreds of thousands of them.
    private static func isMatch(_ word: Substring, _ terms: [String], _ whole: [String]) -> Bool {
        guard let longest = (terms + whole).map(\.count).max() else { return false }
        // A prefix of the word is enough to compare, with room for folding that shortens it.
        let start = word.prefix(longest + 8)
        let folded = start.utf8.allSatisfy { $0 < 0x80 } ? start.lowercased() : fold(String(start))
        return terms.contains { folded.hasPrefix($0) } || whole.contains(folded)
    }
}
