import Foundation
import HTTPTypes
import Hummingbird
import LapseApp
import LapseCore
import LapseReports

/// An RFC 9457 problem: the HTTP status, a title, what went wrong, and the field that was wrong.
struct Problem: Error, HTTPResponseError, Encodable {
    var statusCode: Int
    var title: String
    var detail: String
    /// The request field (query parameter, path segment or body field) that was wrong.
    var field: String?
    /// Every located problem, for data refused whole (an import, a record).
    var problems: [Item]?

    struct Item: Encodable {
        var field: String
        var line: Int?
        var message: String
    }

    var status: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }

    init(_ status: HTTPResponse.Status, _ detail: String, field: String? = nil, problems: [Item]? = nil) {
        statusCode = status.code
        title = status.reasonPhrase
        self.detail = detail
        self.field = field
        self.problems = problems
    }

    enum CodingKeys: String, CodingKey { case type, title, status, detail, field, problems }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("about:blank", forKey: .type)
        try c.encode(title, forKey: .title)
        try c.encode(statusCode, forKey: .status)
        try c.encode(detail, forKey: .detail)
        try c.encodeIfPresent(field, forKey: .field)
        try c.encodeIfPresent(problems, forKey: .problems)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(string: (try? jsonText(self)) ?? "{}")))
        response.headers[.contentType] = "application/problem+json"
        if statusCode == 401 { response.headers[.wwwAuthenticate] = "Bearer realm=\"lapse\"" }
        return response
    }

    /// The problem for any error a handler throws: lookups 404, refused data 422, bad requests
    /// 400, conflicts 409; only the store's own failures are 5xx.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as StoreLookupError:
            if case .ambiguousEvent = error { return Problem(.conflict, error.description, field: "event") }
            return Problem(.notFound, error.description)
        case let error as TokenNotFound:
            return Problem(.notFound, error.description, field: "name")
        case let error as DataProblems:
            let items = error.problems.map { Item(field: $0.path, line: $0.line, message: $0.message) }
            return Problem(.unprocessableContent, error.description, field: items.first?.field, problems: items)
        case let error as DataProblem:
            return Problem(.unprocessableContent, error.description, field: error.path.isEmpty ? nil : error.path,
                           problems: [Item(field: error.path, line: error.line, message: error.message)])
        case let error as VocabularyError:
            return Problem(.badRequest, error.description)
        case RuleBookError.unknownRule:
            return Problem(.badRequest, "\(error)", field: "rule")
        case let error as NothingToChange:
            return Problem(.badRequest, error.description)
        case let error as RevertConflict:
            return Problem(.conflict, error.description)
        case let error as UnknownSortKey:
            return Problem(.badRequest, error.description.replacingOccurrences(of: "--sort: ", with: ""), field: "sort")
        case let error as EventTimeError:
            return Problem(.unprocessableContent, error.description)
        case let error as DecodingError:
            return decoding(error)
        case let error as any HTTPResponseError:
            return Problem(error.status, error.status == .contentTooLarge ? "the request body is larger than the server accepts" : error.status.reasonPhrase)
        case let error as StoreFailure:
            if case .constraint(let message) = error { return Problem(.unprocessableContent, message) }
            return Problem(.serviceUnavailable, error.description)
        case let error as any StoreUnavailable:
            return Problem(.serviceUnavailable, error.description)
        default:
            return Problem(.internalServerError, "the server failed: \(type(of: error))")
        }
    }

    /// A body that is not the JSON expected, naming the field.
    static func decoding(_ error: DecodingError) -> Problem {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return Problem(.unprocessableContent, "\(field): missing; expected a value", field: field)
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return Problem(.unprocessableContent, "\(field.isEmpty ? "body" : field): expected \(Self.typeName(type))", field: field.isEmpty ? "body" : field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            let reason = (context.underlyingError as? any CustomStringConvertible)?.description ?? context.debugDescription
            if field.isEmpty { return Problem(.badRequest, "the body is not valid JSON: \(context.debugDescription)", field: "body") }
            return Problem(.unprocessableContent, "\(field): \(reason)", field: field)
        @unknown default:
            return Problem(.badRequest, "the body could not be read", field: "body")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: "\(type)"
        }
    }
}

/// Turns every error into problem JSON, so no error leaves as Hummingbird's plain text.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = LapseContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.statusCode >= 500 { context.logger.error("failure", metadata: ["error": .string(String(describing: error))]) }
            return try problem.response(from: request, context: context)
        }
    }
}

/// JSON as the CLI prints it (`--format json`): sorted keys, no escaped slashes, invisible and
/// control scalars escaped (`Escape.json`).
func jsonText<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Escape.json(String(decoding: try encoder.encode(value), as: UTF8.self)) + "\n"
}

/// A JSON response.
func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
    var response = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try jsonText(value))))
    response.headers[.contentType] = "application/json; charset=utf-8"
    return response
}
