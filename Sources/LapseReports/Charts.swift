import Foundation
import LapseCore

/// Charts for company and portfolio reports, built on the SVG builder.
enum Charts {
    static let width = 960.0

    /// A square-root scale for days: short delays stay apart while years still fit.
    struct SqrtScale {
        let maxValue: Double
        let left: Double
        let right: Double
        func x(_ v: Double) -> Double {
            let s = (max(v, 0) / max(maxValue, 1)).squareRoot()
            return left + s * (right - left)
        }
        /// Round tick values that fit the range.
        var ticks: [Double] {
            [0, 1, 7, 30, 90, 180, 365, 730, 1825, 3650].filter { $0 <= maxValue * 1.05 }
        }
    }

    static func axis(_ scale: SqrtScale, y: Double, height: Double) -> [SVGNode] {
        var nodes = [SVGNode.line(x1: scale.left, y1: y, x2: scale.right, y2: y, cls: "axis")]
        var lastEnd = -Double.infinity
        for t in scale.ticks {
            let x = scale.x(t)
            nodes.append(.line(x1: x, y1: y - height, x2: x, y2: y, cls: "grid"))
            let text = t >= 365 ? "\(Int(t / 365)) y" : "\(Int(t)) d"
            if x - textWidth(text, size: 10) / 2 > lastEnd + 4 {
                nodes.append(.label(text, x: x, y: y + 14, cls: "tick-label", anchor: "middle"))
                lastEnd = x + textWidth(text, size: 10) / 2
            }
        }
        return nodes
    }

    /// One horizontal box plot per metric: p25–p75 box, median line, whiskers to min and max, p90 tick.
    static func boxPlots(_ summaries: [DelaySummary], title: String) -> SVGNode {
        let left = 200.0, right = width - 30, rowH = 34.0, top = 16.0
        let scale = SqrtScale(maxValue: summaries.map(\.max).max() ?? 1, left: left, right: right)
        var nodes: [SVGNode] = []
        for (i, s) in summaries.enumerated() {
            let y = top + Double(i) * rowH + rowH / 2
            nodes.append(.label(s.metric, x: 8, y: y + 4, cls: "lane-label"))
            nodes.append(.group("box", [
                .line(x1: scale.x(s.min), y1: y, x2: scale.x(s.max), y2: y, cls: "whisker"),
                .rect(x: scale.x(s.p25), y: y - 9, width: scale.x(s.p75) - scale.x(s.p25), height: 18, cls: "box-iqr"),
                .line(x1: scale.x(s.median), y1: y - 11, x2: scale.x(s.median), y2: y + 11, cls: "box-median"),
                .line(x1: scale.x(s.p90), y1: y - 6, x2: scale.x(s.p90), y2: y + 6, cls: "box-p90"),
            ], title: "\(s.metric): median \(fmt(s.median)) d, p25 \(fmt(s.p25)), p75 \(fmt(s.p75)), p90 \(fmt(s.p90)), min \(fmt(s.min)), max \(fmt(s.max)), n = \(s.count)"))
        }
        let bottom = top + Double(summaries.count) * rowH + 6
        nodes += axis(scale, y: bottom, height: bottom - top)
        let description = summaries.map { "\($0.metric): median \(fmt($0.median)) days over \($0.count) incidents" }.joined(separator: "; ")
        return .svg(width: width, height: bottom + 24, title: title, description: description.isEmpty ? "No delays measured." : description, nodes)
    }

    /// Horizontal bars with their values: counts by kind or sector, medians by year.
    static func bars(_ items: [(label: String, value: Double)], title: String, unit: String) -> SVGNode {
        let left = 200.0, right = width - 80, rowH = 22.0
        let maxValue = items.map(\.value).max() ?? 1
        var nodes: [SVGNode] = []
        for (i, item) in items.enumerated() {
            let y = 8 + Double(i) * rowH
            let w = maxValue > 0 ? item.value / maxValue * (right - left) : 0
            nodes.append(.label(TimelineChart.truncate(item.label, 30), x: 8, y: y + 14, cls: "lane-label"))
            nodes.append(.rect(x: left, y: y + 3, width: max(w, 1), height: rowH - 6, cls: "bar", title: "\(item.label): \(fmt(item.value)) \(unit)"))
            nodes.append(.label("\(fmt(item.value)) \(unit)", x: left + w + 6, y: y + 14, cls: "bar-label"))
        }
        let description = items.map { "\($0.label) \(fmt($0.value)) \(unit)" }.joined(separator: ", ")
        return .svg(width: width, height: 16 + Double(items.count) * rowH, title: title, description: description.isEmpty ? "No data." : description, nodes)
    }

