import Foundation
import LapseApp
import LapseCore
import LapseReports
import LapseStore
import Testing

/// A deterministic generator (Knuth's MMIX linear congruential one), so every run checks the
/// same data.
struct SeededNumbers: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 33)
    }
}

/// 700 incidents (three read batches of 256) of 40 companies in six sectors, with every kind of
/// delay: exact hours, day ranges (month-precision dates), negative ones, missing ends, ties.
func streamingStore(incidents count: Int = 700) throws -> any IncidentStore {
    let db = try LapseDatabase.inMemory()
    var rng = SeededNumbers(state: 17)
    let sectors = ["health", "retail", "finance", "education", "government", "technology"]
    try db.importing { sink in
        for c in 0..<40 {
            try sink.add(Party(id: "org-\(c)", name: "Company \(c % 7) \(c)", kind: .organization, sector: c % 9 == 0 ? nil : sectors[c % 6]),
                         at: RecordLocation())
        }
        for n in 0..<count {
            let year = 2010 + Int.random(in: 0..<14, using: &rng)
            let month = Int.random(in: 1...9, using: &rng)
            func day(_ d: Int) -> String { String(format: "%04d-%02d-%02d", year, month, min(28, d)) }
            var events = [Event(type: .intrusion, at: EventTime(day(Int.random(in: 1...10, using: &rng)))!)]
            let detected = Int.random(in: 1...28, using: &rng)
            events.append(Event(type: .detection, at: EventTime(day(detected) + String(format: "T%02d:15:00Z", Int.random(in: 0..<24, using: &rng)))!))
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: events.append(Event(type: .disclosure, at: EventTime(String(format: "%04d-%02d", year + 1, month))!))
            case 1: events.append(Event(type: .disclosure, at: EventTime(day(detected) + "T23:45:00Z")!))
            case 2: events.append(Event(type: .disclosure, at: EventTime(day(max(1, detected - 3)))!))
            default: break
            }
            if Bool.random(using: &rng) {
                events.append(Event(type: .regulatorNotification, at: EventTime(day(Int.random(in: 1...28, using: &rng)))!))
            }
            let kinds: [IncidentKind] = Bool.random(using: &rng) ? [.breach] : [.breach, .ransomware]
            try sink.add(Incident(id: String(format: "inc-%04d", n), title: "Incident \(n)", organization: "org-\(n % 40)", kinds: kinds,
                                  jurisdictions: n % 3 == 0 ? [] : ["US-WA"], events: events), at: RecordLocation())
        }
    }
    return db
}

