import Foundation
import LapseCore

// Edits and deletions of stored records. Each reads the record, makes the change on a copy and
// hands the whole record to the store, which validates it as an import does, writes it and
// records the change in one transaction; nothing is written when anything is wrong.

/// Finds an event by its id: `INCIDENT/EVENT`, a derived id (`psn-2011.e3`) or an id given in
/// the data when one incident only uses it.
public struct EventFinder: Sendable {
    let store: any IncidentReading

    public init(store: any IncidentReading) { self.store = store }

    /// The incident and the event's index in its recorded order; `StoreLookupError` if none.
    public func find(_ reference: String) throws -> (incident: Incident, index: Int) {
        if let slash = reference.firstIndex(of: "/") {
            let incidentID = String(reference[..<slash]), eventID = String(reference[reference.index(after: slash)...])
            guard let incident = try store.incident(withID: incidentID) else { throw StoreLookupError.noIncident(incidentID) }
            guard let index = EventIDs.index(of: eventID, in: incident) else { throw StoreLookupError.noEvent(reference) }
            return (incident, index)
        }
        let stored = try store.incidentIDs(havingEventID: reference)
        if stored.count > 1 { throw StoreLookupError.ambiguousEvent(reference, incidents: stored) }
        for incidentID in stored + [EventIDs.incidentID(fromDerived: reference)].compactMap({ $0 }) {
            if let incident = try store.incident(withID: incidentID), let index = EventIDs.index(of: reference, in: incident) {
                return (incident, index)
            }
        }
        throw StoreLookupError.noEvent(reference)
    }
}

/// What `event edit` changes: nil leaves a field as it is; "" clears an optional text.
public struct EventChanges: Sendable {
    public var type: EventType?
    public var at: EventTime?
    public var until: EventTime?
    public var party: String?
    public var summary: String?
    public var quote: String?
    public var channel: String?
    public var audience: Audience?
    public var language: String?
    public var addSources: [String] = []
    public var removeSources: [String] = []
    /// Problems reading the changes (a time that is not one, a type not in the vocabulary),
    /// named by field: the edit is refused with them and every other problem it finds.
    public var problems: [DataProblem] = []

    public init() {}

    public var isEmpty: Bool {
        type == nil && at == nil && until == nil && party == nil && summary == nil && quote == nil && channel == nil
            && audience == nil && language == nil && addSources.isEmpty && removeSources.isEmpty && problems.isEmpty
    }
}

/// `event edit` and `event delete`.
public struct EventEditor: Sendable {
    let store: any IncidentReading & RecordWriting

    public init(store: any IncidentReading & RecordWriting) { self.store = store }

    /// Applies the changes to the event; the event keeps its id.
    public func edit(_ reference: String, _ changes: EventChanges, as context: ChangeContext) throws -> Change {
        guard !changes.isEmpty else { throw NothingToChange("nothing to change; give at least one option (see `lapse event edit --help`)") }
        let (found, index) = try EventFinder(store: store).find(reference)
        var incident = found
        let before = incident.events[index]
        var event = before
        if let type = changes.type { event.type = type }
        if let at = changes.at { event.at = at }
        if let until = changes.until { event.until = until }
        // "" clears an optional text, as `party edit` clears one.
        func cleared(_ value: String?, _ current: String?) -> String? {
            guard let value else { return current }
            return value.isEmpty ? nil : value
        }
        event.party = cleared(changes.party, event.party)
        event.summary = cleared(changes.summary, event.summary)
        if changes.quote != nil || changes.channel != nil || changes.audience != nil || changes.language != nil {
            var statement = event.statement ?? Quotation(quote: nil, channel: nil, audience: nil, language: nil)
            statement.quote = cleared(changes.quote, statement.quote)
            statement.channel = cleared(changes.channel, statement.channel)
            if let audience = changes.audience { statement.audience = audience }
            statement.language = cleared(changes.language, statement.language)
            event.statement = statement.isEmpty ? nil : statement
        }
        var missing: [DataProblem] = []
        for url in changes.removeSources {
            if let i = event.sources.firstIndex(where: { $0.url == url }) {
                event.sources.remove(at: i)
            } else {
                missing.append(DataProblem(path: "sources", message: "the event has no source \"\(url)\"; expected one of: \(event.sources.map(\.url).joined(separator: ", "))"))
            }
        }
        for url in changes.addSources where !event.sources.contains(where: { $0.url == url }) {
            event.sources.append(Source(url: url))
        }
        // Every problem at once: those reading the changes, and the event's as the store checks it.
        let checked = try EventChecks(store: store).problems(event, zone: incident.zone, unread: changes.problems, partyChanged: event.party != before.party)
        let problems = EventDraft.ordered(checked + missing)
        guard problems.isEmpty else { throw DataProblems(problems: problems) }
        incident.events[index] = event
        return try store.write([.incident(incident)], as: context)
    }

