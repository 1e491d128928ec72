import Foundation
import LapseCore

/// An event as a form or a request body gives it, before it is known to be valid: a field that
/// could not be read is nil, and its problem is in `problems`. `EventLogger` checks the rest and
/// refuses the draft with every problem at once, so a person fixes them all in one go.
public struct EventDraft: Sendable {
    public var id: String?
    public var type: EventType?
    public var at: EventTime?
    public var until: EventTime?
    public var party: String?
    public var summary: String?
    public var statement: Quotation?
    public var sources: [Source] = []
    /// Problems reading the fields, each named by the field's path (`at`, `sources[1].url`).
    public var problems: [DataProblem] = []

    public init() {}

    public init(_ event: Event) {
        id = event.id
        type = event.type
        at = event.at
        until = event.until
        party = event.party
        summary = event.summary
        statement = event.statement
        sources = event.sources
    }

    /// The field order problems are listed in.
    static let fields = ["id", "type", "at", "until", "party", "summary", "statement", "sources"]

    /// The field a problem's path names: `sources[1].url` is `sources`.
    static func field(_ path: String) -> String {
        String(path.prefix { $0 != "." && $0 != "[" })
    }

    /// Problems in field order (the order of the event's fields), each field's in the order found.
    static func ordered(_ problems: [DataProblem]) -> [DataProblem] {
        problems.enumerated().sorted {
            let a = fields.firstIndex(of: field($0.element.path)) ?? fields.count, b = fields.firstIndex(of: field($1.element.path)) ?? fields.count
            return (a, $0.offset) < (b, $1.offset)
        }.map(\.element)
    }

    /// `text` as an event type, or nil with the problem named `field`.
    public static func type(_ text: String, field: String, problems: inout [DataProblem]) -> EventType? {
        do { return try EventType.parse(text) } catch {
            problems.append(DataProblem(path: field, message: text.isEmpty ? "no event type given; expected one of: \(EventType.allowedValues)" : error.description))
            return nil
        }
    }

    /// `text` as an event time, or nil with the problem named `field`.
    public static func time(_ text: String, field: String, problems: inout [DataProblem]) -> EventTime? {
        do { return try EventTime(parsing: text) } catch {
            problems.append(DataProblem(path: field, message: error.description))
            return nil
        }
    }
}

extension EventDraft: Decodable {
    enum CodingKeys: String, CodingKey { case id, type, at, until, party, summary, statement, sources }

    /// A lapse/1 event object, each field read on its own: every field that is wrong is a
    /// problem, not only the first. A body that is not an object throws `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var problems: [DataProblem] = []
        func read<T: Decodable>(_: T.Type, _ key: CodingKeys, required: Bool = false) -> T? {
            do {
                let value = try c.decodeIfPresent(T.self, forKey: key)
                if value == nil && required {
                    problems.append(DataProblem(path: key.stringValue, message: "required field \"\(key.stringValue)\" is missing"))
                }
                return value
            } catch let error as DecodingError {
                problems.append(error.problem(file: nil))
            } catch {
                problems.append(DataProblem(path: key.stringValue, message: "\(error)"))
            }
            return nil
        }
        id = read(String.self, .id)
        type = read(EventType.self, .type, required: true)
        at = read(EventTime.self, .at, required: true)
        until = read(EventTime.self, .until)
        party = read(String.self, .party)
        summary = read(String.self, .summary)
        statement = read(Quotation.self, .statement)
        if statement?.isEmpty == true { statement = nil }
        sources = read([Source].self, .sources) ?? []
        self.problems = problems
    }
}

/// Checks an event the way the store will, but reports every problem instead of the first.
struct EventChecks {
    let store: any IncidentReading

    /// Every problem of `event` in an incident of time zone `zone`, besides `unread` (problems
    /// reading some fields, which are not checked again): the data contract's rules and a party
    /// that is not stored. `partyChanged` false skips the party lookup (an edit keeping it).
    func problems(_ event: Event, zone: TimeZone, unread: [DataProblem], partyChanged: Bool = true) throws -> [DataProblem] {
        let skipped = Set(unread.map { EventDraft.field($0.path) })
        var problems = unread
        for problem in Validator.check(event, zone: zone).problems {
            let field = EventDraft.field(problem.path)
            // A span's end is compared with its start only when both were read.
            if skipped.contains(field) || (field == "until" && skipped.contains("at")) { continue }
            problems.append(problem)
        }
        if partyChanged, !skipped.contains("party"), let party = event.party, try store.party(withID: party) == nil {
            problems.append(DataProblem(path: "party", message: "no party with id \"\(party)\"; expected the id of a stored party (see `lapse parties`, or add one with `lapse party add`)"))
        }
        return EventDraft.ordered(problems)
    }

    /// The event a draft describes, or `DataProblems` naming every problem.
    func event(_ draft: EventDraft, zone: TimeZone) throws -> Event {
        // A field that could not be read is checked as absent (or, for the time, as the end of
        // the span, whose own checks need a start).
        let event = Event(id: draft.id, type: draft.type ?? .other, at: draft.at ?? draft.until ?? EventTime(year: 2000),
                          until: draft.at == nil ? nil : draft.until, party: draft.party, summary: draft.summary,
                          statement: draft.statement, sources: draft.sources)
        var unread = draft.problems
        if draft.type == nil, !unread.contains(where: { EventDraft.field($0.path) == "type" }) {
            unread.append(DataProblem(path: "type", message: "no event type given; expected one of: \(EventType.allowedValues)"))
        }
        if draft.at == nil, !unread.contains(where: { EventDraft.field($0.path) == "at" }) {
            unread.append(DataProblem(path: "at", message: "no time given; expected when it happened"))
        }
        let problems = try self.problems(event, zone: zone, unread: unread)
        guard problems.isEmpty else { throw DataProblems(problems: problems) }
        return event
    }
}
