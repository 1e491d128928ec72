import Foundation
import HTTPTypes
import Hummingbird
import LapseApp
import LapseCore
import Logging

/// How `lapse serve` runs: where it listens and who may read.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Reads need no token.
    public var publicRead: Bool
    /// Session cookies carry `Secure` (always behind a TLS proxy).
    public var secureCookies: Bool
    /// The largest request body accepted (bytes); larger ones get 413.
    public var maxBodyBytes: Int
    /// Seconds an idle connection is kept open.
    public var idleTimeoutSeconds: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, publicRead: Bool = false, secureCookies: Bool = false,
                maxBodyBytes: Int = 16 * 1024 * 1024, idleTimeoutSeconds: Int = 60) {
        self.host = host
        self.port = port
        self.publicRead = publicRead
        self.secureCookies = secureCookies
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }
}

/// Each request's context: Hummingbird's (with the request id in its logger) and the token that
/// made it, if any.
public struct LapseContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token the request presented (Bearer header or session cookie); nil when none.
    public var token: APIToken?
    /// The session cookie's secret, when the token came from it.
    var sessionSecret: String?
    var bodyLimit: Int = 16 * 1024 * 1024
    /// Shared by every copy of this request's context, so the outer log middleware sees the
    /// token name the inner auth middleware found.
    let annotations = RequestAnnotations()

    public init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }

    public var maxUploadSize: Int { bodyLimit }
}

/// What middlewares learn about a request for its log line (the context itself is a value).
final class RequestAnnotations: @unchecked Sendable {
    private let lock = NSLock()
    private var name: String?
    var tokenName: String? {
        get { lock.withLock { name } }
        set { lock.withLock { name = newValue } }
    }
}

/// What the handlers share: the store, the tokens and the settings.
public struct LapseServer: Sendable {
    public let store: any IncidentStore
    public let tokens: any TokenStoring
    public let settings: ServerSettings
    /// The clock for deadline verdicts (seconds since 1970).
    let now: @Sendable () -> Int

    public init(store: any IncidentStore, tokens: any TokenStoring, settings: ServerSettings,
                now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }) {
        self.store = store
        self.tokens = tokens
        self.settings = settings
        self.now = now
    }

    /// The router with every route: the API, the pages and `/healthz`.
    public func router() -> Router<LapseContext> {
        let router = Router(context: LapseContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: AuthMiddleware(server: self))
        router.get("/healthz") { _, _ -> Response in
            var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
            response.headers[.contentType] = "text/plain; charset=utf-8"
            return response
        }
        addAPIRoutes(to: router)
        addPageRoutes(to: router)
        return router
    }

    /// The application `lapse serve` runs: graceful shutdown on SIGTERM and SIGINT (requests in
    /// flight finish; each store write is one transaction, so none is half-written).
    public func application(logger: Logger) -> some ApplicationProtocol {
        Application(
            router: router(),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(settings.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "lapse"),
            logger: logger
        )
    }

    /// Runs a synchronous store call on a thread of its own, off the event loop.
    func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    private static let queue = DispatchQueue(label: "lapse.store", attributes: .concurrent)
}

/// One structured log line per request: method, path, status, time taken, and the request id
/// (Hummingbird puts `hb.request.id` in the context's logger).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = LapseContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context, status: error.status.code, start)
            throw error
        } catch {
            log(request, context, status: 500, start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, _ start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "status": .stringConvertible(status),
            "ms": .string(String(format: "%.1f", ms)),
            "token": .string(context.annotations.tokenName ?? "-"),
        ])
    }
}
