import Foundation
import LapseCore

/// With `--skip-invalid`, the records of an import that name parties not yet in the database,
/// held back until those parties are written (a party may come after its first use, or in a
/// later file), numbered in the order they came. Without `--skip-invalid` nothing waits: the
/// session checks references at the end and a missing party fails the import.
struct WaitingRecords {
    /// What a held record waits for.
    enum Wait: Hashable {
        /// The party with this id to be in the database.
        case party(String)
        /// The record held under this number, which has the same key and came first, to be
        /// written or rejected.
        case earlier(Int)
    }

    struct Entry {
        var record: ImportRunner.Record
        var location: RecordLocation
        /// Every party the record names, for the problems of a record rejected at the end.
        var references: [PartyReference]
        var waits: Set<Wait>
    }

    private var entries: [Int: Entry] = [:]
    private var next = 0
    private var waiters: [Wait: [Int]] = [:]
    /// The number of the last held record of each key.
    private var lastByKey: [String: Int] = [:]

    /// The number of the first record still held.
    var first: Int? { entries.keys.min() }

    /// The number of the last held record with this key, if one is held.
    func last(withKey key: String) -> Int? { lastByKey[key] }

    mutating func hold(_ entry: Entry) {
        let number = next
        next += 1
        entries[number] = entry
        lastByKey[entry.record.key] = number
        for wait in entry.waits { waiters[wait, default: []].append(number) }
    }

    /// Takes out the record held under `number`.
    mutating func take(_ number: Int) -> Entry? {
        guard let entry = entries.removeValue(forKey: number) else { return nil }
        if lastByKey[entry.record.key] == number { lastByKey[entry.record.key] = nil }
        return entry
    }

    /// Ends a wait: the numbers of the held records that now wait for nothing, in the order they
    /// came (they stay held until taken).
    mutating func end(_ wait: Wait) -> [Int] {
        var ready: [Int] = []
        for number in waiters.removeValue(forKey: wait) ?? [] {
            guard entries[number] != nil else { continue }
            entries[number]!.waits.remove(wait)
            if entries[number]!.waits.isEmpty { ready.append(number) }
        }
        return ready
    }

    /// When no held record is `stuck`, each waits for another held record: following what the
    /// first waits for (its parent before its affiliation) comes round to a record already met.
    /// The records of that loop, each with the reference by which it waits for the next (nil:
    /// it waits for an earlier record with its own key).
    func loop() -> [(number: Int, reference: PartyReference?)] {
        guard var current = first else { return [] }
        var path: [(number: Int, reference: PartyReference?)] = []
        var met: [Int: Int] = [:]
        while met[current] == nil, let entry = entries[current] {
            let byParty = entry.references.lazy.compactMap { reference in
                entry.waits.contains(.party(reference.partyID)) ? lastByKey["party \(reference.partyID)"].map { ($0, Optional(reference)) } : nil
            }.first
            let byOrder = entry.waits.lazy.compactMap { wait -> (Int, PartyReference?)? in
                if case .earlier(let number) = wait { (number, nil) } else { nil }
            }.first
            guard let (next, reference) = byParty ?? byOrder else { return [] }
            met[current] = path.count
            path.append((current, reference))
            current = next
        }
        return met[current].map { Array(path[$0...]) } ?? []
    }

    /// The numbers of the held records that can never be written, in order: each waits for a
    /// party that no other held record may still write.
    func stuck() -> [Int] {
        var stuck: Set<Int> = []
        while true {
            let coming = Set(entries.compactMap { stuck.contains($0.key) ? nil : $0.value.record.partyID })
            let more = entries.filter { number, entry in
                !stuck.contains(number) && entry.waits.contains { wait in
                    if case .party(let id) = wait { !coming.contains(id) } else { false }
                }
            }
            if more.isEmpty { return stuck.sorted() }
            stuck.formUnion(more.keys)
        }
    }
}
