import Foundation
import LapseCore

/// Charts for company and portfolio reports, built on the SVG builder. Each is drawn at a
/// given width: the wide layout (labels in a column on the left) and the narrow one for
/// phones (labels above their row), so text is never scaled below its size.
enum Charts {
    static let width = 860.0
    static let narrowWidth = 340.0

    /// A square-root scale for days: short delays stay apart while years still fit.
    struct SqrtScale {
        let maxValue: Double
        let left: Double
        let right: Double
        func x(_ v: Double) -> Double {
            let s = (max(v, 0) / max(maxValue, 1)).squareRoot()
            return left + s * (right - left)
        }
        /// Round tick values that fit the range: a day, a week, a month, a quarter, half a year, years.
        var ticks: [Double] {
            var ticks = [0, 1, 7, 30, 91, 182, 365, 730, 1826, 3652].filter { $0 <= maxValue * 1.05 }
            // The largest value gets a tick of its own when it stands well beyond the last round one.
            let largest = maxValue.rounded()
            if let last = ticks.last, largest > last * 1.5 { ticks.append(largest) }
            return ticks
        }
    }

    /// A tick's text: days, weeks, months and years, each written once.
    static func delayTick(_ days: Double) -> String {
        switch days {
        case 0: "0"
        case 1: "1 day"
        case 7: "1 week"
        case 30: "1 month"
        case 91: "3 months"
        case 182: "6 months"
        case 365: "1 year"
        case 730: "2 years"
        case 1826: "5 years"
        case 3652: "10 years"
        default: days < 365 ? "\(Int(days)) days" : "\(formatDecimal(days / 365.25, places: 1)) years"
        }
    }

    static func axis(_ scale: SqrtScale, y: Double, height: Double, width: Double) -> [SVGNode] {
        var nodes = [SVGNode.line(x1: scale.left, y1: y, x2: scale.right, y2: y, cls: "axis")]
        var row = LabelRow(gap: 6)
        for t in scale.ticks {
            let x = scale.x(t)
            nodes.append(.line(x1: x, y1: y - height, x2: x, y2: y, cls: "grid"))
            let text = delayTick(t), w = textWidth(text, size: 10)
            let lx = min(max(x - w / 2, 2), width - 2 - w)
            if row.fits(lx...(lx + w)) {
                row.take(lx...(lx + w))
                nodes.append(.label(text, x: lx, y: y + 14, cls: "tick-label"))
            }
        }
        return nodes
    }

    /// Row geometry: in the wide layout labels sit in a left column; in the narrow one above the row.
    struct Rows {
        let width: Double
        let labelColumn: Double
        var narrow: Bool { width < 500 }
        var left: Double { narrow ? 10 : labelColumn }
        func labelPosition(rowTop: Double, rowHeight: Double) -> (x: Double, y: Double) {
            narrow ? (4, rowTop + 12) : (8, rowTop + rowHeight / 2 + 4)
        }
        /// Room for a row's name.
        var labelWidth: Double { narrow ? width - 8 : labelColumn - 16 }
    }

    /// One horizontal box plot per metric: p25–p75 box, median line, whiskers to min and max, p90 tick.
    static func boxPlots(_ summaries: [DelaySummary], title: String, width: Double = width) -> SVGNode {
        let rows = Rows(width: width, labelColumn: 200)
        let rowH = rows.narrow ? 46.0 : 34.0, top = 10.0
        let scale = SqrtScale(maxValue: summaries.map(\.max).max() ?? 1, left: rows.left, right: width - 24)
        var nodes: [SVGNode] = []
        for (i, s) in summaries.enumerated() {
            let rowTop = top + Double(i) * rowH
            let y = rows.narrow ? rowTop + 30 : rowTop + rowH / 2
            let p = rows.labelPosition(rowTop: rowTop, rowHeight: rowH)
            nodes.append(.label(fitted(DelayMetric.label(s.metric), width: rows.labelWidth), x: p.x, y: p.y, cls: "lane-label"))
            nodes.append(.group("box", [
                .line(x1: scale.x(s.min), y1: y, x2: scale.x(s.max), y2: y, cls: "whisker"),
                .rect(x: scale.x(s.p25), y: y - 8, width: scale.x(s.p75) - scale.x(s.p25), height: 16, cls: "box-iqr"),
                .line(x1: scale.x(s.median), y1: y - 10, x2: scale.x(s.median), y2: y + 10, cls: "box-median"),
                .line(x1: scale.x(s.p90), y1: y - 6, x2: scale.x(s.p90), y2: y + 6, cls: "box-p90"),
            ], title: "\(DelayMetric.label(s.metric)): median \(fmt(s.median)) d, p25 \(fmt(s.p25)), p75 \(fmt(s.p75)), p90 \(fmt(s.p90)), min \(fmt(s.min)), max \(fmt(s.max)), n = \(s.count)"))
        }
        let bottom = top + Double(summaries.count) * rowH + 6
        // The grid goes under the labels and boxes.
        nodes = axis(scale, y: bottom, height: bottom - top, width: width) + nodes
        let description = summaries.map { "\(DelayMetric.label($0.metric)): median \(fmt($0.median)) days over \($0.count) incidents" }.joined(separator: "; ")
        return .svg(width: width, height: bottom + 22, title: title, description: description.isEmpty ? "No delays measured." : description, nodes)
    }