@Suite("Reading incidents a batch at a time")
struct StreamingReadTests {
    @Test("stats keep one number per delay and give the exact quartiles of all of them")
    func statsAreExact() throws {
        let store = try streamingStore()
        let engine = DelayEngine()
        var days: [String: [Double]] = [:]
        var ranges: [String: Int] = [:]
        for incident in try store.incidents(selectedBy: IncidentFilter()) {
            for d in engine.delays(for: incident).compactMap(\.delay) {
                days[d.metric, default: []].append(d.seconds.map { Double($0) / 86_400 } ?? Double(d.days.min + d.days.max) / 2)
                if !d.days.isExact { ranges[d.metric, default: 0] += 1 }
            }
        }
        let summaries = try StatsQuery(store: store).summaries(definitions: DelayMetric.allCases.map(\.definition), grouping: nil, unit: .days)
        #expect(!summaries.isEmpty)
        for s in summaries {
            let sorted = try #require(days[s.metric]).sorted()
            #expect(s.count == sorted.count)
            #expect(s.median == DelaySummary.quantile(sorted, 0.5))
            #expect(s.p25 == DelaySummary.quantile(sorted, 0.25))
            #expect(s.p90 == DelaySummary.quantile(sorted, 0.9))
            #expect(s.min == sorted.first && s.max == sorted.last)
            #expect(s.ranges == ranges[s.metric, default: 0])
        }
        let hours = try StatsQuery(store: store).summaries(definitions: DelayMetric.allCases.map(\.definition), grouping: nil, unit: .hours)
        for (h, d) in zip(hours, summaries) { #expect(h.median == d.median * 24) }
    }

    @Test("delays sorted with a limit are the first rows of the whole sorted listing, ties in incident order")
    func limitedSortKeepsTheBest() throws {
        let query = DelayQuery(store: try streamingStore())
        let metrics = DelayMetric.allCases.map(\.definition)
        for key in DelayQuery.sortKeys {
            for descending in [false, true] {
                let all = try query.rows(IncidentSelection(), definitions: metrics, includeMissing: true,
                                         order: ListingOrder(key: key, descending: descending)).rows
                for limit in [1, 7, 100, 5000] {
                    let cut = try query.rows(IncidentSelection(), definitions: metrics, includeMissing: true,
                                             order: ListingOrder(key: key, descending: descending, limit: limit))
                    #expect(cut.rows == Array(all.prefix(limit)), "--sort \(key) \(descending ? "--desc " : "")--limit \(limit)")
                    #expect(cut.incidents == 700)
                }
            }
        }
        let natural = try query.rows(IncidentSelection(), definitions: metrics, includeMissing: false).rows
        let first = try query.rows(IncidentSelection(), definitions: metrics, includeMissing: false, order: ListingOrder(limit: 9)).rows
        #expect(first == Array(natural.prefix(9)))
        #expect(natural.map(\.incident) == natural.map(\.incident).sorted(), "incidents in key order across batches")
    }

    @Test("the whole-database report read in batches equals the report built from every incident at once")
    func portfolioInBatches() throws {
        let store = try streamingStore()
        let loader = ReportInputLoader(store: store, now: 0)
        for filter in [IncidentFilter(), IncidentFilter(kinds: [.ransomware]), IncidentFilter(jurisdictions: ["US"])] {
            let (input, streamed) = try loader.portfolioReport(filter)
            let whole = ReportBuilder.portfolio(input: try loader.portfolio(filter))
            #expect(input.incidents.isEmpty, "no incident is kept")
            #expect(streamed.incidentCount == whole.incidentCount)
            #expect(streamed.summaries == whole.summaries)
            #expect(streamed.trend == whole.trend)
            #expect(streamed.slowest == whole.slowest)
            #expect(streamed.rankedBy == whole.rankedBy)
            #expect(streamed.byKind == whole.byKind && streamed.bySector == whole.bySector)
            for format in [ReportFormat.json, .md, .html] {
                #expect(try ReportRenderer(input: input).portfolio(streamed, format: format)
                        == ReportRenderer(input: try loader.portfolio(filter)).portfolio(whole, format: format))
            }
        }
        let slowest = try loader.portfolioReport().report.slowest
        #expect(slowest.count == 10)
        #expect(zip(slowest, slowest.dropFirst()).allSatisfy { a, b in
            Double(a.daysMin! + a.daysMax!) > Double(b.daysMin! + b.daysMax!) || (a.daysMin! + a.daysMax! == b.daysMin! + b.daysMax! && a.incident < b.incident)
        })
    }

    @Test("deadlines and checks cover every incident of every batch, and a named incident that is not stored fails first")
    func deadlinesAndChecks() throws {
        let store = try streamingStore()
        let review = try DeadlineReview(store: store, now: 1_800_000_000).review(IncidentSelection())
        #expect(review.incidents == 700)
        #expect(Set(review.rows.map(\.incident)).count > 256, "rows from more than one batch")
        #expect(review.rows.map(\.incident) == review.rows.map(\.incident).sorted())
        let check = try ConsistencyCheck(store: store).run(IncidentSelection())
        #expect(check.incidents == 700)
        #expect(check.findings.contains { $0.code == "negative-delay" })
        let named = try ConsistencyCheck(store: store).run(IncidentSelection(ids: ["inc-0699", "inc-0001"]))
        #expect(named.incidents == 2)
        #expect(throws: StoreLookupError.self) { try ConsistencyCheck(store: store).run(IncidentSelection(ids: ["inc-0001", "nope"])) }
        var rows = 0
        #expect(throws: StoreLookupError.self) {
            try DelayQuery(store: store).measure(IncidentSelection(ids: ["inc-0001", "nope"]), definitions: DelayMetric.allCases.map(\.definition),
                                                 includeMissing: true) { _ in rows += 1 }
        }
        #expect(rows == 0, "nothing is handed over before the named incidents are known to exist")
    }
}
