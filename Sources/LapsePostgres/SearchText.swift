import Foundation
import LapseCore

/// How the PostgreSQL store makes its full-text values: the store folds and splits text in Swift
/// (as SQLite's `unicode61 remove_diacritics 2` tokenizer does: letters and digits, case and
/// accents ignored) and writes the words as a `tsvector` literal with their positions, so the
/// server's parser and dictionaries never decide what a word is. A query becomes a `tsquery`
/// literal of the same words, bound as a parameter.
enum SearchText {
    /// PostgreSQL keeps positions up to this, and this many positions per word.
    static let lastPosition = 16_383
    static let positionsPerWord = 256
    /// A `tsvector` may not pass 1 MB; words past this much of one are not indexed.
    static let longestVector = 900_000

    /// The folded words of a text, in order.
    static func words(_ text: String) -> [String] {
        if let ascii = asciiWords(text) { return ascii }
        return SearchExpression.tokens(SearchSnippet.fold(text)).map { limited($0.lowercased()) }
    }

    /// The words of an ASCII text, read byte by byte: the same words as folding and splitting by
    /// Character (an ASCII letter or digit is the only ASCII letter or number, and has no accent
    /// to fold), many times faster. Nil when the text is not all ASCII.
    static func asciiWords(_ text: String) -> [String]? {
        var words: [String] = []
        var word: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case 0x80...: return nil
            case 0x30...0x39, 0x61...0x7A: word.append(byte)
            case 0x41...0x5A: word.append(byte + 0x20)
            default:
                if !word.isEmpty {
                    words.append(limited(String(decoding: word, as: UTF8.self)))
                    word.removeAll(keepingCapacity: true)
                }
            }
        }
        if !word.isEmpty { words.append(limited(String(decoding: word, as: UTF8.self))) }
        return words
    }

    /// PostgreSQL refuses a word of more than 2,046 bytes in a `tsvector` or a `tsquery`; a longer
    /// one is kept as its first characters, in the index and in queries alike.
    static let longestWord = 2046

    static func limited(_ word: String) -> String {
        guard word.utf8.count > longestWord else { return word }
        var out = ""
        for character in word {
            if out.utf8.count + character.utf8.count > longestWord { break }
            out.append(character)
        }
        return out
    }

    /// A `tsvector` literal of several columns' words; a gap between columns keeps a phrase
    /// from matching across two of them.
    static func vector(_ columns: [String?]) -> String {
        var positions: [String: [Int]] = [:]
        var order: [String] = []
        var position = 0
        for column in columns {
            guard let column else { continue }
            for word in words(column) {
                position += 1
                if positions[word] == nil {
                    order.append(word)
                    positions[word] = []
                }
                if positions[word]!.count < positionsPerWord { positions[word]!.append(min(position, lastPosition)) }
            }
            position += 1
        }
        var out = ""
        for word in order {
            let entry = quoted(word) + ":" + positions[word]!.map(String.init).joined(separator: ",")
            if out.utf8.count + entry.utf8.count + 1 > longestVector { break }
            if !out.isEmpty { out += " " }
            out += entry
        }
        return out
    }

    /// A `tsquery` literal for a search: a word of one token is a prefix, a word that punctuation
    /// splits and a quoted phrase are phrases of whole words; OR groups, every group must match,
    /// and no excluded term may.
    static func query(_ expression: SearchExpression) -> String {
        func term(_ term: SearchExpression.Term) -> String {
            let tokens = words(term.text)
            if case .word = term, tokens.count == 1 { return quoted(tokens[0]) + ":*" }
            return "(" + tokens.map(quoted).joined(separator: " <-> ") + ")"
        }
        func any(_ terms: [SearchExpression.Term]) -> String {
            "(" + terms.map(term).joined(separator: " | ") + ")"
        }
        var text = expression.clauses.map(any).joined(separator: " & ")
        if !expression.excluded.isEmpty { text = "(" + text + ") & !" + any(expression.excluded) }
        return text
    }

    private static func quoted(_ word: String) -> String {
        // Words hold letters and digits only; the escapes guard the literal all the same.
        if !word.utf8.contains(where: { $0 == 0x27 || $0 == 0x5C }) { return "'" + word + "'" }
        return "'" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