    /// Horizontal bars with their values: counts by kind or sector, medians by year.
    static func bars(_ items: [(label: String, value: Double)], title: String, unit: String, width: Double = width,
                     labelColumn: Double = 200) -> SVGNode {
        let rows = Rows(width: width, labelColumn: labelColumn)
        let rowH = rows.narrow ? 36.0 : 22.0
        let maxValue = items.map(\.value).max() ?? 1
        let valueText = { (v: Double) in unit.isEmpty ? fmt(v) : "\(fmt(v)) \(unit)" }
        let valueRoom = (items.map { textWidth(valueText($0.value)) }.max() ?? 20) + 10
        let left = rows.left, right = max(left + 40, width - 4 - valueRoom)
        var nodes: [SVGNode] = []
        for (i, item) in items.enumerated() {
            let rowTop = 6 + Double(i) * rowH
            let barTop = rows.narrow ? rowTop + 17 : rowTop + 3
            let w = maxValue > 0 ? item.value / maxValue * (right - left) : 0
            let p = rows.labelPosition(rowTop: rowTop, rowHeight: rowH)
            nodes.append(.label(fitted(item.label, width: rows.labelWidth), x: p.x, y: p.y, cls: "lane-label"))
            nodes.append(.rect(x: left, y: barTop, width: max(w, 1), height: 16, cls: "bar", title: "\(item.label): \(valueText(item.value))"))
            nodes.append(.label(valueText(item.value), x: left + w + 6, y: barTop + 12, cls: "bar-label"))
        }
        let description = items.map { "\($0.label) \(valueText($0.value))" }.joined(separator: ", ")
        return .svg(width: width, height: 12 + Double(items.count) * rowH, title: title, description: description.isEmpty ? "No data." : description, nodes)
    }

    /// A company's incidents side by side on one delay scale: a row per incident (its id and
    /// title), a dot per measured delay, coloured by metric (the page's legend names them).
    static func incidentDelays(_ lines: [DelayRow], incidents: [CompanyReport.IncidentLine], metrics: [String], title: String,
                               width: Double = width) -> SVGNode {
        let rows = Rows(width: width, labelColumn: 240)
        let measured = incidents.filter { i in lines.contains { $0.incident == i.id } }
        let rowH = rows.narrow ? 44.0 : 30.0, top = 10.0
        let scale = SqrtScale(maxValue: max(lines.compactMap { $0.daysMax.map(Double.init) }.max() ?? 1, 1), left: rows.left + 6, right: width - 24)
        var nodes: [SVGNode] = [], backgrounds: [SVGNode] = []
        for (i, incident) in measured.enumerated() {
            let rowTop = top + Double(i) * rowH
            let y = rows.narrow ? rowTop + 30 : rowTop + rowH / 2
            let p = rows.labelPosition(rowTop: rowTop, rowHeight: rowH)
            backgrounds.append(.rect(x: 0, y: rowTop, width: width, height: rowH, cls: i % 2 == 0 ? "lane lane-even" : "lane lane-odd"))
            nodes.append(.label(fitted(incident.title, width: rows.labelWidth), x: p.x, y: p.y, cls: "lane-label"))
            for l in lines where l.incident == incident.id {
                guard let daysMin = l.daysMin, let daysMax = l.daysMax else { continue }
                let series = metrics.firstIndex(of: l.metric) ?? 0
                let x1 = scale.x(Double(daysMin)), x2 = scale.x(Double(daysMax))
                var parts: [SVGNode] = []
                if x2 - x1 > 2 { parts.append(.line(x1: x1, y1: y, x2: x2, y2: y, cls: "range series-stroke-\(series % 8)")) }
                parts.append(.circle(cx: scale.x(l.midpoint), cy: y, r: 5, cls: "dot series-\(series % 8)"))
                nodes.append(.group("point", parts, title: "\(incident.title) (\(l.incident)) · \(DelayMetric.label(l.metric)): \(l.span) (\(l.from ?? "") → \(l.to ?? ""))"))
            }
        }
        let bottom = top + Double(measured.count) * rowH + 4
        // Row backgrounds, then the grid, then the labels and dots.
        nodes = backgrounds + axis(scale, y: bottom, height: bottom - top, width: width) + nodes
        return .svg(width: width, height: bottom + 22, title: title,
                    description: "\(lines.count) delays of \(measured.count) incidents on one scale of days (square root).", nodes)
    }

    static func fmt(_ v: Double) -> String { formatDecimal(v, places: 1) }
}
