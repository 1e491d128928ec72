import Foundation
import LapseApp
import LapseCore
import LapseStore
import Testing

func at(_ s: String) -> EventTime { EventTime(s)! }

/// A store with one company and one incident of its, detected at 2024-03-01 10:00 UTC.
func store() throws -> any IncidentStore {
    let db = try LapseDatabase.inMemory()
    try PartyRegistry(store: db).add(Party(id: "acme", name: "Acme Corporation", kind: .organization))
    try IncidentRecorder(store: db).add(Incident(id: "acme-2024", title: "Acme breach", organization: "acme", kinds: [.breach],
                                                 jurisdictions: ["EU"]))
    _ = try EventLogger(store: db).log(Event(type: .detection, at: at("2024-03-01T10:00:00Z")), toIncident: "acme-2024")
    return db
}

@Suite("Use cases over the store contract")
struct UseCaseTests {
    @Test("a deadline review judges an open clock as of the 'now' it is given")
    func injectedNow() throws {
        let store = try store()
        let now = at("2024-03-02T10:00:00Z").firstInstant(in: Zones.utc)
        let review = try DeadlineReview(store: store, now: now).review(incident: "acme-2024", rules: ["eu-gdpr-33"])
        let row = try #require(review.rows.first)
        #expect(row.status == "open")
        #expect(row.hoursLeft == 48, "72 h from detection, 24 h later")
        let later = try DeadlineReview(store: store, now: now + 3 * 86_400).review(incident: "acme-2024", rules: ["eu-gdpr-33"])
        #expect(later.rows.first?.status == "unknown", "no notice recorded: not known to be late")
        let counted = try DeadlineReview(store: store, now: now + 3 * 86_400, countAbsentToNow: true).review(incident: "acme-2024", rules: ["eu-gdpr-33"])
        #expect(counted.rows.first?.status == "missed")
        #expect(counted.rows.first?.lateByHours == 24)
    }

    @Test("logging an event says where it fell: the earlier event comes first in the timeline")
    func logPosition() throws {
        let store = try store()
        let logged = try EventLogger(store: store).log(Event(type: .intrusion, at: at("2024-02-20")), toIncident: "acme-2024")
        #expect(logged.position == 0)
        #expect(logged.next?.event.type == .detection)
        #expect(logged.previous == nil)
    }

    @Test("an unknown incident is the contract's lookup error, the same from every use case")
    func unknownIncident() throws {
        let store = try store()
        #expect(throws: StoreLookupError.self) { try TimelineQuery(store: store).timeline(of: "nope") }
        #expect(throws: StoreLookupError.self) { try DelayQuery(store: store).rows(IncidentSelection(ids: ["nope"]), definitions: [], includeMissing: false) }
        #expect(throws: StoreLookupError.self) { try DeadlineReview(store: store, now: 0).review(incident: "nope") }
        #expect(throws: StoreLookupError.self) { try EventLogger(store: store).log(Event(type: .disclosure, at: at("2024")), toIncident: "nope") }
    }
}
