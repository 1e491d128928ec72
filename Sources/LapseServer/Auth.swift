import Foundation
import HTTPTypes
import Hummingbird
import LapseApp
import LapseCore

/// Finds the request's token: `Authorization: Bearer TOKEN`, else the session cookie (pages).
/// A token given but unknown is refused at once (401); a request with no token goes on, and each
/// route says what role it needs (`require`).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = LapseContext
    let server: LapseServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.bodyLimit = server.settings.maxBodyBytes
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw Problem(.unauthorized, "the Authorization header must be \"Bearer TOKEN\"", field: "Authorization")
            }
            let secret = String(parts[1]).trimmingCharacters(in: .whitespaces)
            let manager = TokenManager(store: server.tokens)
            guard let token = try await server.offload({ try manager.authenticate(secret: secret) }) else {
                throw Problem(.unauthorized, "the token is unknown or revoked", field: "Authorization")
            }
            context.token = token
        } else if let cookie = request.cookies[Session.cookieName]?.value, let session = Session.decode(cookie) {
            let manager = TokenManager(store: server.tokens)
            if let token = try await server.offload({ try manager.authenticate(secret: session.secret) }) {
                context.token = token
                context.sessionSecret = session.secret
            }
        }
        context.annotations.tokenName = context.token?.name
        return try await next(request, context)
    }
}

extension LapseServer {
    /// Refuses the request unless its token has `role` (reads without a token pass with
    /// `--public-read`): 401 without a token, 403 with too low a role.
    func require(_ role: TokenRole, _ context: LapseContext) throws {
        guard let token = context.token else {
            if role == .reader && settings.publicRead { return }
            throw Problem(.unauthorized, "this needs a token with the \(role.rawValue) role: send \"Authorization: Bearer TOKEN\" (`lapse token create`)", field: "Authorization")
        }
        guard token.role >= role else {
            throw Problem(.forbidden, "the token \"\(token.name)\" has the \(token.role.rawValue) role; this needs \(role.rawValue)", field: "Authorization")
        }
    }

    /// The change-log context of a write: its author is the token's name.
    func changeContext(_ context: LapseContext, _ command: String) -> ChangeContext {
        ChangeContext(author: context.token?.name ?? "anonymous", command: command)
    }
}

/// The web app's session: the cookie holds the token (HttpOnly, so no script reads it) and a
/// CSRF secret derived from it, which forms echo.
struct Session {
    static let cookieName = "lapse_session"
    let secret: String

    static func decode(_ value: String) -> Session? {
        value.hasPrefix("lapse_") && value.utf8.count == 70 ? Session(secret: value) : nil
    }

    /// The CSRF token for forms: a hash of the session's secret, so it needs no server state and
    /// reveals nothing of the secret.
    var csrf: String { SHA256.hex("csrf:" + secret) }
}
