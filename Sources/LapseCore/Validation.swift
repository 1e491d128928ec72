import Foundation

/// A problem with input data, located precisely enough to fix: the file, the record
/// (a line, or a JSON path such as `incidents[3].events[2].at`) and what was expected.
public struct DataProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or `-` for standard input); nil for data given on the command line.
    public var file: String?
    /// 1-based line of a JSON Lines record.
    public var line: Int?
    /// Path of the field inside the record, such as `incidents[3].events[2].at`.
    public var path: String
    public var message: String

    public init(file: String? = nil, line: Int? = nil, path: String, message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    public var description: String {
        var location = file ?? ""
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        if !path.isEmpty { location += location.isEmpty ? path : ": \(path)" }
        return location.isEmpty ? message : "\(location): \(message)"
    }

    /// The same problem, placed inside an enclosing record.
    public func within(file: String? = nil, line: Int? = nil, prefix: String) -> DataProblem {
        DataProblem(file: file ?? self.file, line: line ?? self.line,
                    path: prefix.isEmpty ? path : (path.isEmpty ? prefix : "\(prefix).\(path)"),
                    message: message)
    }
}

/// A reference from a record to a party, kept with where it was made so a missing party can be reported.
public struct PartyReference: Sendable, Hashable {
    public var partyID: String
    public var path: String
}

/// Checks the rules of the data contract that decoding alone cannot: ids, references,
/// uniqueness, non-empty names, coherent spans.
public enum Validator {
    /// What checking one record found: its problems, and the parties it refers to (which only
    /// the store can resolve).
    public typealias Check = (problems: [DataProblem], references: [PartyReference])

