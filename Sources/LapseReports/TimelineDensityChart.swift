import Foundation
import LapseCore

/// The timeline of an incident with too many events to label one by one: a count per lane
/// (party) and calendar period instead of a mark per event, so the SVG stays the same size
/// whether the incident has 61 events or a million.
struct TimelineDensityChart {
    let chart: TimelineChart

    /// At most this many periods: a count of up to five digits must fit in a column of the
    /// 665 px plot.
    static let maxPeriods = 16
    /// At most this many lanes; the parties with fewest events share the last one.
    static let maxLanes = 12

    /// A calendar period length; `index` numbers periods so that consecutive periods differ by 1.
    enum Period {
        case hours(Int), days(Int), months(Int), years(Int)

        /// From fine to coarse: the first that covers the timeline in `maxPeriods` is used.
        static let choices: [Period] = [.hours(1), .hours(2), .hours(3), .hours(6), .hours(12), .days(1), .days(2), .days(7), .days(14),
                                        .months(1), .months(2), .months(3), .months(6), .years(1), .years(2), .years(5), .years(10),
                                        .years(20), .years(50), .years(100), .years(250), .years(1000)]

        func index(_ t: Int) -> Int {
            switch self {
            case .hours(let h): return floorDiv(t, 3600 * h)
            case .days(let d): return floorDiv(t, 86_400 * d)
            case .months(let m):
                let c = CivilDate.civil(fromDays: floorDiv(t, 86_400))
                return floorDiv(c.year * 12 + c.month - 1, m)
            case .years(let k): return floorDiv(CivilDate.civil(fromDays: floorDiv(t, 86_400)).year, k)
            }
        }

        func start(_ i: Int) -> Int {
            switch self {
            case .hours(let h): return i * 3600 * h
            case .days(let d): return i * 86_400 * d
            case .months(let m):
                let months = i * m, year = floorDiv(months, 12)
                return CivilDate.daysFromCivil(year: year, month: months - year * 12 + 1, day: 1) * 86_400
            case .years(let k): return CivilDate.daysFromCivil(year: i * k, month: 1, day: 1) * 86_400
            }
        }

        func label(_ i: Int) -> String {
            let t = start(i), day = floorDiv(t, 86_400)
            switch self {
            case .hours:
                let hour = (t - day * 86_400) / 3600
                return CivilDate.string(fromDays: day) + " " + (hour < 10 ? "0" : "") + "\(hour):00"
            case .days: return CivilDate.string(fromDays: day)
            case .months: return String(CivilDate.string(fromDays: day).prefix(7))
            case .years: return String(CivilDate.civil(fromDays: day).year)
            }
        }

        var name: String {
            switch self {
            case .hours(let h): h == 1 ? "hour" : "\(h) hours"
            case .days(let d): d == 1 ? "day" : d == 7 ? "week" : "\(d) days"
            case .months(let m): m == 1 ? "month" : m == 3 ? "quarter" : "\(m) months"
            case .years(let k): k == 1 ? "year" : "\(k) years"
            }
        }

        private func floorDiv(_ a: Int, _ b: Int) -> Int { Int((Double(a) / Double(b)).rounded(.down)) }
    }

