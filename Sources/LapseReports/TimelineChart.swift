import Foundation
import LapseCore

/// The visual timeline of one incident, in two layouts of the same data: a wide one (one lane
/// per party, time left to right, a bracket for each named delay) and a narrow one for phones
/// (time running down, one label per event). Both use a linear time axis with labelled breaks,
/// draw partial dates as spans, shade the outage, emphasise the events the named delays run
/// between, and place every label with measured widths so none is clipped or overlaps another.
struct TimelineChart {
    let incident: Incident
    let partyNames: [String: String]
    let delays: [Delay]
    /// The wide layout's width; the page shows it only where it is drawn at least this wide, so
    /// its 10 px text never renders smaller.
    var width: Double = 860
    /// The narrow layout's width: a 360 px phone with the page's margins.
    static let narrowWidth = 340.0
    /// The width the narrow layout is drawn at (a standalone chart's `--width` below 600 px).
    var narrowLayoutWidth: Double = TimelineChart.narrowWidth

    /// Above this many events the chart draws a count per party and period instead of each
    /// event (`TimelineDensityChart`). The plot is about 600 px wide and an event's label 50 to
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

    /// The events the named delays run between, and the outage's start: drawn larger, labelled in bold.
    var keyEvents: Set<Int> {
        var keys = Set(delays.flatMap { [$0.fromEvent.index, $0.toEvent.index] })
        for (i, e) in incident.events.enumerated() where e.type == .outageStart { keys.insert(i) }
        return keys
    }

    func title(_ m: Mark) -> String {
        var title = "\(m.event.type.label) \(m.event.at)"
        if let until = m.event.until { title += " → \(until)" }
        if let party = m.event.party { title += " · " + (partyNames[party] ?? party) }
        if let summary = m.event.summary { title += "\n" + summary }
        return title
    }

    var hasHours: Bool { incident.events.contains { $0.at.hasTimeOfDay } }

    /// The outage's start and end marks, when the timeline has an outage.
    func outage(_ marks: [Mark]) -> (start: Mark, end: Mark?)? {
        guard let start = marks.first(where: { $0.event.type == .outageStart }) else { return nil }
        return (start, marks.first(where: { $0.event.type == .outageEnd }) ?? marks.first(where: { $0.event.type == .restoration }))
    }

    /// What the chart draws, in words, for its caption: only the elements that are there.
    func caption(narrow: Bool) -> String {
        if incident.events.count > Self.labelledEventLimit {
            return narrow ? "Too many events to label one by one: each bar counts the events of a period, coloured by the most common kind."
                : "Too many events to label one by one: each cell counts one party's events in a period, darker for more."
        }
        let marks = marks(zone: incident.zone)
        var parts: [String] = [narrow ? "Time runs down the line, to scale" : "Time runs left to right, to scale; one lane per party"]
        if marks.contains(where: { $0.isSpan && $0.isPartial }) { parts.append("pale bars are dates known only to the month or day") }
        if marks.contains(where: { $0.isSpan && !$0.isPartial }) { parts.append("solid bars are periods") }
        if outage(marks) != nil { parts.append("the shaded band is the outage") }
        if !narrow && !delays.isEmpty { parts.append("brackets show the named delays") }
        if !Axis(times: marks.flatMap { [$0.start, $0.end] }, from: 0, to: 1).breaks.isEmpty { parts.append("// marks a stretch of time cut out, with its length") }
        if !keyEvents.isEmpty { parts.append("the events the delays are measured between are larger and in bold") }
        return parts.joined(separator: "; ") + "."
    }

    // MARK: Wide layout

