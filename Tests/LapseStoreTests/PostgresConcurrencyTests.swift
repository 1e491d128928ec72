import Foundation
import LapseCore
@testable import LapsePostgres
import PostgresTestSupport
import Testing

/// Many clients on one PostgreSQL database, each with its own connections, as a team works.
@Suite("PostgreSQL: clients at once")
struct PostgresConcurrencyTests {
    /// A fresh database's URL, or nil after saying why there is none.
    static func database() throws -> String? {
        try PostgresCluster.forTest(fail: { Issue.record("\($0)") })?.newDatabase()
    }

    static func version(_ label: String, events: Int) -> Incident {
        Incident(id: "shared", title: "Version \(label)", organization: "acme", kinds: [.breach],
                 events: (0..<events).map { Event(type: .statement, at: t("2020-01-01"), summary: "\(label) \($0)") })
    }

    @Test("eight clients logging events into the same incident at once all succeed, and every event is there")
    func eightLoggers() throws {
        guard let url = try Self.database() else { return }
        let setup = try PostgresStore.open(url: url)
        try setup.importing { sink in
            try sink.add(StoreContractTests.acme, at: RecordLocation())
            try sink.add(Self.version("base", events: 2), at: RecordLocation())
        }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { client in
            do {
                let store = try PostgresStore.open(url: url)
                defer { store.close() }
                for n in 0..<5 {
                    _ = try store.appendEvent(Event(type: .statement, at: t("2020-02-0\(n + 1)"), summary: "client \(client) event \(n)"),
                                              toIncident: "shared", allowDuplicate: false,
                                              as: ChangeContext(author: "client \(client)", command: "log shared"))
                }
            } catch {
                failures.add("client \(client): \(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        let stored = try #require(try setup.incident(withID: "shared"))
        let summaries = stored.events.compactMap(\.summary)
        #expect(stored.events.count == 2 + 8 * 5)
        for client in 0..<8 {
            for n in 0..<5 { #expect(summaries.filter { $0 == "client \(client) event \(n)" }.count == 1, "client \(client) event \(n)") }
        }
        let logged = try setup.changes(selectedBy: ChangeFilter(recordID: "shared", kind: .incident), limit: nil)
        #expect(logged.count == 1 + 8 * 5, "one change per event logged, after the import")
        setup.close()
    }

    @Test("two imports replacing the same incident at once leave one whole version, never a mix")
    func twoReplacingImports() throws {
        guard let url = try Self.database() else { return }
        let setup = try PostgresStore.open(url: url)
        defer { setup.close() }
        try setup.importing { sink in
            try sink.add(StoreContractTests.acme, at: RecordLocation())
            try sink.add(Self.version("base", events: 3), at: RecordLocation())
        }
        let versions = [Self.version("A", events: 40), Self.version("B", events: 70)]
        for round in 0..<5 {
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 2) { n in
                do {
                    let store = try PostgresStore.open(url: url)
                    defer { store.close() }
                    try store.importing { sink in
                        try sink.add(StoreContractTests.acme, at: RecordLocation())
                        try sink.add(versions[n], at: RecordLocation())
                    }
                } catch {
                    failures.add("import \(n): \(error)")
                }
            }
            #expect(failures.all.isEmpty, "round \(round): \(failures.all)")
            let stored = try #require(try setup.incident(withID: "shared"))
            let whole = versions.first { $0.title == stored.title }
            #expect(whole != nil, "round \(round): title \(stored.title)")
            #expect(stored.events == whole?.events, "round \(round): the events are not those of \(stored.title) alone")
        }
    }
}

/// Errors collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ text: String) { lock.lock(); list.append(text); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
}

@Suite("PostgreSQL search words")
struct PostgresSearchWordsTests {
    /// The byte-wise reading of ASCII text must find exactly the words of the general one.
    @Test("ASCII text is split into the same words as by folding and splitting Characters", arguments: [
        "Sony Computer Entertainment Inc.", "T-Mobile US, Inc. (\"T-Mobile\")", "PSN_2011: 77,000,000 accounts; e-mail@x.org",
        "  leading and trailing  ", "", "!!!", "a1b2 C3D4\tE5\r\nf6", "O'Brien & Sons -- re:breach v2.0",
        "Hôtel Équifax — naïve café", "mixed ASCII then é",
    ])
    func asciiWords(_ text: String) {
        let general = SearchExpression.tokens(SearchSnippet.fold(text)).map { $0.lowercased() }
        #expect(SearchText.words(text) == general)
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            #expect(SearchText.asciiWords(text) == general)
        } else {
            #expect(SearchText.asciiWords(text) == nil)
        }
    }

    @Test("a word longer than PostgreSQL takes (2,046 bytes) is kept as its first characters, in text and queries alike")
    func longWords() {
        let long = String(repeating: "ж", count: 1500)
        let words = SearchText.words("short " + long)
        #expect(words.count == 2)
        #expect(words[1].utf8.count <= 2046 && words[1].utf8.count >= 2044)
        #expect(SearchText.words(long) == [words[1]])
    }
}
