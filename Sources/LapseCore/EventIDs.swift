import Foundation

/// Stable event ids. An event keeps the id given in the data; an event without one is known by
/// `<incident id>.e<n>`, n its place in the incident's recorded order (1 for the first), moved on
/// past any id already taken. Such an id is derived, not stored, so exports stay as they were
/// imported; it stays the same across export and import because the recorded order does. Before a
/// write would change the recorded order (deleting an event), the store's callers write every
/// remaining event's id into it (`materialized`), so no id moves.
public enum EventIDs {
    /// Every event's id, in recorded order.
    public static func effective(for incident: Incident) -> [String] {
        var taken = Set(incident.events.compactMap(\.id))
        var result: [String] = []
        result.reserveCapacity(incident.events.count)
        for (i, event) in incident.events.enumerated() {
            if let id = event.id {
                result.append(id)
                continue
            }
            var n = i + 1
            while taken.contains(derived(incident.id, n)) { n += 1 }
            let id = derived(incident.id, n)
            taken.insert(id)
            result.append(id)
        }
        return result
    }

    /// The incident with every event carrying its id.
    public static func materialized(_ incident: Incident) -> Incident {
        var copy = incident
        for (i, id) in effective(for: incident).enumerated() { copy.events[i].id = id }
        return copy
    }

    /// The index of the event with this id (given or derived), or nil.
    public static func index(of id: String, in incident: Incident) -> Int? {
        effective(for: incident).firstIndex(of: id)
    }

    /// The incident a derived id names (`psn-2011.e3` → `psn-2011`), or nil for another id.
    public static func incidentID(fromDerived id: String) -> String? {
        guard let range = id.range(of: ".e", options: .backwards),
              let n = Int(id[range.upperBound...]), n > 0, range.lowerBound > id.startIndex else { return nil }
        return String(id[..<range.lowerBound])
    }

    static func derived(_ incidentID: String, _ n: Int) -> String { "\(incidentID).e\(n)" }
}
