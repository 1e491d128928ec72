import Foundation
import LapseCore

/// `lapse history`: the change log, newest first, and `history prune`.
public struct ChangeHistory: Sendable {
    let store: any ChangeReading & RecordWriting

    public init(store: any ChangeReading & RecordWriting) { self.store = store }

    public func changes(selectedBy filter: ChangeFilter, limit: Int? = nil) throws -> [Change] {
        try store.changes(selectedBy: filter, limit: limit)
    }

    /// Deletes the changes made before `time`; the pruning is itself a change.
    public func prune(before time: String, as context: ChangeContext) throws -> Int {
        try store.pruneChanges(before: time, as: context)
    }
}

/// `lapse revert`: restores every record a change touched to its state before the change.
public struct ChangeReverter: Sendable {
    let store: any ChangeReading & RecordWriting

    public init(store: any ChangeReading & RecordWriting) { self.store = store }

    /// The revert, itself recorded as a change; `RevertConflict` when a later change touched one
    /// of the records (unless `force`), `StoreLookupError.noChange` for an unknown id.
    public func revert(_ id: Int, force: Bool, as context: ChangeContext) throws -> Change {
        guard let change = try store.change(withID: id) else { throw StoreLookupError.noChange(id) }
        guard !change.records.isEmpty else { throw NothingToChange("change \(id) (\(change.command)) touched no record; there is nothing to revert") }
        let states = change.records.map { RecordState(key: $0.key, state: $0.before) }
        // Checked inside the write's transaction, so no write between reading and writing slips past.
        return force ? try store.write(states, as: context) : try store.write(states, as: context, refusingChangesAfter: id)
    }
}

/// A readable difference between a record's two states: one line per field that changed, with
/// events named by their id (`events[psn-2011.e3].at`).
public enum RecordDiff {
    public struct Line: Sendable, Hashable, Codable {
        public var path: String
        public var before: String?
        public var after: String?

        public init(path: String, before: String?, after: String?) {
            self.path = path
            self.before = before
            self.after = after
        }
    }

    public static func lines(_ record: ChangedRecord) -> [Line] {
        let before = record.before.map(flatten) ?? [:]
        let after = record.after.map(flatten) ?? [:]
        let order = (record.after.map(orderedPaths) ?? []) + (record.before.map(orderedPaths) ?? [])
        var seen = Set<String>()
        return order.compactMap { path in
            guard seen.insert(path).inserted, before[path] != after[path] else { return nil }
            return Line(path: path, before: before[path], after: after[path])
        }
    }

    /// The record's fields as `path: value` text, in the record's order.
    static func flatten(_ record: LapseRecord) -> [String: String] {
        Dictionary(pairs(record), uniquingKeysWith: { a, _ in a })
    }

    static func orderedPaths(_ record: LapseRecord) -> [String] { pairs(record).map(\.0) }

    static func pairs(_ record: LapseRecord) -> [(String, String)] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let value: Any?
        switch record {
        case .incident(let incident):
            value = (try? encoder.encode(EventIDs.materialized(incident))).flatMap { try? JSONSerialization.jsonObject(with: $0) }
        case .party(let party):
            value = (try? encoder.encode(party)).flatMap { try? JSONSerialization.jsonObject(with: $0) }
        }
        var out: [(String, String)] = []
        walk(value, path: "", into: &out)
        return out
    }

    private static func walk(_ value: Any?, path: String, into out: inout [(String, String)]) {
        switch value {
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                if key == "events", let events = object[key] as? [[String: Any]] {
                    for event in events {
                        let id = event["id"] as? String ?? "?"
                        walk(event.filter { $0.key != "id" }, path: "events[\(id)]", into: &out)
                    }
                } else {
                    walk(object[key], path: path.isEmpty ? key : "\(path).\(key)", into: &out)
                }
            }
        case let array as [Any]:
            if array.allSatisfy({ $0 is String }) {
                out.append((path, array.map { "\($0)" }.joined(separator: ", ")))
            } else {
                for (i, element) in array.enumerated() { walk(element, path: "\(path)[\(i)]", into: &out) }
            }
        case let text as String:
            out.append((path, text))
        case let number as NSNumber:
            out.append((path, "\(number)"))
        default:
            break
        }
    }
}
