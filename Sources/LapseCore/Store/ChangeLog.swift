import Foundation

// The change log in the store contract: every write a store makes is recorded, in the same
// transaction, as one `Change` naming its author, its command and each record it touched with
// the record's full state before and after (lapse/1 values). A revert is a write of the states
// before; it is itself a change.

/// Who makes a write and with what command: every write of the store records it.
public struct ChangeContext: Sendable, Hashable {
    public var author: String
    /// The command as the user would type it, e.g. `event edit psn-2011.e3`.
    public var command: String

    public init(author: String, command: String) {
        self.author = author
        self.command = command
    }

    /// The author for a write: the given one, else `$LAPSE_AUTHOR`, else the user the process runs as.
    public static func author(given: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for candidate in [given, environment["LAPSE_AUTHOR"], environment["USER"], environment["LOGNAME"]] {
            if let candidate, !candidate.trimmingCharacters(in: .whitespaces).isEmpty { return candidate }
        }
        let name = NSUserName()
        return name.isEmpty ? "unknown" : name
    }

    /// A context whose author comes from the environment (for writes that have no `--author`).
    public static func fromEnvironment(command: String) -> ChangeContext {
        ChangeContext(author: author(given: nil), command: command)
    }
}

/// The kind of a record in the change log.
public enum RecordKind: String, Sendable, Codable, CaseIterable {
    case incident, party
}

/// A record named by kind and id.
public struct RecordKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: RecordKind
    public var id: String

    public init(_ kind: RecordKind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    public var description: String { "\(kind.rawValue) \(id)" }
}

/// One record put in a new state by a write: the whole incident (with its events) or party,
/// or nil to delete it.
public struct RecordState: Sendable, Hashable {
    public var key: RecordKey
    /// The record as it must stand afterwards; nil deletes it.
    public var state: LapseRecord?

    public init(key: RecordKey, state: LapseRecord?) {
        self.key = key
        self.state = state
    }

    public static func incident(_ incident: Incident) -> RecordState { .init(key: .init(.incident, incident.id), state: .incident(incident)) }
    public static func party(_ party: Party) -> RecordState { .init(key: .init(.party, party.id), state: .party(party)) }
    public static func deleting(_ key: RecordKey) -> RecordState { .init(key: key, state: nil) }
}

/// One record touched by a change, as it stood before and after (nil: it did not exist).
public struct ChangedRecord: Sendable, Hashable {
    public var key: RecordKey
    public var before: LapseRecord?
    public var after: LapseRecord?

    public init(key: RecordKey, before: LapseRecord?, after: LapseRecord?) {
        self.key = key
        self.before = before
        self.after = after
    }
}

/// One entry of the change log.
public struct Change: Sendable, Hashable {
    /// Increasing with time: a later change has a larger id.
    public var id: Int
    /// When it was made: UTC, `yyyy-MM-ddTHH:mm:ssZ`.
    public var at: String
    public var author: String
    public var command: String
    public var records: [ChangedRecord]

    public init(id: Int, at: String, author: String, command: String, records: [ChangedRecord]) {
        self.id = id
        self.at = at
        self.author = author
        self.command = command
        self.records = records
    }
}

/// What `lapse history` selects.
public struct ChangeFilter: Sendable {
    /// Changes touching this record (either kind when `kind` is nil).
    public var recordID: String?
    public var kind: RecordKind?
    public var author: String?
    /// Changes made at or after this time (UTC text compared as text, so a date prefix works).
    public var since: String?
    /// Changes made before this time.
    public var before: String?

    public init(recordID: String? = nil, kind: RecordKind? = nil, author: String? = nil, since: String? = nil, before: String? = nil) {
        self.recordID = recordID
        self.kind = kind
        self.author = author
        self.since = since
        self.before = before
    }
}

/// A write refused because it would change no record.
public struct NothingToChange: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A refused revert: a later change touched a record it would restore.
public struct RevertConflict: Error, Sendable, CustomStringConvertible {
    public let change: Int
    public let later: Change