    func render(zone: TimeZone) -> SVGNode {
        if incident.events.count > Self.labelledEventLimit { return TimelineDensityChart(chart: self).render(zone: zone) }
        let marks = marks(zone: zone)
        guard !marks.isEmpty else {
            return .svg(width: width, height: 40, title: "Timeline of \(incident.title)", description: "No events recorded.",
                        [.label("No events recorded.", x: 10, y: 24, cls: "muted")])
        }
        let keys = keyEvents
        // Lanes: parties in order of first appearance; events without a party share the last lane.
        var laneOrder: [String] = []
        for m in marks where !laneOrder.contains(m.event.party ?? "") { laneOrder.append(m.event.party ?? "") }
        if let unattributed = laneOrder.firstIndex(of: "") { laneOrder.append(laneOrder.remove(at: unattributed)) }
        let laneNames = laneOrder.map { fitted($0.isEmpty ? "(no party)" : partyNames[$0] ?? $0, width: 170) }
        // A fixed column for the lane names (cut to fit), so the data's text never moves the plot.
        let left = 196.0, right = width - 12
        let axis = Axis(times: marks.flatMap { [$0.start, $0.end] }, from: left, to: right)

        // Labels: each event's marker and label go in the first row of its lane where both fit,
        // the label right of the marker or, near the right edge, left of it. Widths are measured
        // (`textWidth`), so no label overlaps another or leaves the chart. After ten rows an
        // event keeps its marker and tooltip but no label.
        struct Placed { let mark: Mark; let lane: Int; let row: Int; let label: (x: Double, anchor: String)? }
        var rows: [[LabelRow]] = Array(repeating: [], count: laneOrder.count)
        var placed: [Placed] = []
        for m in marks {
            let lane = laneOrder.firstIndex(of: m.event.party ?? "")!
            let x = axis.x(m.start), x2 = max(axis.x(m.end), x)
            let marker = (x - 6)...(x2 + 6)
            let w = textWidth(m.event.type.label, bold: keys.contains(m.index))
            var candidates: [(ClosedRange<Double>, Double, String)] = []
            if x2 + 8 + w <= width - 4 { candidates.append(((x2 + 8)...(x2 + 8 + w), x2 + 8, "start")) }
            if x - 8 - w >= left { candidates.append(((x - 8 - w)...(x - 8), x - 8, "end")) }
            var done = false
            for row in 0..<10 where !done {
                if row == rows[lane].count { rows[lane].append(LabelRow()) }
                guard rows[lane][row].fits(marker) else { continue }
                if let (range, lx, anchor) = candidates.first(where: { rows[lane][row].fits($0.0) }) {
                    rows[lane][row].take(marker)
                    rows[lane][row].take(range)
                    placed.append(Placed(mark: m, lane: lane, row: row, label: (lx, anchor)))
                    done = true
                }
            }
            if !done {
                let row = rows[lane].firstIndex { $0.fits(marker) } ?? 0
                rows[lane][row].take(marker)
                placed.append(Placed(mark: m, lane: lane, row: row, label: nil))
            }
        }
        for lane in rows.indices { while let last = rows[lane].last, last.taken.isEmpty { rows[lane].removeLast() } }
        let rowHeight = 18.0, top = 34.0
        var laneTops: [Double] = []
        var y = top
        for lane in laneOrder.indices {
            laneTops.append(y)
            y += Double(max(rows[lane].count, 1)) * rowHeight + 8
        }
        let lanesBottom = y

        var nodes: [SVGNode] = []
        for (i, name) in laneNames.enumerated() {
            let h = Double(max(rows[i].count, 1)) * rowHeight + 8
            nodes.append(.rect(x: 0, y: laneTops[i], width: width, height: h, cls: i % 2 == 0 ? "lane lane-even" : "lane lane-odd"))
            nodes.append(.label(name, x: 8, y: laneTops[i] + 17, cls: "lane-label"))
        }
        if let (start, end) = outage(marks) {
            let x1 = axis.x(start.start), x2 = end.map { axis.x($0.start) } ?? right
            nodes.append(.rect(x: x1, y: top - 4, width: max(x2 - x1, 2), height: lanesBottom - top + 4, cls: end == nil ? "outage outage-open" : "outage",
                               title: "Outage: \(start.event.at)" + (end.map { " to \($0.event.at)" } ?? ", no end recorded")))
            let w = textWidth("Outage", size: 10)
            let fitsRight = x1 + 3 + w <= width - 4
            nodes.append(.label("Outage", x: fitsRight ? x1 + 3 : width - 4, y: lanesBottom + 12, cls: "outage-label", anchor: fitsRight ? "start" : "end"))
        }
        // The axis: breaks first (each a cut with its length), then ticks where their labels fit.
        nodes.append(.line(x1: left, y1: top - 2, x2: right, y2: top - 2, cls: "axis"))
        var axisRow = LabelRow(gap: 8)
        for b in axis.breaks {
            let text = "// " + Self.gapText(b.end - b.start)
            let w = textWidth(text, size: 10)
            nodes.append(.rect(x: b.position - 6, y: top - 4, width: 12, height: lanesBottom - top + 4, cls: "break-band",
                               title: "\(Self.gapText(b.end - b.start)) without events, cut from the axis"))
            nodes.append(.path("M\(n(b.position - 7)) \(n(top + 2)) L\(n(b.position - 1)) \(n(top - 6)) M\(n(b.position + 1)) \(n(top + 2)) L\(n(b.position + 7)) \(n(top - 6))", cls: "axis-break"))
            let lx = min(max(b.position - w / 2, 4), width - 4 - w)
            axisRow.take(lx...(lx + w))
            nodes.append(.label(text, x: lx, y: top - 10, cls: "break-label"))
        }
        for tick in axis.ticks(spacing: 70, hours: hasHours, compact: false) {
            let x = axis.x(tick.t), w = textWidth(tick.text, size: 10)
            nodes.append(.line(x1: x, y1: top - 6, x2: x, y2: top - 2, cls: "tick"))
            let lx = min(max(x - w / 2, 4), width - 4 - w)
            guard axisRow.fits(lx...(lx + w)) else { continue }
            axisRow.take(lx...(lx + w))
            nodes.append(.label(tick.text, x: lx, y: top - 10, cls: "tick-label"))
        }
        for p in placed {
            let cy = laneTops[p.lane] + 13 + Double(p.row) * rowHeight
            let x = axis.x(p.mark.start), x2 = axis.x(p.mark.end)
            let family = Self.family(p.mark.event.type), key = keys.contains(p.mark.index)
            var parts: [SVGNode] = []
            if p.mark.isSpan {
                let partial = p.mark.isPartial ? " partial" : ""
                parts.append(.rect(x: x, y: cy - 5, width: max(x2 - x, 3), height: 10, cls: "ev-span \(family)\(partial)", rx: 3))
            } else {
                parts.append(.circle(cx: x, cy: cy, r: key ? 6 : 4, cls: "ev \(family)\(key ? " key" : "")"))
            }
            if let label = p.label {
                parts.append(.label(p.mark.event.type.label, x: label.x, y: cy + 4, cls: key ? "ev-label key" : "ev-label", anchor: label.anchor))
            }
            nodes.append(.group(key ? "event key" : "event", parts, title: title(p.mark)))
        }
        // Delay brackets under the lanes, one row each; the label inside the bracket when it
        // fits, else beside it on whichever side has room.
        var by = lanesBottom + 30
        for d in delays {
            guard let fromMark = marks.first(where: { $0.index == d.fromEvent.index }), let toMark = marks.first(where: { $0.index == d.toEvent.index }) else { continue }
            let x1 = axis.x(fromMark.start), x2 = axis.x(toMark.start)
            let lo = min(x1, x2), hi = max(x1, x2)
            let text = "\(DelayMetric.label(d.metric)) · \(spanText(d))"
            let w = textWidth(text, size: 10)
            let lx = hi - lo > w + 8 ? (lo + hi - w) / 2 : hi + 6 + w <= width - 4 ? hi + 6 : lo - 6 - w >= 4 ? lo - 6 - w : max(4, width - 4 - w)
            nodes.append(.group("delay\(d.flags.contains(.negative) ? " negative" : "")", [
                .path("M\(n(lo)) \(n(by - 5)) V\(n(by)) H\(n(hi)) V\(n(by - 5))", cls: "bracket"),
                .label(text, x: lx, y: by + 13, cls: "bracket-label"),
            ], title: "\(DelayMetric.label(d.metric)): \(d.fromEvent.type.label) \(d.fromEvent.at) → \(d.toEvent.type.label) \(d.toEvent.at) = \(spanText(d))"))
            by += 28
        }
        return .svg(width: width, height: by + 2, title: "Timeline of \(incident.title)", description: description(marks), nodes)
    }

