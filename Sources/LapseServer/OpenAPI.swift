import Foundation

/// The OpenAPI 3.1 document of the API (a copy of Docs/openapi.json; a test keeps the two and
/// the routes in agreement).
enum OpenAPI {
    static let document: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "{}" }
        return text
    }()
}
