import Foundation
import Testing
@testable import LapseCore
@testable import LapseReports

@Suite("Timeline of a busy incident")
struct TimelineDensityTests {
    /// An incident with `count` events spread over three parties (and some with none) and a few
    /// hundred days, with times of day.
    func busyIncident(_ count: Int, parties: Int = 3) throws -> Incident {
        let types: [EventType] = [.detection, .statement, .customerNotification, .remediation]
        let events = try (0..<count).map { i in
            let day = 18_000 + i * 7 % 400, minute = i * 37 % 1440
            let text = CivilDate.string(fromDays: day) + "T" + String(format: "%02d:%02d:00Z", minute / 60, minute % 60)
            return Event(type: types[i % types.count], at: try EventTime(parsing: text), party: i % 5 == 4 ? nil : "p\(i % parties)")
        }
        return Incident(id: "busy", title: "Busy", organization: "p0", kinds: [.breach], events: events)
    }

    func render(_ incident: Incident) -> String {
        TimelineChart(incident: incident, partyNames: [:], delays: []).render(zone: TimeZone(identifier: "UTC")!).markup
    }

    @Test("10,000 events draw a bounded SVG whose counts add up to 10,000")
    func tenThousand() throws {
        let svg = render(try busyIncident(10_000))
        let texts = svg.components(separatedBy: "<text").count - 1
        #expect(texts <= TimelineDensityChart.maxLanes * TimelineDensityChart.maxPeriods + TimelineDensityChart.maxLanes + TimelineDensityChart.maxPeriods,
                "\(texts) text elements")
        #expect(svg.utf8.count < 200_000, "\(svg.utf8.count) bytes")
        let counts = svg.matches(of: /class="count-label" text-anchor="middle">(\d+)<\/text>/).map { Int($0.1)! }
        #expect(counts.reduce(0, +) == 10_000)
        #expect(!svg.contains("class=\"ev-label\""), "no per-event labels")
    }

    @Test("a thousand parties share at most twelve lanes, and no event is lost")
    func manyParties() throws {
        let svg = render(try busyIncident(5_000, parties: 1_000))
        #expect(svg.components(separatedBy: "class=\"lane-label\"").count - 1 <= TimelineDensityChart.maxLanes)
        #expect(svg.contains("other parties)"))
        #expect(svg.matches(of: /class="count-label" text-anchor="middle">(\d+)<\/text>/).map { Int($0.1)! }.reduce(0, +) == 5_000)
    }

    @Test("up to the limit, every event is drawn with its own mark")
    func atTheLimit() throws {
        let svg = render(try busyIncident(TimelineChart.labelledEventLimit))
        #expect(!svg.contains("count-label"))
        #expect(svg.components(separatedBy: "<g class=\"event\"").count - 1 == TimelineChart.labelledEventLimit)
    }
}
