import Foundation

// API tokens for `lapse serve`: kept apart from the incident store contract (`IncidentStore`),
// since only the server and `lapse token` need them. A store keeps a token's SHA-256 hash,
// never the token itself.

/// What a token may do. Each role may do what the roles before it may.
public enum TokenRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Reads incidents, parties, reports and the change log.
    case reader
    /// Reads, and writes incidents, events and parties.
    case editor
    /// Edits, and manages tokens.
    case admin

    public static func < (a: TokenRole, b: TokenRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    public static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A stored token, without its secret.
public struct APIToken: Sendable, Hashable, Codable {
    /// The name writes made with it are recorded under in the change log.
    public var name: String
    public var role: TokenRole
    /// When it was created: UTC, `yyyy-MM-ddTHH:mm:ssZ`.
    public var createdAt: String

    public init(name: String, role: TokenRole, createdAt: String) {
        self.name = name
        self.role = role
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey { case name, role, createdAt = "created_at" }
}

/// Storage of API tokens by the hex SHA-256 hash of their secret.
public protocol TokenStoring: Sendable {
    /// Stores a new token; `DataProblems` (path `name`) when the name is taken.
    func addToken(_ token: APIToken, secretHash: String) throws
    /// Every token, by name.
    func tokens() throws -> [APIToken]
    /// The token whose secret has this hash, or nil.
    func token(withSecretHash hash: String) throws -> APIToken?
    /// Deletes the token; false when there is none of that name.
    func revokeToken(named name: String) throws -> Bool
}
