import Foundation
import LapseCore

/// One change of the change log for machines: the `history` resource (Docs/json-contract.md).
public struct ChangeResource: Encodable, Sendable {
    public struct Record: Encodable, Sendable {
        var kind: String
        var id: String
        var diff: [RecordDiff.Line]
        var before: LapseRecordValue?
        var after: LapseRecordValue?
    }
    public var id: Int
    public var at: String
    public var author: String
    public var command: String
    public var records: [Record]

    public init(_ change: Change) {
        id = change.id
        at = change.at
        author = change.author
        command = change.command
        records = change.records.map {
            Record(kind: $0.key.kind.rawValue, id: $0.key.id, diff: RecordDiff.lines($0),
                   before: $0.before.map(LapseRecordValue.init), after: $0.after.map(LapseRecordValue.init))
        }
    }
}

/// A party or an incident as its bare lapse/1 object.
public struct LapseRecordValue: Encodable, Sendable {
    public let record: LapseRecord
    public init(_ record: LapseRecord) { self.record = record }
    public func encode(to encoder: any Encoder) throws {
        switch record {
        case .incident(let incident): try incident.encode(to: encoder)
        case .party(let party): try party.encode(to: encoder)
        }
    }
}

