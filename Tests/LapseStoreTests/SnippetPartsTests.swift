import Foundation
import Testing
import LapseCore
@testable import LapseStore

/// `SearchHit.parts(highlighting:)` reads back the store's own snippets: whatever brackets the
/// text holds, the matched words come out as matches and everything else as the text it is.
@Suite("Search snippet parts")
struct SnippetPartsTests {
    /// The snippet the store makes of `text` for `query`, cut into parts.
    func parts(_ text: String, _ query: String) throws -> (snippet: String, parts: [SnippetPart]) {
        let expression = try SearchExpression(parsing: query)
        let words = expression.highlights
        let snippet = SearchSnippet.make(text, terms: words.prefixes.map(SearchSnippet.fold), whole: words.whole.map(SearchSnippet.fold))
        let hit = SearchHit(kind: .event, incident: "x", label: "statement", at: nil, snippet: snippet, score: 0)
        return (snippet, hit.parts(highlighting: expression))
    }

    @Test("brackets of the text stay text; a matched word in brackets is a match inside them", arguments: [
        ("Letter [redacted] says sorry", "sorry", ["Letter [redacted] says ", "<sorry>"]),
        ("Letter [redacted] says sorry", "redacted", ["Letter [", "<redacted>", "] says sorry"]),
        ("[[breach]] and [breach", "breach", ["[[", "<breach>", "]] and [", "<breach>"]),
        ("a]b[c [x] Breach", "breach", ["a]b[c [x] ", "<Breach>"]),
        ("Bréach [bréach] of AT&T", "breach AT&T", ["<Bréach>", " [", "<bréach>", "] of ", "<AT>", "&", "<T>"]),
        ("[full] story, full [story] end", "\"full story\"", ["[", "<full>", "] ", "<story>", ", ", "<full>", " [", "<story>", "] end"]),
        ("nothing [here] matches [x] now", "zebra", ["nothing [here] matches [x] now"]),
    ])
    func cases(_ text: String, _ query: String, _ expected: [String]) throws {
        let (_, parts) = try parts(text, query)
        #expect(parts.map { $0.match ? "<\($0.text)>" : $0.text } == expected)
    }

    @Test("a long matched word, cut by the store, is one match with its ellipsis")
    func longWord() throws {
        let word = "breach" + String(repeating: "x", count: 80)
        let (snippet, parts) = try parts("see [\(word)] now", "breach")
        #expect(snippet.contains("[[" + word.prefix(60) + "…]]"), "\(snippet)")
        #expect(parts.filter(\.match).map(\.text) == [word.prefix(60) + "…"])
        #expect(parts.map(\.text).joined() == "see [" + word.prefix(60) + "…] now")
    }

    @Test("on texts made of brackets, words and markup, the parts give back the text and exactly its matched words")
    func generated() throws {
        // A fixed sequence of pseudo-random texts, so a failure repeats.
        var seed: UInt64 = 0x9E3779B97F4A7C15
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let pieces = ["[", "]", "[[", "]]", "breach", "Breach", "bréach", "breaches", "redacted", "x", "…", "<b>", "</b>", "'s", "a]b[c",
                      "[sic]", "AT&T", "é", "9", " ", " ", " ", ", ", "—"]
        let queries = ["breach", "redacted", "\"breach x\"", "AT&T", "bre OR redacted", "x"]
        for _ in 0..<3000 {
            // Mostly short enough for the store to show the whole text (under 16 words and 90 characters).
            var text = ""
            for _ in 0..<(1 + next(14)) { text += pieces[next(pieces.count)] }
            let query = queries[next(queries.count)]
            let expression = try SearchExpression(parsing: query)
            let (snippet, parts) = try parts(text, query)
            let marked = parts.map { $0.match ? "[\($0.text)]" : $0.text }.joined()
            #expect(marked == snippet, "the parts mark what the store marked: \(text.debugDescription) for \(query)")
            let words = text.split { !($0.isLetter || $0.isNumber) }
            guard words.count < 16, text.count <= 90 else { continue }
            // The store drops the separator after the last word it shows; compare up to there.
            let shown = parts.map(\.text).joined()
            #expect(text.hasPrefix(shown), "\(text.debugDescription) for \(query): \(shown.debugDescription)")
            let h = expression.highlights
            let prefixes = h.prefixes.map(SearchSnippet.fold), whole = h.whole.map(SearchSnippet.fold)
            let matched = words.filter { word in
                let folded = SearchSnippet.fold(String(word))
                return prefixes.contains { folded.hasPrefix($0) } || whole.contains(folded)
            }.map(String.init)
            #expect(parts.filter(\.match).map(\.text) == matched, "\(text.debugDescription) for \(query)")
        }
    }
}