    public init(change: Int, later: Change) {
        self.change = change
        self.later = later
    }

    public var description: String {
        let keys = later.records.map(\.key.description).joined(separator: ", ")
        return "change \(later.id) (\(later.command), by \(later.author) at \(later.at)) changed \(keys) after change \(change); "
            + "revert it first, or pass --force to restore the state before change \(change) anyway"
    }
}

/// Writes of whole records with the change log: each call is one transaction and one change.
public protocol RecordWriting: Sendable {
    /// Puts each record in the given state (nil deletes it), validated as an import validates
    /// (`DataProblems`, nothing written), and records the change. A party still referenced by
    /// an incident, an event or another party once the states are written cannot be deleted
    /// (`DataProblems` naming the references). Returns the change recorded.
    func write(_ states: [RecordState], as context: ChangeContext) throws -> Change
    /// `write`, refused with `RevertConflict` when a change after `change` touched one of the
    /// records, checked in the same transaction (a revert that no other write can slip past).
    func write(_ states: [RecordState], as context: ChangeContext, refusingChangesAfter change: Int) throws -> Change
    /// Deletes every change made before `time` (UTC text) and records the pruning itself as a
    /// change with no records; returns how many changes were deleted.
    func pruneChanges(before time: String, as context: ChangeContext) throws -> Int
}

/// Reading the change log.
public protocol ChangeReading: Sendable {
    /// The changes a filter selects, newest first, at most `limit` (all for nil).
    func changes(selectedBy filter: ChangeFilter, limit: Int?) throws -> [Change]
    /// One change, or nil.
    func change(withID id: Int) throws -> Change?
    /// The earliest change after `id` that touched one of `keys`, or nil.
    func firstChange(after id: Int, touching keys: [RecordKey]) throws -> Change?
}

// MARK: - In a lapse/1 document

// `lapse export --history` writes the change log as a `history` array of the lapse/1 document,
// oldest first: `{id, at, author, command, records: [{kind, id, before, after}]}`, each state the
// record's lapse/1 object or absent. Importing the document appends these entries to the log.

extension ChangedRecord: Codable {
    enum CodingKeys: String, CodingKey { case kind, id, before, after }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(RecordKind.self, forKey: .kind)
        key = RecordKey(kind, try c.decode(String.self, forKey: .id))
        func state(_ field: CodingKeys) throws -> LapseRecord? {
            switch kind {
            case .incident: try c.decodeIfPresent(Incident.self, forKey: field).map(LapseRecord.incident)
            case .party: try c.decodeIfPresent(Party.self, forKey: field).map(LapseRecord.party)
            }
        }
        before = try state(.before)
        after = try state(.after)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key.kind, forKey: .kind)
        try c.encode(key.id, forKey: .id)
        for (field, state) in [(CodingKeys.before, before), (.after, after)] {
            switch state {
            case .incident(let incident)?: try c.encode(incident, forKey: field)
            case .party(let party)?: try c.encode(party, forKey: field)
            case nil: break
            }
        }
    }
}

extension Change: Codable {
    enum CodingKeys: String, CodingKey { case id, at, author, command, records }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int.self, forKey: .id)
        at = try c.decode(String.self, forKey: .at)
        author = try c.decode(String.self, forKey: .author)
        command = try c.decode(String.self, forKey: .command)
        records = try c.decodeIfPresent([ChangedRecord].self, forKey: .records) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(at, forKey: .at)
        try c.encode(author, forKey: .author)
        try c.encode(command, forKey: .command)
        try c.encode(records, forKey: .records)
    }
}

/// How every store writes a change: a record's state as its lapse/1 JSON with sorted keys, and
/// the time of the change as ISO 8601 in UTC.
public struct ChangeLogEncoding {
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public init() {}

    /// A record as the log keeps it.
    public func json(_ record: LapseRecord) throws -> String {
        let data = switch record {
        case .incident(let incident): try encoder.encode(incident)
        case .party(let party): try encoder.encode(party)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Now, as the log writes a change's time.
    public static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
