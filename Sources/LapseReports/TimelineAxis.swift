import Foundation
import LapseCore

extension TimelineChart {
    /// A linear time axis, cut where one empty stretch dwarfs everything else: with four or more
    /// distinct times, a gap longer than 30 days and more than three times the rest of the drawn
    /// time (which must not be nothing) is replaced by a break
    /// of fixed length, labelled with what was cut ("// 1.6 years"). Within the pieces, equal
    /// times take equal lengths; the scale is never compressed.
    struct Axis {
        /// A stretch of linear time and where it is drawn.
        struct Segment { let start: Int, end: Int, from: Double, to: Double }
        /// A cut gap: its times and the middle of its drawn length.
        struct Break { let start: Int, end: Int, position: Double }

        let segments: [Segment]
        let breaks: [Break]
        /// Gaps shorter than this are never cut (seconds).
        static let minimumBreak = 30 * 86_400
        static let maxBreaks = 4

        init(times: [Int], from low: Double, to high: Double, breakLength: Double = 44) {
            let sorted = Array(Set(times)).sorted()
            guard let first = sorted.first, let last = sorted.last else {
                segments = [Segment(start: 0, end: 0, from: low, to: low)]
                breaks = []
                return
            }
            let gaps = zip(sorted, sorted.dropFirst()).map { $1 - $0 }
            var cut = Set<Int>()
            var kept = last - first
            for _ in 0..<Self.maxBreaks {
                guard let (i, g) = gaps.enumerated().filter({ !cut.contains($0.offset) }).max(by: { $0.element < $1.element }),
                      sorted.count >= 4, g >= Self.minimumBreak, kept > g, g > 3 * (kept - g) else { break }
                cut.insert(i)
                kept -= g

            }
            // The pieces between cuts.
            var pieces: [(Int, Int)] = []
            var start = first
            for (i, (a, b)) in zip(sorted, sorted.dropFirst()).enumerated() where cut.contains(i) {
                pieces.append((start, a))
                start = b
            }
            pieces.append((start, last))
            let cuts = Double(pieces.count - 1)
            let span = high - low
            let breakLength = kept == 0 && cuts > 0 ? span / cuts : min(breakLength, span / 4)
            let scale = kept == 0 ? 0 : (span - cuts * breakLength) / Double(kept)
            var segments: [Segment] = [], breaks: [Break] = []
            var position = low
            for (i, (a, b)) in pieces.enumerated() {
                if i > 0 {
                    breaks.append(Break(start: pieces[i - 1].1, end: a, position: position + breakLength / 2))
                    position += breakLength
                }
                let length = Double(b - a) * scale
                segments.append(Segment(start: a, end: b, from: position, to: position + length))
                position += length
            }
            self.segments = segments
            self.breaks = breaks
        }

        /// Where a time is drawn; a time inside a cut gap is drawn across the break.
        func x(_ t: Int) -> Double {
            guard let first = segments.first, let last = segments.last else { return 0 }
            if t <= first.start { return first.from }
            if t >= last.end { return last.to }
            for (i, s) in segments.enumerated() {
                if t <= s.end {
                    if t >= s.start {
                        return s.end == s.start ? s.from : s.from + Double(t - s.start) / Double(s.end - s.start) * (s.to - s.from)
                    }
                    let prev = segments[i - 1]
                    return prev.to + Double(t - prev.end) / Double(s.start - prev.end) * (s.from - prev.to)
                }
            }
            return last.to
        }