    /// Delays over time: each dot is one delay, placed by the date of its from-event and its length.
    static func delaysOverTime(_ lines: [DelayRow], title: String) -> SVGNode {
        let metrics = Array(Set(lines.map(\.metric))).sorted()
        let legendRows = (metrics.count + 3) / 4
        let left = 60.0, right = width - 20, top = 24.0 + Double(legendRows) * 18, bottom = top + 220
        let points = lines.compactMap { l -> (Double, Double, DelayRow)? in
            guard let t = l.from.flatMap(EventTime.init) else { return nil }
            let day = Double(t.dayRange(in: TimeZone(identifier: "UTC")!).lowerBound)
            return (day, l.midpoint, l)
        }
        // The time axis is padded so no dot sits on an axis line.
        let lowDay = points.map(\.0).min() ?? 0, highDay = max(points.map(\.0).max() ?? 1, lowDay + 1)
        let pad = max((highDay - lowDay) * 0.04, 2)
        let minDay = lowDay - pad, maxDay = highDay + pad
        let maxValue = max(points.map(\.1).max() ?? 1, 1) * 1.08
        func x(_ d: Double) -> Double { left + (d - minDay) / (maxDay - minDay) * (right - left) }
        func y(_ v: Double) -> Double { bottom - (max(v, 0) / maxValue).squareRoot() * (bottom - top) }
        var nodes: [SVGNode] = [.line(x1: left, y1: bottom, x2: right, y2: bottom, cls: "axis"), .line(x1: left, y1: top, x2: left, y2: bottom, cls: "axis")]
        var ticks = [0.0, 1, 3, 7, 14, 30, 90, 180, 365, 730, 1825].filter { $0 <= maxValue }
        if ticks.count > 6 { ticks = ticks.filter { [0, 7, 30, 90, 365, 730, 1825].contains($0) } }
        // The largest value gets a tick of its own when it stands well above the last round one.
        let largest = (points.map(\.1).max() ?? 0).rounded()
        if let last = ticks.last, largest > last * 1.3, (y(last) - y(largest)) > 14 { ticks.append(largest) }
        for t in ticks {
            nodes.append(.line(x1: left, y1: y(t), x2: right, y2: y(t), cls: "grid"))
            nodes.append(.label(t >= 365 ? "\(Int(t / 365)) y" : "\(Int(t)) d", x: left - 6, y: y(t) + 4, cls: "tick-label", anchor: "end"))
        }
        // Years on the time axis; months when the span is short; at most about ten labels.
        let first = CivilDate.civil(fromDays: Int(minDay)), last = CivilDate.civil(fromDays: Int(maxDay))
        let months = (last.year - first.year) * 12 + last.month - first.month
        if maxDay - minDay < 120 {
            // A short span: label days, about eight of them.
            let step = max(1, Int((maxDay - minDay) / 8))
            for d in stride(from: Int(minDay.rounded(.up)), through: Int(maxDay), by: step) {
                nodes.append(.label(CivilDate.string(fromDays: d), x: x(Double(d)), y: bottom + 14, cls: "tick-label", anchor: "middle"))
            }
        } else {
            let stepMonths = months < 24 ? max(1, months / 8) : 12 * max(1, (last.year - first.year) / 10)
            var (year, month) = months < 24 ? (first.year, first.month) : (first.year, 1)
            while year * 12 + month <= last.year * 12 + last.month + 12 {
                let d = Double(CivilDate.daysFromCivil(year: year, month: month, day: 1))
                if d >= minDay && d <= maxDay {
                    let text = months < 24 ? CivilDate.string(fromDays: Int(d)).prefix(7).description : String(year)
                    nodes.append(.label(text, x: x(d), y: bottom + 14, cls: "tick-label", anchor: "middle"))
                }
                month += stepMonths
                while month > 12 { month -= 12; year += 1 }
            }
        }
        // The legend: four entries a row, one colour per metric.
        for (i, m) in metrics.enumerated() {
            let lx = left + 10 + Double(i % 4) * 215, ly = 12 + Double(i / 4) * 18
            nodes.append(.circle(cx: lx, cy: ly, r: 5, cls: "dot series-\(i % 8)"))
            nodes.append(.label(m, x: lx + 10, y: ly + 4, cls: "legend"))
        }
        for (d, v, l) in points {
            let series = metrics.firstIndex(of: l.metric) ?? 0
            nodes.append(.circle(cx: x(d), cy: y(v), r: 4.5, cls: "dot series-\(series % 8)",
                                 title: "\(l.incident) · \(l.metric): \(l.span) (\(l.from ?? "") → \(l.to ?? ""))"))
        }
        return .svg(width: width, height: bottom + 24, title: title,
                    description: "\(points.count) delays of \(metrics.count) metrics, by the date they started.", nodes)
    }

    static func fmt(_ v: Double) -> String { formatDecimal(v, places: 1) }
}
