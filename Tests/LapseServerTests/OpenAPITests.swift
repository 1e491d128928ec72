import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LapseServer
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every (method, path) the document describes, with `{name}` parameters.
    static func documented() throws -> Set<String> {
        let data = try Data(contentsOf: root.appendingPathComponent("Docs/openapi.json"))
        let doc = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(doc["openapi"] as? String == "3.1.0")
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        var result = Set<String>()
        for (path, item) in paths {
            for method in item.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                result.insert("\(method.uppercased()) \(path)")
            }
        }
        return result
    }

    @Test("every API route is documented, and every documented path is routed")
    func routesAgree() throws {
        let fixture = try Fixture()
        let server = LapseServer(store: fixture.store, tokens: fixture.store, settings: ServerSettings())
        let router = server.router()
        try router.validate()
        let routed = Set(router.routes.map { route -> String in
            let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        }.filter { $0.contains(" /api/v1/") })
        let documented = try Self.documented()
        #expect(routed.subtracting(documented).sorted() == [], "routed but not documented")
        #expect(documented.subtracting(routed).sorted() == [], "documented but not routed")
    }

    @Test("the server serves Docs/openapi.json as it is")
    func served() async throws {
        let fixture = try Fixture()
        let docs = try String(contentsOf: Self.root.appendingPathComponent("Docs/openapi.json"), encoding: .utf8)
        try await fixture.app().test(.router) { client in
            let r = try await client.call(.get, "/api/v1/openapi.json")
            #expect(r.status == .ok)
            #expect(r.body == docs, "Sources/LapseServer/Resources/openapi.json differs from Docs/openapi.json: copy the one you edited over the other")
        }
    }
}
