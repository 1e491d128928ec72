import Foundation

/// A full-text query as a person types it: words (all must match, each as a word or the start of
/// one), quoted phrases (`"full story"`), `OR` between two terms (either may match), and
/// `-word` or `-"a phrase"` to leave out what contains it. A word that punctuation splits into
/// several (`AT&T`, `8-K`) is matched as those words next to each other, whole. A store turns
/// the expression into its own syntax; nothing the user typed reaches it as syntax.
public struct SearchExpression: Sendable, Hashable {
    /// One thing to look for, as typed.
    public enum Term: Sendable, Hashable {
        /// A word: matched as the start of a word, or (when punctuation splits it) as a phrase.
        case word(String)
        /// A quoted phrase: its words next to each other, whole.
        case phrase(String)

        public var text: String {
            switch self {
            case .word(let s), .phrase(let s): s
            }
        }
    }

    /// Every clause must match; a clause matches when any of its terms does.
    public var clauses: [[Term]]
    /// Hits containing any of these are left out.
    public var excluded: [Term]

    public init(clauses: [[Term]] = [], excluded: [Term] = []) {
        self.clauses = clauses
        self.excluded = excluded
    }

    /// Nothing to look for.
    public var isEmpty: Bool { clauses.isEmpty }

    /// The words of the terms to look for, as the index splits them (letters and digits), for
    /// showing matches: those matched as the start of a word, and those matched whole (the words
    /// of phrases and of words that punctuation splits).
    public var highlights: (prefixes: [String], whole: [String]) {
        var prefixes: [String] = [], whole: [String] = []
        for term in clauses.joined() {
            let tokens = Self.tokens(term.text)
            if case .word = term, tokens.count == 1 { prefixes += tokens } else { whole += tokens }
        }
        return (prefixes, whole)
    }

    /// The runs of letters and digits of `text`: the words a full-text index makes of it.
    public static func tokens(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// Parses `text`. Throws `SearchSyntaxError` for a query that cannot mean anything: an `OR`
    /// without a term on each side, a term with no letter or digit (`*`, `^`, `""`), or only
    /// exclusions. An unclosed quote runs to the end of the text.
    public init(parsing text: String) throws(SearchSyntaxError) {
        enum Token: Equatable { case term(Term, negated: Bool), or }
        var tokens: [Token] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c.isWhitespace {
                i = text.index(after: i)
                continue
            }
            var negated = false
            var start = i
            if c == "-", text.index(after: i) < text.endIndex, !text[text.index(after: i)].isWhitespace {
                negated = true
                start = text.index(after: i)
            }
            let term: Term
            if text[start] == "\"" {
                let open = text.index(after: start)
                let close = text[open...].firstIndex(of: "\"") ?? text.endIndex
                term = .phrase(String(text[open..<close]))
                i = close < text.endIndex ? text.index(after: close) : close
            } else {
                let end = text[start...].firstIndex { $0.isWhitespace || $0 == "\"" } ?? text.endIndex
                let word = String(text[start..<end])
                i = end
                if word == "OR" && !negated {
                    tokens.append(.or)
                    continue
                }
                term = .word(word)
            }
            guard !Self.tokens(term.text).isEmpty else {
                throw SearchSyntaxError(message: term.text.trimmingCharacters(in: .whitespaces).isEmpty
                    ? "an empty phrase (\"\") has nothing to search for"
                    : "\"\(term.text)\" has no letter or digit to search for; search words, not symbols")
            }
            tokens.append(.term(term, negated: negated))
        }
        var clauses: [[Term]] = []
        var excluded: [Term] = []
        var joinNext = false
        for (n, token) in tokens.enumerated() {
            switch token {
            case .or:
                guard n > 0, case .term(_, false) = tokens[n - 1], n + 1 < tokens.count, case .term(_, false) = tokens[n + 1] else {
                    throw SearchSyntaxError(message: "OR needs a word or phrase on each side (and neither excluded with -)")
                }
                joinNext = true
            case .term(let term, let negated):
                if negated {
                    excluded.append(term)
                } else if joinNext, !clauses.isEmpty {
                    clauses[clauses.count - 1].append(term)
                } else {
                    clauses.append([term])
                }
                joinNext = false
            }
        }
        if clauses.isEmpty && !excluded.isEmpty {
            throw SearchSyntaxError(message: "a search needs at least one word or phrase to look for, not only -exclusions")
        }
        self.init(clauses: clauses, excluded: excluded)
    }
}

/// A query that cannot be searched, with what is wrong in words a person can act on.
public struct SearchSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// What a search's hits must be besides matching its text: events of these types, of incidents
/// of a company (matched as the query model matches `IncidentFilter.company`, subsidiaries
/// included), on or after `since` and before `before` (the event's first instant, seconds since
/// 1970 UTC). With a type or a date, hits are events only; with a company alone, events and
/// incidents. Parties are returned only without a filter.
public struct SearchFilter: Sendable, Hashable {
    public var eventTypes: [EventType] = []
    public var company: String? = nil
    public var since: Int? = nil
    public var before: Int? = nil

    public init(eventTypes: [EventType] = [], company: String? = nil, since: Int? = nil, before: Int? = nil) {
        self.eventTypes = eventTypes
        self.company = company
        self.since = since
        self.before = before
    }

    public var isEmpty: Bool { eventTypes.isEmpty && company == nil && since == nil && before == nil }
    /// Only events can satisfy a type or a date.
    public var eventsOnly: Bool { !eventTypes.isEmpty || since != nil || before != nil }
}