    /// Deletes the event. The other events keep their ids: each is written into the event.
    public func delete(_ reference: String, as context: ChangeContext) throws -> Change {
        let (found, index) = try EventFinder(store: store).find(reference)
        var incident = EventIDs.materialized(found)
        incident.events.remove(at: index)
        return try store.write([.incident(incident)], as: context)
    }
}

/// What `incident edit` changes: nil leaves a field as it is.
public struct IncidentChanges: Sendable {
    public var title: String?
    public var organization: String?
    public var summary: String?
    public var recordsAffected: Int?
    public var timezone: String?
    /// Replaces the kinds when not empty.
    public var kinds: [IncidentKind] = []
    public var addJurisdictions: [String] = []
    public var removeJurisdictions: [String] = []
    public var addTags: [String] = []
    public var removeTags: [String] = []
    /// Marks the incident closed on this day (or moves the day it was closed).
    public var closed: EventTime?
    /// Marks a closed incident open again.
    public var reopen = false

    public init() {}

    public var isEmpty: Bool {
        title == nil && organization == nil && summary == nil && recordsAffected == nil && timezone == nil && kinds.isEmpty
            && addJurisdictions.isEmpty && removeJurisdictions.isEmpty && addTags.isEmpty && removeTags.isEmpty
            && closed == nil && !reopen
    }
}

/// `incident edit` and `incident delete`.
public struct IncidentEditor: Sendable {
    let store: any IncidentReading & RecordWriting

    public init(store: any IncidentReading & RecordWriting) { self.store = store }

    public func edit(_ id: String, _ changes: IncidentChanges, as context: ChangeContext) throws -> Change {
        guard !changes.isEmpty else { throw NothingToChange("nothing to change; give at least one option (see `lapse incident edit --help`)") }
        guard var incident = try store.incident(withID: id) else { throw StoreLookupError.noIncident(id) }
        if let title = changes.title { incident.title = title }
        if let organization = changes.organization { incident.organization = organization }
        if let summary = changes.summary { incident.summary = summary }
        if let records = changes.recordsAffected { incident.recordsAffected = records }
        if let timezone = changes.timezone { incident.timezone = timezone }
        if !changes.kinds.isEmpty { incident.kinds = changes.kinds }
        var problems: [DataProblem] = []
        if changes.reopen {
            if changes.closed != nil {
                problems.append(DataProblem(path: "closed", message: "both a day to close on and a reopening were given; expected one of them"))
            } else if incident.closed == nil {
                throw NothingToChange("incident \(id) is not closed; there is nothing to reopen")
            }
            incident.closed = nil
        } else if let closed = changes.closed {
            incident.closed = closed
        }
        incident.jurisdictions = try edited(incident.jurisdictions, adding: changes.addJurisdictions, removing: changes.removeJurisdictions,
                                            path: "jurisdictions", problems: &problems)
        incident.tags = try edited(incident.tags, adding: changes.addTags, removing: changes.removeTags, path: "tags", problems: &problems)
        guard problems.isEmpty else { throw DataProblems(problems: problems) }
        return try store.write([.incident(incident)], as: context)
    }

    /// Marks the incident closed on a day (`today(now:)` by default, as the front ends offer):
    /// its timeline is then taken as complete, so deadline checks count a notice it does not hold
    /// as never given. Closing a closed incident on the same day changes nothing (`NothingToChange`).
    public func close(_ id: String, on day: EventTime, as context: ChangeContext) throws -> Change {
        if let stored = try store.incident(withID: id), stored.closed?.description == day.description {
            throw NothingToChange("incident \(id) is already closed on \(day)")
        }
        var changes = IncidentChanges()
        changes.closed = day
        return try edit(id, changes, as: context)
    }