    func render(zone: TimeZone) -> SVGNode {
        let width = chart.width, incident = chart.incident
        let marks = chart.marks(zone: zone)
        guard let first = marks.first, let last = marks.last else {
            return .svg(width: width, height: 40, title: "Timeline of \(incident.title)", description: "No events recorded.", [])
        }
        // Each event counts in the period where it starts.
        let period = Period.choices.first { $0.index(last.start) - $0.index(first.start) < Self.maxPeriods } ?? .years(1000)
        let firstPeriod = period.index(first.start), periodCount = period.index(last.start) - firstPeriod + 1

        // Lanes: parties in order of first appearance, events without a party last; past
        // `maxLanes`, the parties with fewest events share one lane.
        var counts: [String: Int] = [:], order: [String] = []
        for m in marks {
            let party = m.event.party ?? ""
            if counts[party] == nil { order.append(party) }
            counts[party, default: 0] += 1
        }
        if let unattributed = order.firstIndex(of: "") { order.append(order.remove(at: unattributed)) }
        var kept = order
        if order.count > Self.maxLanes {
            let busiest = Set(order.enumerated().sorted { (counts[$0.1]!, -$0.0) > (counts[$1.1]!, -$1.0) }.prefix(Self.maxLanes - 1).map(\.1))
            kept = order.filter(busiest.contains)
        }
        let laneOf = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
        let others = order.count - kept.count
        let laneNames = kept.map { $0.isEmpty ? "(no party)" : TimelineChart.truncate(chart.partyNames[$0] ?? $0, 36) }
            + (others > 0 ? ["(\(others) other parties)"] : [])

        // Cells: lane × period → count and the count of each event type.
        var cells: [Int: [Int: (count: Int, types: [EventType: Int])]] = [:]
        for m in marks {
            let lane = laneOf[m.event.party ?? ""] ?? kept.count
            let p = period.index(m.start) - firstPeriod
            var cell = cells[lane, default: [:]][p] ?? (0, [:])
            cell.count += 1
            cell.types[m.event.type, default: 0] += 1
            cells[lane, default: [:]][p] = cell
        }
        let maxCount = cells.values.flatMap(\.values).map(\.count).max() ?? 1

        let labelWidth = min(225, (laneNames.map { textWidth($0) }.max() ?? 60) + 16)
        let left = labelWidth + 10, right = width - 70
        let t0 = period.start(firstPeriod), t1 = period.start(firstPeriod + periodCount)
        func x(_ t: Int) -> Double { left + Double(t - t0) / Double(max(t1 - t0, 1)) * (right - left) }
        let rowHeight = 24.0, top = 34.0
        let lanesBottom = top + Double(laneNames.count) * rowHeight

        var nodes: [SVGNode] = []
        for (i, name) in laneNames.enumerated() {
            nodes.append(.rect(x: 0, y: top + Double(i) * rowHeight, width: width, height: rowHeight, cls: i % 2 == 0 ? "lane lane-even" : "lane lane-odd"))
            nodes.append(.label(name, x: 8, y: top + Double(i) * rowHeight + 16, cls: "lane-label"))
        }
        if let start = marks.first(where: { $0.event.type == .outageStart }) {
            let end = marks.first(where: { $0.event.type == .outageEnd }) ?? marks.first(where: { $0.event.type == .restoration })
            let x1 = x(start.start), x2 = end.map { x($0.start) } ?? right
            nodes.append(.rect(x: x1, y: top - 4, width: max(x2 - x1, 2), height: lanesBottom - top + 4, cls: end == nil ? "outage outage-open" : "outage",
                               title: "Outage: \(start.event.at)" + (end.map { " to \($0.event.at)" } ?? ", no end recorded")))
        }
        // The period axis: a tick per period, labels where they fit.
        nodes.append(.line(x1: left, y1: top - 2, x2: right, y2: top - 2, cls: "axis"))
        var lastLabelEnd = -Double.infinity
        for p in 0..<periodCount {
            let px = x(period.start(firstPeriod + p))
            nodes.append(.line(x1: px, y1: top - 6, x2: px, y2: lanesBottom, cls: "grid"))
            let text = period.label(firstPeriod + p)
            if px > lastLabelEnd + 4 {
                nodes.append(.label(text, x: px, y: top - 10, cls: "tick-label"))
                lastLabelEnd = px + textWidth(text, size: 10)
            }
        }
        // One cell per lane and period with events: shaded by count, the count written in it.
        for (lane, row) in cells.sorted(by: { $0.key < $1.key }) {
            for (p, cell) in row.sorted(by: { $0.key < $1.key }) {
                let x1 = x(period.start(firstPeriod + p)), x2 = x(period.start(firstPeriod + p + 1))
                let y = top + Double(lane) * rowHeight
                let dominant = cell.types.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }!.key
                let types = cell.types.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }
                    .map { "\($0.key.rawValue) \(groupedNumber($0.value))" }.joined(separator: ", ")
                let shade = 0.25 + 0.75 * log(1 + Double(cell.count)) / log(1 + Double(maxCount))
                nodes.append(.group("density", [
                    SVGNode("rect", [("x", n(x1 + 1)), ("y", n(y + 3)), ("width", n(max(x2 - x1 - 2, 1))), ("height", n(rowHeight - 6)),
                                     ("rx", "3"), ("class", "ev-span \(TimelineChart.family(dominant))"), ("fill-opacity", formatDecimal(shade))]),
                    .label(String(cell.count), x: (x1 + x2) / 2, y: y + 16, cls: "count-label", anchor: "middle"),
                ], title: "\(laneNames[lane]): \(groupedNumber(cell.count)) event\(cell.count == 1 ? "" : "s") in the \(period.name) from \(period.label(firstPeriod + p)): \(types)"))
            }
        }
        // Delay brackets under the lanes, as in the full chart.
        var by = lanesBottom + 26
        for d in chart.delays {
            guard let fromMark = marks.first(where: { $0.index == d.fromEvent.index }), let toMark = marks.first(where: { $0.index == d.toEvent.index }) else { continue }
            let lo = min(x(fromMark.start), x(toMark.start)), hi = max(x(fromMark.start), x(toMark.start))
            let text = "\(d.metric) · \(spanText(d))"
            let fits = hi - lo > textWidth(text) + 8
            nodes.append(.group("delay\(d.flags.contains(.negative) ? " negative" : "")", [
                .path("M\(n(lo)) \(n(by - 5)) V\(n(by)) H\(n(hi)) V\(n(by - 5))", cls: "bracket"),
                .label(text, x: fits ? (lo + hi) / 2 : hi + 6, y: by + 12, cls: "bracket-label", anchor: fits ? "middle" : "start"),
            ], title: "\(d.metric): \(d.fromEvent.type.rawValue) \(d.fromEvent.at) → \(d.toEvent.type.rawValue) \(d.toEvent.at) = \(spanText(d))"))
            by += 26
        }
        let description = "\(groupedNumber(incident.events.count)) events from \(first.event.at) to \(last.event.at), too many to label one by one: "
            + "the number of events of each party per \(period.name)."
        return .svg(width: width, height: by + 4, title: "Timeline of \(incident.title)", description: description, nodes)
    }

    /// The phone layout: one row per period, top to bottom, a bar as long as the period's count
    /// of events, coloured by its most common kind of event; the parties are in the tooltip.
    func renderNarrow(zone: TimeZone) -> SVGNode {
        let width = chart.narrowLayoutWidth, incident = chart.incident
        let marks = chart.marks(zone: zone)
        guard let first = marks.first, let last = marks.last else {
            return .svg(width: width, height: 40, title: "Timeline of \(incident.title)", description: "No events recorded.", [])
        }
        let period = Period.choices.first { $0.index(last.start) - $0.index(first.start) < Self.maxPeriods } ?? .years(1000)
        let firstPeriod = period.index(first.start), periodCount = period.index(last.start) - firstPeriod + 1
        var counts = Array(repeating: 0, count: periodCount)
        var types = Array(repeating: [EventType: Int](), count: periodCount)
        var parties = Array(repeating: [String: Int](), count: periodCount)
        for m in marks {
            let p = period.index(m.start) - firstPeriod
            counts[p] += 1
            types[p][m.event.type, default: 0] += 1
            parties[p][m.event.party.map { chart.partyNames[$0] ?? $0 } ?? "(no party)", default: 0] += 1
        }
        let maxCount = max(counts.max() ?? 1, 1)
        let labelColumn = 112.0, countRoom = textWidth(groupedNumber(maxCount)) + 8, rowH = 22.0
        var nodes: [SVGNode] = []
        for p in 0..<periodCount {
            let y = 6 + Double(p) * rowH
            nodes.append(.label(fitted(period.label(firstPeriod + p), width: labelColumn - 8, size: 10), x: 4, y: y + 14, cls: "tick-label"))
            guard counts[p] > 0 else { continue }
            let dominant = types[p].max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }!.key
            let w = max(2, Double(counts[p]) / Double(maxCount) * (width - labelColumn - countRoom - 4))
            let who = parties[p].sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map { "\($0.key) \(groupedNumber($0.value))" }.joined(separator: ", ")
            nodes.append(.group("density", [
                .rect(x: labelColumn, y: y + 3, width: w, height: rowH - 8, cls: "ev-span \(TimelineChart.family(dominant))", rx: 3),
                .label(groupedNumber(counts[p]), x: labelColumn + w + 4, y: y + 14, cls: "count-label"),
            ], title: "\(groupedNumber(counts[p])) events in the \(period.name) from \(period.label(firstPeriod + p)), mostly \(dominant.label.lowercased()); \(who)"))
        }
        let description = "\(groupedNumber(incident.events.count)) events from \(first.event.at) to \(last.event.at): the number per \(period.name)."
        return .svg(width: width, height: 12 + Double(periodCount) * rowH, title: "Timeline of \(incident.title)", description: description, nodes)
    }
}
