import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LapseApp
import LapseCore
import LapsePostgres
import LapseServer
import PostgresTestSupport
import Testing

@Suite("Servers on PostgreSQL")
struct PostgresServerTests {
    /// Two servers, each with its own store (its own connections) on one PostgreSQL database.
    @Test("two servers on one PostgreSQL database: a token made through one works on both, and events logged at once through both are all kept, each with its author")
    func twoServers() async throws {
        guard let cluster = PostgresCluster.forTest(fail: { Issue.record("\($0)") }) else { return }
        let url = try cluster.newDatabase()
        let first = try PostgresStore.open(url: url), second = try PostgresStore.open(url: url)
        defer { first.close(); second.close() }
        _ = try DocumentImport(store: first).run(try DocumentImport.files(expanding: [Fixture.sampleData.path]), dryRun: false,
                                                 as: ChangeContext(author: "setup", command: "import sample-data"))
        let eddie = try TokenManager(store: first).create(name: "eddie", role: .editor).secret
        let ella = try TokenManager(store: second).create(name: "ella", role: .editor).secret
        let servers = [first, second].map { store in
            Application(router: LapseServer(store: store, tokens: store, settings: ServerSettings(maxBodyBytes: 64 * 1024)).router())
        }
        let before = try #require(try first.incident(withID: "psn-2011")).events.count
        try await servers[0].test(.router) { one in
            try await servers[1].test(.router) { two in
                // Each server knows the token the other made.
                #expect(try await one.call(.get, "/api/v1/incidents/psn-2011", token: ella).status == .ok)
                #expect(try await two.call(.get, "/api/v1/incidents/psn-2011", token: eddie).status == .ok)
                try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for n in 0..<12 {
                        let (client, token): (any TestClientProtocol, String) = n % 2 == 0 ? (one, eddie) : (two, ella)
                        group.addTask {
                            try await client.call(.post, "/api/v1/incidents/psn-2011/events", token: token,
                                                  json: #"{"type": "statement", "at": "2011-05-\#(String(format: "%02d", n + 2))", "summary": "statement \#(n)"}"#).status
                        }
                    }
                    for try await status in group { #expect(status == .created) }
                }
                let events = try array(try await two.call(.get, "/api/v1/incidents/psn-2011/events", token: eddie).body)
                #expect(events.count == before + 12)
                for n in 0..<12 { #expect(events.contains { $0["summary"] as? String == "statement \(n)" }, "statement \(n)") }
            }
        }
        let authors = try first.changes(selectedBy: ChangeFilter(recordID: "psn-2011", kind: .incident), limit: 12).map(\.author)
        #expect(authors.filter { $0 == "eddie" }.count == 6 && authors.filter { $0 == "ella" }.count == 6, "\(authors)")
    }
}