    /// `[a-z0-9][a-z0-9._-]*`
    public static func isSlug(_ s: String) -> Bool {
        guard let first = s.utf8.first, isSlugStart(first) else { return false }
        return s.utf8.allSatisfy { isSlugStart($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isSlugStart(_ b: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
    }

    /// Empty or only white space (spaces, tabs, line breaks, no-break spaces...). Stops at the
    /// first visible character, so it costs nothing on real names; `trimmingCharacters` bridged
    /// every string through NSString, a tenth of a large import.
    public static func isBlank(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    static let slugExpectation = "expected a slug: lower-case letters and digits, then also '.', '_' or '-'"

    /// Problems with one party (paths relative to the party); and the parties it refers to.
    public static func check(_ party: Party) -> Check {
        var problems: [DataProblem] = []
        var refs: [PartyReference] = []
        if !isSlug(party.id) {
            problems.append(.init(path: "id", message: "\(quoted(party.id)) is not a valid id; \(slugExpectation)"))
        }
        if isBlank(party.name) {
            problems.append(.init(path: "name", message: "the name is empty; expected the party's name"))
        }
        for (i, alias) in party.aliases.enumerated() where isBlank(alias) {
            problems.append(.init(path: "aliases[\(i)]", message: "the alias is empty; expected a name"))
        }
        if let parent = party.parent {
            if parent == party.id {
                problems.append(.init(path: "parent", message: "a party cannot be its own parent"))
            } else {
                refs.append(.init(partyID: parent, path: "parent"))
            }
        }
        if let country = party.country, country.count != 2 || !country.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            problems.append(.init(path: "country", message: "\(quoted(country)) is not an ISO 3166-1 alpha-2 code; expected two capital letters such as \"US\" or \"JP\""))
        }
        if let affiliation = party.affiliation {
            refs.append(.init(partyID: affiliation, path: "affiliation"))
        }
        problems += nulProblems([("name", party.name), ("role", party.role), ("country", party.country), ("sector", party.sector)]
                                + party.aliases.enumerated().map { ("aliases[\($0)]", $1) })
        return (problems, refs)
    }

    /// Text with a NUL character (U+0000) cannot be stored and read back whole (SQLite's C
    /// strings end there), so it is refused rather than silently cut. Ids are slugs already.
    static func nulProblems(_ fields: [(path: String, text: String?)]) -> [DataProblem] {
        fields.compactMap { field in
            guard let text = field.text, text.utf8.contains(0) else { return nil }
            return DataProblem(path: field.path, message: "the text contains a NUL character (U+0000); expected text without it")
        }
    }

    /// Problems with one incident (paths relative to the incident); and the parties it refers to.
    public static func check(_ incident: Incident) -> Check {
        var problems: [DataProblem] = []
        var refs = [PartyReference(partyID: incident.organization, path: "organization")]
        if !isSlug(incident.id) {
            problems.append(.init(path: "id", message: "\(quoted(incident.id)) is not a valid id; \(slugExpectation)"))
        }
        if isBlank(incident.title) {
            problems.append(.init(path: "title", message: "the title is empty; expected a short title"))
        }
        if incident.kinds.isEmpty {
            problems.append(.init(path: "kinds", message: "no kind given; expected at least one of: \(IncidentKind.allowedValues)"))
        }
        var seenKinds = Set<IncidentKind>()
        for (i, kind) in incident.kinds.enumerated() where !seenKinds.insert(kind).inserted {
            problems.append(.init(path: "kinds[\(i)]", message: "\(quoted(kind.rawValue)) is listed twice"))
        }
        if let records = incident.recordsAffected, records < 0 {
            problems.append(.init(path: "records_affected", message: "\(records) is negative; expected a count of 0 or more"))
        }
        if let zone = incident.timezone, Zones.named(zone) == nil {
            problems.append(.init(path: "timezone", message: "\(quoted(zone)) is not a known time zone; expected an IANA name such as \"America/Los_Angeles\" or \"UTC\""))
        }
        problems += nulProblems([("title", incident.title), ("summary", incident.summary)]
                                + incident.jurisdictions.enumerated().map { ("jurisdictions[\($0)]", $1) }
                                + incident.tags.enumerated().map { ("tags[\($0)]", $1) })
        let zone = incident.zone
        // A record closed before anything on its timeline happened is a mistyped date.
        if let closed = incident.closed, let first = PreparedIncident.firstEvent(incident.events, zone: zone),
           closed.endInstant(in: zone) <= first.instant {
            problems.append(.init(path: "closed", message: "\(quoted(closed.description)) is before the incident's first event (\(first.at)); expected the day the record was closed, on or after its events began"))
        }
        var eventIDs: [String: Int] = [:]
        for (i, event) in incident.events.enumerated() {
            let prefix = "events[\(i)]"
            let (eventProblems, eventRefs) = check(event, zone: zone)
            problems += eventProblems.map { $0.within(prefix: prefix) }
            refs += eventRefs.map { PartyReference(partyID: $0.partyID, path: "\(prefix).\($0.path)") }
            if let id = event.id {
                if let first = eventIDs[id] {
                    problems.append(.init(path: "\(prefix).id", message: "event id \(quoted(id)) is already used by events[\(first)]; expected ids unique within the incident"))
                } else {
                    eventIDs[id] = i
                }
            }
        }
        return (problems, refs)
    }

    /// Problems with one event (paths relative to the event); and the parties it refers to.
    public static func check(_ event: Event, zone: TimeZone) -> Check {
        var problems: [DataProblem] = []
        var refs: [PartyReference] = []
        if let id = event.id, !isSlug(id) {
            problems.append(.init(path: "id", message: "\(quoted(id)) is not a valid id; \(slugExpectation)"))
        }
        if let until = event.until, until.endInstant(in: zone) <= event.at.firstInstant(in: zone) {
            problems.append(.init(path: "until", message: "\(quoted(until.description)) ends before \(quoted(event.at.description)) begins; expected the end of the span to come after its start"))
        }
        if let party = event.party { refs.append(.init(partyID: party, path: "party")) }
        for (i, source) in event.sources.enumerated() where isBlank(source.url) {
            problems.append(.init(path: "sources[\(i)].url", message: "the url is empty; expected the address of the source"))
        }
        problems += nulProblems([("summary", event.summary), ("statement.quote", event.statement?.quote),
                                 ("statement.channel", event.statement?.channel), ("statement.language", event.statement?.language)]
                                + event.sources.enumerated().flatMap { i, source in
                                    [("sources[\(i)].url", source.url), ("sources[\(i)].title", source.title), ("sources[\(i)].publisher", source.publisher)]
                                })
        return (problems, refs)
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension DecodingError {
    /// The decoding error as a located problem, with the JSON path of the field.
    public func problem(file: String?, line: Int? = nil) -> DataProblem {
        func render(_ path: [any CodingKey]) -> String { Self.pathText(path) }
        switch self {
        case .typeMismatch(let type, let context):
            return DataProblem(file: file, line: line, path: render(context.codingPath),
                               message: "wrong type; expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            return DataProblem(file: file, line: line, path: render(context.codingPath),
                               message: "the value is null; expected \(Self.describe(type))")
        case .keyNotFound(let key, let context):
            return DataProblem(file: file, line: line, path: render(context.codingPath + [key]),
                               message: "required field \"\(key.stringValue)\" is missing")
        case .dataCorrupted(let context):
            let message = context.underlyingError.map { "not valid JSON: \(Self.describeSyntax($0))" } ?? context.debugDescription
            return DataProblem(file: file, line: line, path: render(context.codingPath), message: message)
        @unknown default:
            return DataProblem(file: file, line: line, path: "", message: String(describing: self))
        }
    }

    /// A coding path as problems name it: `incidents[3].events[2].at`.
    public static func pathText(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "a list"
                : String(describing: type).hasPrefix("Dictionary") || String(describing: type).hasPrefix("KeyedDecodingContainer") ? "an object"
                : String(describing: type)
        }
    }

    private static func describeSyntax(_ error: any Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }
}