    /// Marks a closed incident open again; `NothingToChange` when it is not closed.
    public func reopen(_ id: String, as context: ChangeContext) throws -> Change {
        var changes = IncidentChanges()
        changes.reopen = true
        return try edit(id, changes, as: context)
    }

    /// The day (UTC) of an instant, as an EventTime: the default day to close an incident on.
    public static func today(now: Date = Date()) -> EventTime {
        EventTime(CivilDate.string(fromDays: Int((now.timeIntervalSince1970 / 86_400).rounded(.down))))!
    }

    /// Deletes the incident and its events; returns the change and how many events went with it.
    public func delete(_ id: String, as context: ChangeContext) throws -> (change: Change, events: Int) {
        guard let incident = try store.incident(withID: id) else { throw StoreLookupError.noIncident(id) }
        return (try store.write([.deleting(RecordKey(.incident, id))], as: context), incident.events.count)
    }
}

/// What `party edit` changes: nil leaves a field as it is; "" clears an optional one.
public struct PartyChanges: Sendable {
    public var name: String?
    public var kind: PartyKind?
    public var parent: String?
    public var affiliation: String?
    public var role: String?
    public var country: String?
    public var sector: String?
    public var addAliases: [String] = []
    public var removeAliases: [String] = []

    public init() {}

    public var isEmpty: Bool {
        name == nil && kind == nil && parent == nil && affiliation == nil && role == nil && country == nil && sector == nil
            && addAliases.isEmpty && removeAliases.isEmpty
    }
}

/// `party edit` and `party delete`; and any change of several records at once (a merge of
/// parties writes the incidents and parties it changes through `write`).
public struct PartyEditor: Sendable {
    let store: any IncidentReading & RecordWriting

    public init(store: any IncidentReading & RecordWriting) { self.store = store }

    public func edit(_ id: String, _ changes: PartyChanges, as context: ChangeContext) throws -> Change {
        guard !changes.isEmpty else { throw NothingToChange("nothing to change; give at least one option (see `lapse party edit --help`)") }
        guard var party = try store.party(withID: id) else { throw StoreLookupError.noParty(id) }
        func cleared(_ value: String?, _ current: String?) -> String? {
            guard let value else { return current }
            return value.isEmpty ? nil : value
        }
        if let name = changes.name { party.name = name }
        if let kind = changes.kind { party.kind = kind }
        party.parent = cleared(changes.parent, party.parent)
        party.affiliation = cleared(changes.affiliation, party.affiliation)
        party.role = cleared(changes.role, party.role)
        party.country = cleared(changes.country, party.country)
        party.sector = cleared(changes.sector, party.sector)
        var problems: [DataProblem] = []
        party.aliases = try edited(party.aliases, adding: changes.addAliases, removing: changes.removeAliases, path: "aliases", problems: &problems)
        guard problems.isEmpty else { throw DataProblems(problems: problems) }
        return try store.write([.party(party)], as: context)
    }

    /// Deletes the party; `DataProblems` naming what still refers to it.
    public func delete(_ id: String, as context: ChangeContext) throws -> Change {
        guard try store.party(withID: id) != nil else { throw StoreLookupError.noParty(id) }
        return try store.write([.deleting(RecordKey(.party, id))], as: context)
    }

    /// Writes several records as one change (for commands that change many, such as a merge).
    public func write(_ states: [RecordState], as context: ChangeContext) throws -> Change {
        try store.write(states, as: context)
    }
}

/// A list with values added (at the end, once) and removed; a value to remove that is not there is a problem.
private func edited(_ values: [String], adding: [String], removing: [String], path: String, problems: inout [DataProblem]) throws -> [String] {
    var result = values
    for value in removing {
        if let i = result.firstIndex(of: value) {
            result.remove(at: i)
        } else {
            problems.append(DataProblem(path: path, message: "\"\(value)\" is not in \(path); expected one of: \(values.joined(separator: ", "))"))
        }
    }
    for value in adding where !result.contains(value) { result.append(value) }
    return result
}
