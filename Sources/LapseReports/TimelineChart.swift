import Foundation
import LapseCore

/// The visual timeline of one incident: one lane per party, a time axis that compresses
/// long empty stretches (hours stay readable next to years), partial dates drawn as spans,
/// the outage shaded, and a bracket for each named delay.
struct TimelineChart {
    let incident: Incident
    let partyNames: [String: String]
    let delays: [Delay]
    let width: Double = 960

    /// Above this many events the chart draws a count per party and period instead of each
    /// event (`TimelineDensityChart`). The plot is about 665 px wide and an event's label 50 to
    /// 120 px, so a row holds five to ten labels and a lane's ten rows about sixty; past that,
    /// marks pile up unlabelled, and thousands of them would make a page of megabytes.
    static let labelledEventLimit = 60

    static func family(_ type: EventType) -> String {
        switch type {
        case .intrusion, .detection, .determination, .containment, .attribution: "fam-breach"
        case .outageStart, .outageEnd, .restoration: "fam-outage"
        case .acknowledgment, .disclosure, .apology, .statement, .testimony: "fam-word"
        case .regulatorNotification, .customerNotification, .lawEnforcementNotification, .filing: "fam-notice"
        case .remediation, .legalAction, .penalty, .other: "fam-other"
        }
    }

    /// Where an event sits on the time line: start and end in local seconds.
    struct Mark {
        let index: Int
        let event: Event
        let start: Int
        let end: Int
        /// The span shows imprecision (a month, a day among hours), not a recorded period.
        let isPartial: Bool
        var isSpan: Bool { end > start }
    }

    func marks(zone: TimeZone) -> [Mark] {
        // Years and months are spans. A day is a span too when the timeline also has times of
        // day (an outage told in hours), and a point when every event is a date.
        let hours = incident.events.contains { $0.at.hasTimeOfDay }
        return incident.events.enumerated().map { i, e in
            let p = e.at.placement(in: zone)
            let partial = e.at.precision < .day || (hours && e.at.precision == .day)
            var end = partial ? (p.lastDay + 1) * 86_400 : p.localStart
            if let until = e.until {
                let u = until.placement(in: zone)
                end = max(end, until.precision <= .day ? (u.lastDay + 1) * 86_400 : u.localStart)
            }
            return Mark(index: i, event: e, start: p.localStart, end: end, isPartial: e.at.precision < .day || (partial && e.until == nil))
        }.sorted { ($0.start, $0.index) < ($1.start, $1.index) }
    }

    /// A piecewise-linear axis over the distinct times: each gap gets a width growing with the
    /// logarithm of its length, so an hour, a day and a year all stay visible.
    struct Axis {
        let anchors: [Int]
        let positions: [Double]
        /// Gaps longer than this (seconds) are compressed and marked with a break.
        static let breakAfter = 45 * 86_400

        init(times: [Int], from left: Double, to right: Double) {
            let sorted = Array(Set(times)).sorted()
            var raw: [Double] = [0]
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                // Gaps of more than 45 days are drawn broken, at a capped width.
                let width = 10 + 34 * log10(1 + Double(b - a) / 3600)
                raw.append(raw.last! + (b - a > Self.breakAfter ? min(width, 80) : width))
            }
            let total = max(raw.last ?? 0, 1)
            anchors = sorted
            positions = raw.map { left + $0 / total * (right - left) }
        }

