import Foundation
import Testing
@testable import LapseCore

@Suite("Search query grammar")
struct SearchExpressionTests {
    typealias E = SearchExpression

    @Test("words must all match; quoted phrases, OR and -word parse into clauses and exclusions")
    func grammar() throws {
        #expect(try E(parsing: "sincerest apologies") == E(clauses: [[.word("sincerest")], [.word("apologies")]]))
        #expect(try E(parsing: "\"full story\" sony") == E(clauses: [[.phrase("full story")], [.word("sony")]]))
        #expect(try E(parsing: "breach OR intrusion sony") == E(clauses: [[.word("breach"), .word("intrusion")], [.word("sony")]]))
        #expect(try E(parsing: "a OR \"b c\" OR d") == E(clauses: [[.word("a"), .phrase("b c"), .word("d")]]))
        #expect(try E(parsing: "apology -sincerest -\"full story\"")
                == E(clauses: [[.word("apology")]], excluded: [.word("sincerest"), .phrase("full story")]))
        #expect(try E(parsing: "or and") == E(clauses: [[.word("or")], [.word("and")]]), "only upper-case OR is the operator")
        #expect(try E(parsing: "8-K AT&T") == E(clauses: [[.word("8-K")], [.word("AT&T")]]), "a hyphen inside a word is no exclusion")
        #expect(try E(parsing: "\"unclosed phrase") == E(clauses: [[.phrase("unclosed phrase")]]))
        #expect(try E(parsing: "   ").isEmpty)
    }

    @Test("FTS5 syntax typed by a user is text, or a clear error when it holds nothing to search for")
    func injection() throws {
        #expect(try E(parsing: "NEAR(a b)") == E(clauses: [[.word("NEAR(a")], [.word("b)")]]))
        #expect(try E(parsing: "title:x") == E(clauses: [[.word("title:x")]]))
        for text in ["*", "^", "\"\"", "\"", "a OR", "OR a", "a OR -b", "-a", "- -", "a & b"] {
            #expect(throws: SearchSyntaxError.self, "\(text)") { try E(parsing: text) }
        }
        #expect(throws: SearchSyntaxError(message: "\"*\" has no letter or digit to search for; search words, not symbols")) {
            try E(parsing: "sony *")
        }
    }

    @Test("the words shown as matches: prefixes for plain words, whole words for phrases and split words")
    func highlights() throws {
        let h = try E(parsing: "apolog \"full story\" AT&T -sincerest").highlights
        #expect(h.prefixes == ["apolog"])
        #expect(h.whole == ["full", "story", "AT", "T"])
    }
}
