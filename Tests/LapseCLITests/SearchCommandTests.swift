import Foundation
import Testing

@Suite("search: the query grammar and filters on real texts")
struct SearchCommandTests {
    /// Hits of `search` as JSON: (kind, incident, label, snippet), the snippet with each part
    /// JSON marks as a match in [brackets], as the table shows it.
    func hits(_ w: Workspace, _ arguments: [String]) throws -> [(kind: String, incident: String?, label: String, snippet: String)] {
        let r = w.run(["search", "--format", "json", "--limit", "50"] + arguments)
        try #require(r.code == 0, "\(arguments): \(r.err)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        return try rows.map { row in
            let parts = try #require(row["parts"] as? [[String: Any]])
            let texts = parts.map { $0["text"] as? String ?? "" }
            #expect(texts.joined() == row["snippet"] as? String, "the parts make up the snippet")
            let marked = zip(parts, texts).map { $0["match"] as? Bool == true ? "[\($1)]" : $1 }.joined()
            return (row["kind"] as? String ?? "", row["incident"] as? String, row["label"] as? String ?? "", marked)
        }
    }

    func samples() throws -> Workspace {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        return w
    }

    /// The AT&T, 8-K and attorneys texts, with Equifax's "$1.8 million" of shares.
    func tokens() throws -> Workspace {
        let w = try Workspace()
        let r = w.run(["import", try fixture("search/tokens.json"), sampleData + "/equifax-2017.json"])
        #expect(r.code == 0, "\(r.err)")
        return w
    }

    @Test("a quoted phrase matches its words next to each other; the words alone match more")
    func phrase() throws {
        let w = try samples()
        let phrase = try hits(w, ["\"full story\""])
        #expect(phrase.map(\.incident) == ["psn-2011"])
        #expect(phrase.first?.snippet.contains("[full] [story]") == true)
        let table = w.run(["search", "\"full story\""])
        #expect(table.out.contains("[full] [story]"), "the table shows the matches in brackets: \(table.out)")
        #expect(try hits(w, ["\"story full\""]).isEmpty, "the words in another order are not the phrase")
        let words = try hits(w, ["full", "story"])
        #expect(words.count >= phrase.count)
    }

    @Test("OR matches either term; -word leaves out hits containing it")
    func orAndExclusion() throws {
        let w = try samples()
        let sincerest = try hits(w, ["sincerest"]), hirai = try hits(w, ["hirai"])
        #expect(!sincerest.isEmpty && !hirai.isEmpty)
        let either = try hits(w, ["sincerest OR hirai"])
        #expect(either.count >= max(sincerest.count, hirai.count) && either.count <= sincerest.count + hirai.count)
        #expect(either.allSatisfy { $0.snippet.contains("[Hirai]") || $0.snippet.contains("[sincerest]") })
        let apologies = try hits(w, ["apolog"])
        let without = try hits(w, ["apolog -sincerest"])
        #expect(!without.isEmpty && without.count < apologies.count)
        #expect(without.allSatisfy { !$0.snippet.lowercased().contains("sincerest") })
        let separate = w.run(["search", "--db", w.db, "--format", "json", "--limit", "50", "--", "apolog", "-sincerest"], passDB: false)
        #expect(separate.code == 0, "\(separate.err)")
        #expect(!without.isEmpty && separate.out == w.run(["search", "--format", "json", "--limit", "50", "apolog -sincerest"]).out,
                "separate arguments after --")
    }

    @Test("AT&T and 8-K are searched as the tokens a person means, not attorneys or $1.8 million")
    func splitWords() throws {
        let w = try tokens()
        let att = try hits(w, ["AT&T"])
        #expect(Set(att.compactMap(\.incident)) == ["att-2024"])
        #expect(!att.contains { $0.incident == "uber-2016" }, "attorneys is not AT&T")
        #expect(att.allSatisfy { $0.snippet.contains("[AT]&[T]") && !$0.snippet.contains("[that]") })
        #expect(try hits(w, ["attorneys"]).map(\.incident) == ["uber-2016"])
        let form = try hits(w, ["8-K"])
        #expect(form.map(\.label) == ["filing"])
        #expect(form.first?.snippet.contains("[8]-[K]") == true)
        #expect(try hits(w, ["million"]).contains { $0.snippet.contains("$1.8 [million]") }, "the text is there to be mismatched")
        #expect(try hits(w, ["AT&T", "8-K"]).map(\.label) == ["filing"])
    }

    @Test("FTS5 syntax in a query is searched as text or refused with a clear error, never an SQLite error")
    func injection() throws {
        let w = try tokens()
        for text in ["NEAR(AT&T call)", "title:x", "AT&T*", "\"unbalanced (quote", "8-K^", "{title summary}: x", "'8-K'"] {
            let r = w.run(["search", text])
            #expect(r.code == 0, "\(text): \(r.err)")
            #expect(!r.err.lowercased().contains("sql") && !r.err.lowercased().contains("fts5"), "\(text)")
        }
        #expect(try hits(w, ["(call", "logs)"]).map(\.incident).contains("att-2024"), "brackets are punctuation, not grouping")
        #expect(try hits(w, ["title:AT&T"]).isEmpty, "a column filter is text: the words title, at, t")
        for text in ["\"", "*", "^", "OR", "AT&T OR", "a\"\"b", "AT&T -"] {
            let r = w.run(["search", text])
            #expect(r.code == 64, "\(text)")
            #expect(r.err.contains("search:"), "\(text): \(r.err)")
            #expect(!r.err.lowercased().contains("sql"), "\(text)")
        }
    }

    @Test("--type, --company, --since and --until select the events searched")
    func filters() throws {
        let w = try tokens()
        #expect(try hits(w, ["breach", "--type", "penalty"]).allSatisfy { $0.kind == "event" && $0.label == "penalty" })
        #expect(try hits(w, ["breach", "--type", "penalty"]).map(\.incident).contains("uber-2016"))
        #expect(try hits(w, ["million", "--company", "uber"]).map(\.incident) == ["uber-2016"])
        let equifax = try hits(w, ["million", "--company", "Equifax Inc."])
        #expect(!equifax.isEmpty && equifax.allSatisfy { $0.incident == "equifax-2017" })
        #expect(try hits(w, ["AT&T", "--since", "2024-05"]).map(\.label) == ["filing"])
        #expect(try hits(w, ["AT&T", "--until", "2024-04"]).map(\.label) == ["detection"])
        #expect(try hits(w, ["breach", "--since", "2018-09-26", "--until", "2018-09-26"]).map(\.incident) == ["uber-2016"])
        #expect(try hits(w, ["AT&T", "--type", "penalty"]).isEmpty)
        #expect(w.run(["search", "x", "--since", "soon"]).code == 64)
        #expect(w.run(["search", "x", "--type", "nonsense"]).code == 64)
    }
}