        /// Tick times and their labels: the finest calendar step that leaves `spacing` between
        /// ticks in every segment; a segment drawn as a point gets one tick.
        func ticks(spacing: Double, hours: Bool, compact: Bool) -> [(t: Int, text: String, major: Bool)] {
            var out: [(Int, String, Bool)] = []
            var lastYear = Int.min, lastDay = Int.min
            for s in segments {
                let perSecond = s.end > s.start ? (s.to - s.from) / Double(s.end - s.start) : 0
                let step = TickStep.choices.first { Double($0.approximateSeconds) * perSecond >= spacing && (hours || $0.approximateSeconds >= 86_400) }
                    ?? .years(100)
                var times = s.end > s.start ? step.times(from: s.start, to: s.end) : []
                // Each piece's first moment is dated exactly; the ticks after it make room for it.
                let dated = times.first != s.start
                if dated { times.insert(s.start, at: 0) }
                for (k, t) in times.enumerated() {
                    let day = Int((Double(t) / 86_400).rounded(.down))
                    let c = CivilDate.civil(fromDays: day)
                    let newYear = c.year != lastYear
                    let month = Self.monthNames[c.month - 1]
                    var text: String
                    switch s.end == s.start || (dated && k == 0) ? (hours ? step : .days(1)) : step {
                    case .years: text = "\(c.year)"
                    case .months: text = newYear ? "\(month) \(c.year)" : month
                    case .days: text = !newYear ? "\(month) \(c.day)" : "\(month) \(c.day), \(c.year)"
                    case .hours:
                        let second = t - day * 86_400
                        let clock = String(format: "%02d:%02d", second / 3600, second % 3600 / 60)
                        text = day == lastDay ? clock : "\(month) \(c.day) \(clock)"
                    }
                    out.append((t, text, newYear))
                    lastYear = c.year
                    lastDay = day
                }
            }
            return out
        }

        static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    }

    /// A calendar step between ticks.
    enum TickStep {
        case hours(Int), days(Int), months(Int), years(Int)

        static let choices: [TickStep] = [.hours(1), .hours(3), .hours(6), .hours(12), .days(1), .days(2), .days(7), .days(14),
                                          .months(1), .months(2), .months(3), .months(6), .years(1), .years(2), .years(5), .years(10),
                                          .years(25), .years(100)]

        var approximateSeconds: Int {
            switch self {
            case .hours(let h): h * 3600
            case .days(let d): d * 86_400
            case .months(let m): m * 2_629_800
            case .years(let y): y * 31_557_600
            }
        }

        /// The step's boundaries within [from, to]: whole hours, days, first days of months, New Years.
        func times(from: Int, to: Int) -> [Int] {
            var out: [Int] = []
            switch self {
            case .hours(let h):
                var t = Int((Double(from) / Double(h * 3600)).rounded(.up)) * h * 3600
                while t <= to { out.append(t); t += h * 3600 }
            case .days(let d):
                let firstDay = Int((Double(from) / 86_400).rounded(.up))
                // Weeks start on Mondays (day 0, 1970-01-01, was a Thursday).
                var day = d == 7 || d == 14 ? firstDay + ((4 - firstDay) % 7 + 7) % 7 : firstDay
                while day * 86_400 <= to { out.append(day * 86_400); day += d }
            case .months(let m):
                let c = CivilDate.civil(fromDays: Int((Double(from) / 86_400).rounded(.down)))
                var index = c.year * 12 + c.month - 1
                index = Int((Double(index) / Double(m)).rounded(.up)) * m
                while true {
                    let t = CivilDate.daysFromCivil(year: index / 12, month: index % 12 + 1, day: 1) * 86_400
                    if t > to { break }
                    if t >= from { out.append(t) }
                    index += m
                }
            case .years(let y):
                var year = Int((Double(CivilDate.civil(fromDays: Int((Double(from) / 86_400).rounded(.down))).year) / Double(y)).rounded(.up)) * y
                while true {
                    let t = CivilDate.daysFromCivil(year: year, month: 1, day: 1) * 86_400
                    if t > to { break }
                    if t >= from { out.append(t) }
                    year += y
                }
            }
            return out
        }
    }

    /// A cut gap in words: "45 days", "5 months", "1.6 years".
    static func gapText(_ seconds: Int) -> String {
        let days = Double(seconds) / 86_400
        if days >= 365 { return "\(formatDecimal(days / 365.25, places: 1)) years" }
        if days >= 60 { return "\(Int((days / 30.44).rounded())) months" }
        return "\(Int(days.rounded())) days"
    }
}

/// A row of labels along a line: intervals already taken, so a new label goes only where it fits.
struct LabelRow {
    private(set) var taken: [ClosedRange<Double>] = []
    /// Room kept between two labels.
    var gap = 4.0

    func fits(_ r: ClosedRange<Double>) -> Bool {
        !taken.contains { $0.lowerBound - gap < r.upperBound && r.lowerBound < $0.upperBound + gap }
    }

    mutating func take(_ r: ClosedRange<Double>) { taken.append(r) }
}