    func description(_ marks: [Mark]) -> String {
        "\(incident.events.count) events from \(marks.first!.event.at) to \(marks.last!.event.at)"
            + (delays.isEmpty ? "." : "; delays: " + delays.map { "\(DelayMetric.label($0.metric).lowercased()) \(spanText($0))" }.joined(separator: ", ") + ".")
    }

    // MARK: Narrow layout

    /// Time running down a vertical line, dates on its left, one label per event on its right
    /// (the event type and the party, cut with an ellipsis to the width). A label sits level with
    /// its event or, when the events before it took that room, lower, joined to it by a line.
    func renderNarrow(zone: TimeZone) -> SVGNode {
        let width = narrowLayoutWidth
        let marks = marks(zone: zone)
        guard !marks.isEmpty else {
            return .svg(width: width, height: 40, title: "Timeline of \(incident.title)", description: "No events recorded.",
                        [.label("No events recorded.", x: 10, y: 24, cls: "muted")])
        }
        let keys = keyEvents
        let axisX = 92.0, labelX = 108.0, top = 14.0, lineHeight = 16.0
        let length = min(max(320, Double(marks.count) * 20), 1600)
        let axis = Axis(times: marks.flatMap { [$0.start, $0.end] }, from: top + 8, to: top + 8 + length, breakLength: 52)
        var nodes: [SVGNode] = []
        let axisEnd = top + 8 + length
        if let (start, end) = outage(marks) {
            let y1 = axis.y(start.start), y2 = end.map { axis.y($0.start) } ?? axisEnd
            nodes.append(.rect(x: axisX - 12, y: y1, width: 24, height: max(y2 - y1, 2), cls: end == nil ? "outage outage-open" : "outage",
                               title: "Outage: \(start.event.at)" + (end.map { " to \($0.event.at)" } ?? ", no end recorded")))
        }
        nodes.append(.line(x1: axisX, y1: top + 4, x2: axisX, y2: axisEnd + 4, cls: "axis"))
        // Dates on the left: breaks first, then ticks where they fit (text is 10 px; 13 px apart).
        var dateColumn = LabelRow(gap: 2)
        for b in axis.breaks {
            let words = Self.gapText(b.end - b.start).split(separator: " ")
            nodes.append(.rect(x: 0, y: b.position - 9, width: width, height: 18, cls: "break-band",
                               title: "\(Self.gapText(b.end - b.start)) without events, cut from the axis"))
            nodes.append(.path("M\(n(axisX - 6)) \(n(b.position - 1)) L\(n(axisX + 6)) \(n(b.position - 7)) M\(n(axisX - 6)) \(n(b.position + 7)) L\(n(axisX + 6)) \(n(b.position + 1))", cls: "axis-break"))
            let lines = ["// " + words[0], String(words[1])]
            dateColumn.take((b.position - 12)...(b.position + 12))
            nodes.append(.label(lines[0], x: axisX - 10, y: b.position - 2, cls: "break-label", anchor: "end"))
            nodes.append(.label(lines[1], x: axisX - 10, y: b.position + 10, cls: "break-label", anchor: "end"))
        }
        for tick in axis.ticks(spacing: 36, hours: hasHours, compact: true) {
            let y = axis.y(tick.t)
            nodes.append(.line(x1: axisX - 4, y1: y, x2: axisX, y2: y, cls: "tick"))
            let text = fitted(tick.text, width: axisX - 14, size: 10)
            guard dateColumn.fits((y - 9)...(y + 3)) else { continue }
            dateColumn.take((y - 9)...(y + 3))
            nodes.append(.label(text, x: axisX - 8, y: y + 3, cls: "tick-label", anchor: "end"))
        }
        // Events: markers on the line, labels stacked down the right.
        var nextFree = -Double.infinity
        for m in marks {
            let y = axis.y(m.start), y2 = max(axis.y(m.end), y)
            let family = Self.family(m.event.type), key = keys.contains(m.index)
            var parts: [SVGNode] = []
            if m.isSpan {
                parts.append(.rect(x: axisX - 5, y: y, width: 10, height: max(y2 - y, 3), cls: "ev-span \(family)\(m.isPartial ? " partial" : "")", rx: 3))
            } else {
                parts.append(.circle(cx: axisX, cy: y, r: key ? 6 : 4, cls: "ev \(family)\(key ? " key" : "")"))
            }
            let baseline = max(y + 4, nextFree + lineHeight)
            nextFree = baseline
            if baseline - 4 - y > 2 {
                parts.append(.path("M\(n(axisX + 7)) \(n(y)) L\(n(labelX - 10)) \(n(y)) L\(n(labelX - 3)) \(n(baseline - 4))", cls: "leader"))
            }
            let party = m.event.party.map { " · " + (partyNames[$0] ?? $0) } ?? ""
            let text = fitted(m.event.type.label + party, width: width - labelX - 4, bold: key)
            parts.append(.label(text, x: labelX, y: baseline, cls: key ? "ev-label key" : "ev-label"))
            nodes.append(.group(key ? "event key" : "event", parts, title: title(m)))
        }
        let height = max(axisEnd + 10, nextFree + 8)
        return .svg(width: width, height: height, title: "Timeline of \(incident.title)", description: description(marks), nodes)
    }

    static func truncate(_ s: String, _ max: Int) -> String {
        s.count <= max ? s : String(s.prefix(max - 1)) + "…"
    }
}

extension TimelineChart.Axis {
    /// The same mapping, read as a vertical position.
    func y(_ t: Int) -> Double { x(t) }
}