        func x(_ t: Int) -> Double {
            guard let first = anchors.first else { return positions.first ?? 0 }
            if t <= first { return positions[0] }
            guard let i = anchors.firstIndex(where: { $0 >= t }) else { return positions.last! }
            if anchors[i] == t { return positions[i] }
            let f = Double(t - anchors[i - 1]) / Double(anchors[i] - anchors[i - 1])
            return positions[i - 1] + f * (positions[i] - positions[i - 1])
        }
    }

    func render(zone: TimeZone) -> SVGNode {
        if incident.events.count > Self.labelledEventLimit { return TimelineDensityChart(chart: self).render(zone: zone) }
        let marks = marks(zone: zone)
        guard !marks.isEmpty else {
            return .svg(width: width, height: 40, title: "Timeline of \(incident.title)", description: "No events recorded.",
                        [.label("No events recorded.", x: 10, y: 24, cls: "muted")])
        }
        // Lanes: parties in order of first appearance; events without a party share the last lane.
        var laneOrder: [String] = []
        for m in marks where !laneOrder.contains(m.event.party ?? "") { laneOrder.append(m.event.party ?? "") }
        if let unattributed = laneOrder.firstIndex(of: "") { laneOrder.append(laneOrder.remove(at: unattributed)) }
        let laneNames = laneOrder.map { $0.isEmpty ? "(no party)" : Self.truncate(partyNames[$0] ?? $0, 36) }
        let labelWidth = min(225, (laneNames.map { textWidth($0) }.max() ?? 60) + 16)
        let left = labelWidth + 10, right = width - 70
        let axis = Axis(times: marks.flatMap { [$0.start, $0.end] }, from: left, to: right)

        // Labels in each lane go in the first row where marker and label fit; after ten rows a
        // mark goes, unlabelled (its tooltip stays), in the row that frees up first.
        struct Placed { let mark: Mark; let lane: Int; let row: Int; let showLabel: Bool }
        var rowEnds: [[Double]] = Array(repeating: [], count: laneOrder.count)
        var placed: [Placed] = []
        for m in marks {
            let lane = laneOrder.firstIndex(of: m.event.party ?? "")!
            let x = axis.x(m.start), x2 = axis.x(m.end)
            let extent = max(x2, x + 6) + 4 + textWidth(m.event.type.rawValue)
            if let row = rowEnds[lane].firstIndex(where: { $0 < x - 6 }) {
                rowEnds[lane][row] = extent
                placed.append(Placed(mark: m, lane: lane, row: row, showLabel: true))
            } else if rowEnds[lane].count < 10 {
                rowEnds[lane].append(extent)
                placed.append(Placed(mark: m, lane: lane, row: rowEnds[lane].count - 1, showLabel: true))
            } else {
                let row = rowEnds[lane].indices.min { rowEnds[lane][$0] < rowEnds[lane][$1] }!
                rowEnds[lane][row] = max(rowEnds[lane][row], max(x2, x) + 6)
                placed.append(Placed(mark: m, lane: lane, row: row, showLabel: false))
            }
        }
        let rowHeight = 16.0, top = 34.0
        var laneTops: [Double] = []
        var y = top
        for lane in laneOrder.indices {
            laneTops.append(y)
            y += Double(max(rowEnds[lane].count, 1)) * rowHeight + 10
        }
        let lanesBottom = y

        var nodes: [SVGNode] = []
        // Lane backgrounds and names.
        for (i, name) in laneNames.enumerated() {
            let h = Double(max(rowEnds[i].count, 1)) * rowHeight + 10
            nodes.append(.rect(x: 0, y: laneTops[i], width: width, height: h, cls: i % 2 == 0 ? "lane lane-even" : "lane lane-odd"))
            nodes.append(.label(name, x: 8, y: laneTops[i] + 17, cls: "lane-label"))
        }
        // The outage, shaded across the lanes.
        if let start = marks.first(where: { $0.event.type == .outageStart }) {
            let end = marks.first(where: { $0.event.type == .outageEnd }) ?? marks.first(where: { $0.event.type == .restoration })
            let x1 = axis.x(start.start), x2 = end.map { axis.x($0.start) } ?? right
            nodes.append(.rect(x: x1, y: top - 4, width: max(x2 - x1, 2), height: lanesBottom - top + 4, cls: end == nil ? "outage outage-open" : "outage",
                               title: "Outage: \(start.event.at)" + (end.map { " to \($0.event.at)" } ?? ", no end recorded")))
            nodes.append(.label("outage", x: x1 + 3, y: lanesBottom + 11, cls: "outage-label"))
        }
        // Axis: a tick at each event day (and each time of day, when the story is told in hours),
        // labels where they fit, breaks over long gaps. Times are local to the incident's zone.
        let hours = incident.events.contains { $0.at.hasTimeOfDay }
        nodes.append(.line(x1: left, y1: top - 2, x2: right, y2: top - 2, cls: "axis"))
        var lastLabelEnd = -Double.infinity
        var lastDay = Int.min, lastLabelledDay = Int.min
        for (t, x) in zip(axis.anchors, axis.positions) {
            let day = Int((Double(t) / 86_400).rounded(.down))
            let secondOfDay = t - day * 86_400
            guard day != lastDay || (hours && secondOfDay != 0) else { continue }
            lastDay = day
            nodes.append(.line(x1: x, y1: top - 6, x2: x, y2: top - 2, cls: "tick"))
            let clock = String(format: "%02d:%02d", secondOfDay / 3600, secondOfDay % 3600 / 60)
            let text = !hours || secondOfDay == 0 ? CivilDate.string(fromDays: day)
                : day == lastLabelledDay ? clock : CivilDate.string(fromDays: day) + " " + clock
            if x - textWidth(text, size: 10) / 2 > lastLabelEnd + 4 {
                nodes.append(.label(text, x: x, y: top - 10, cls: "tick-label", anchor: "middle"))
                lastLabelEnd = x + textWidth(text, size: 10) / 2
                lastLabelledDay = day
            }
        }
        for (i, (a, b)) in zip(axis.anchors, axis.anchors.dropFirst()).enumerated() where b - a > Axis.breakAfter {
            let mid = (axis.positions[i] + axis.positions[i + 1]) / 2
            nodes.append(.path("M\(n(mid - 4)) \(n(top + 2)) L\(n(mid)) \(n(top - 6)) M\(n(mid)) \(n(top + 2)) L\(n(mid + 4)) \(n(top - 6))", cls: "axis-break"))
            nodes.append(.label("≈ " + Self.duration(b - a), x: mid, y: lanesBottom + 12, cls: "break-label", anchor: "middle"))
        }
        // Events.
        for p in placed {
            let cy = laneTops[p.lane] + 12 + Double(p.row) * rowHeight
            let x = axis.x(p.mark.start), x2 = axis.x(p.mark.end)
            let family = Self.family(p.mark.event.type)
            var title = "\(p.mark.event.type.rawValue) \(p.mark.event.at)"
            if let until = p.mark.event.until { title += " → \(until)" }
            if let party = p.mark.event.party { title += " · " + (partyNames[party] ?? party) }
            if let summary = p.mark.event.summary { title += "\n" + summary }
            var parts: [SVGNode] = []
            if p.mark.isSpan {
                let partial = p.mark.isPartial ? " partial" : ""
                parts.append(.rect(x: x, y: cy - 5, width: max(x2 - x, 3), height: 10, cls: "ev-span \(family)\(partial)", rx: 3))
            } else {
                parts.append(.circle(cx: x, cy: cy, r: 5, cls: "ev \(family)"))
            }
            if p.showLabel {
                parts.append(.label(p.mark.event.type.rawValue, x: max(x2, x) + 8, y: cy + 4, cls: "ev-label"))
            }
            nodes.append(.group("event", parts, title: title))
        }
        // Delay brackets under the lanes.
        var by = lanesBottom + 26
        for d in delays {
            let fromMark = marks.first { $0.index == d.fromEvent.index }, toMark = marks.first { $0.index == d.toEvent.index }
            guard let fromMark, let toMark else { continue }
            let x1 = axis.x(fromMark.start), x2 = axis.x(toMark.start)
            let lo = min(x1, x2), hi = max(x1, x2)
            let text = "\(d.metric) · \(spanText(d))"
            nodes.append(.group("delay\(d.flags.contains(.negative) ? " negative" : "")", [
                .path("M\(n(lo)) \(n(by - 5)) V\(n(by)) H\(n(hi)) V\(n(by - 5))", cls: "bracket"),
                .label(text, x: hi - lo > textWidth(text) + 8 ? (lo + hi) / 2 : hi + 6, y: by + 12,
                       cls: "bracket-label", anchor: hi - lo > textWidth(text) + 8 ? "middle" : "start"),
            ], title: "\(d.metric): \(d.fromEvent.type.rawValue) \(d.fromEvent.at) → \(d.toEvent.type.rawValue) \(d.toEvent.at) = \(spanText(d))"))
            by += 26
        }
        let description = "\(incident.events.count) events from \(marks.first!.event.at) to \(marks.last!.event.at), one lane per party"
            + (delays.isEmpty ? "." : "; delays: " + delays.map { "\($0.metric) \(spanText($0))" }.joined(separator: ", ") + ".")
        return .svg(width: width, height: by + 4, title: "Timeline of \(incident.title)", description: description, nodes)
    }

    static func duration(_ seconds: Int) -> String {
        let days = Double(seconds) / 86_400
        if days >= 365 { return "\(formatDecimal(days / 365.25, places: 1)) y" }
        if days >= 60 { return "\(Int((days / 30.44).rounded())) mo" }
        return "\(Int(days.rounded())) d"
    }

    static func truncate(_ s: String, _ max: Int) -> String {
        s.count <= max ? s : String(s.prefix(max - 1)) + "…"
    }
}
