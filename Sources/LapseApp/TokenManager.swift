import Foundation
import LapseCore

/// `lapse token create|list|revoke`, and the server's check of a presented token.
public struct TokenManager: Sendable {
    let store: any TokenStoring

    public init(store: any TokenStoring) { self.store = store }

    /// A token issued: its record, and the secret, shown once and never stored.
    public struct Issued: Sendable {
        public let token: APIToken
        public let secret: String
    }

    /// Creates a token with a new random secret (256 bits from the system's secure generator).
    public func create(name: String, role: TokenRole, now: Date = Date()) throws -> Issued {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        var problems: [DataProblem] = []
        if trimmed.isEmpty || trimmed.count > 100 {
            problems.append(DataProblem(path: "name", message: "expected a name of 1 to 100 characters, got \"\(name)\""))
        } else if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problems.append(DataProblem(path: "name", message: "expected a name without control characters"))
        }
        guard problems.isEmpty else { throw DataProblems(problems: problems) }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = "lapse_" + bytes.map { String(format: "%02x", $0) }.joined()
        let token = APIToken(name: trimmed, role: role, createdAt: Self.timestamp(now))
        try store.addToken(token, secretHash: SHA256.hex(secret))
        return Issued(token: token, secret: secret)
    }

    public func list() throws -> [APIToken] { try store.tokens() }

    /// Revokes the token; `TokenNotFound` when there is none of that name.
    public func revoke(name: String) throws {
        guard try store.revokeToken(named: name) else { throw TokenNotFound(name: name) }
    }

    /// The token a presented secret belongs to, or nil.
    public func authenticate(secret: String) throws -> APIToken? {
        guard secret.hasPrefix("lapse_"), secret.utf8.count == 70 else { return nil }
        return try store.token(withSecretHash: SHA256.hex(secret))
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// A token name that no token has.
public struct TokenNotFound: Error, Sendable, CustomStringConvertible {
    public let name: String
    public var description: String { "no token named \"\(name)\"; `lapse token list` lists them" }
}
