import Foundation
import LapseCore

/// A Unicode date pattern (`MM/dd/yyyy hh:mm:ss a`, `dd.MM.yyyy`, `yyyy-MM-dd'T'HH:mm XXX`)
/// read by hand: English month names, no locale, no shared formatter. The result keeps the
/// precision the pattern gives; a time of exactly 00:00:00 without an offset is read as the
/// date alone, because spreadsheets and exports write bare dates as midnight.
public struct DatePattern: Sendable {
    enum Field: Sendable, Equatable {
        case literal(String)
        case year(digits: Int)      // y: 1-4 digits, yy: two digits (20xx), yyyy: four
        case month(width: Int)      // M, MM: number; MMM: "Apr"; MMMM: "April"
        case day, hour24, hour12, minute, second
        case fraction               // S...: read and dropped
        case amPM
        case offset                 // X, XX, XXX, Z, ZZZZZ: Z, +hhmm or +hh:mm
    }

    let pattern: String
    let fields: [Field]

    static let months = ["january", "february", "march", "april", "may", "june", "july", "august",
                         "september", "october", "november", "december"]

    public init(_ pattern: String) throws {
        self.pattern = pattern
        var fields: [Field] = []
        let chars = Array(pattern)
        var i = 0
        var literal = ""
        func flush() {
            if !literal.isEmpty { fields.append(.literal(literal)); literal = "" }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                // 'text' is literal; '' is a quote.
                if i + 1 < chars.count, chars[i + 1] == "'" { literal.append("'"); i += 2; continue }
                var j = i + 1
                while j < chars.count, chars[j] != "'" { literal.append(chars[j]); j += 1 }
                guard j < chars.count else { throw DatePatternError("--date-format: the quote opened at position \(i + 1) is never closed") }
                i = j + 1
                continue
            }
            guard c.isASCII, c.isLetter else { literal.append(c); i += 1; continue }
            var n = 1
            while i + n < chars.count, chars[i + n] == c { n += 1 }
            flush()
            switch c {
            case "y", "u": fields.append(.year(digits: n == 2 ? 2 : n >= 4 ? 4 : 0))
            case "M", "L": fields.append(.month(width: min(n, 4)))
            case "d": fields.append(.day)
            case "H": fields.append(.hour24)
            case "h": fields.append(.hour12)
            case "m": fields.append(.minute)
            case "s": fields.append(.second)
            case "S": fields.append(.fraction)
            case "a": fields.append(.amPM)
            case "X", "x", "Z": fields.append(.offset)
            default:
                throw DatePatternError("--date-format: the pattern letter \"\(c)\" is not supported; use y, M, d, H, h, m, s, S, a and X (quote literal letters as 'T')")
            }
            i += n
        }
        flush()
        self.fields = fields
        let has = { (f: (Field) -> Bool) in fields.contains(where: f) }
        guard has({ if case .year = $0 { true } else { false } }) else {
            throw DatePatternError("--date-format: \"\(pattern)\" has no year (y); expected a pattern such as MM/dd/yyyy")
        }
        if has({ $0 == .hour12 }) && !has({ $0 == .amPM }) {
            throw DatePatternError("--date-format: \"\(pattern)\" has a 12-hour clock (h) without AM/PM (a); use HH for a 24-hour clock")
        }
    }

    /// Reads a cell; the reason it does not match otherwise.
    func parse(_ text: String) -> Result<EventTime, PatternMismatch> {
        var s = Substring(text)
        var year: Int?, month: Int?, day: Int?, hour: Int?, minute: Int?, second: Int?
        var pm: Bool?
        var offset: Int?
        var zulu = false
        func fail(_ why: String) -> Result<EventTime, PatternMismatch> { .failure(PatternMismatch(reason: why)) }
        func number(max digits: Int, min least: Int = 1) -> Int? {
            let run = s.prefix { $0.isASCII && $0.isNumber }.prefix(digits)
            guard run.count >= least else { return nil }
            s = s.dropFirst(run.count)
            return Int(run)
        }
        for field in fields {
            switch field {
            case .literal(let l):
                guard s.hasPrefix(l) else { return fail("expected \"\(l)\" at \"\(s)\"") }
                s = s.dropFirst(l.count)
            case .year(let digits):
                let y = digits == 2 ? number(max: 2, min: 2).map { 2000 + $0 } : number(max: 4, min: digits == 4 ? 4 : 1)
                guard let y, y >= 1 else { return fail("expected the year") }
                year = y
            case .month(let width):
                if width >= 3 {
                    let word = s.prefix { $0.isLetter }.lowercased()
                    guard word.count >= 3, let m = Self.months.firstIndex(where: { width == 3 ? $0.hasPrefix(word) : $0 == word }) else {
                        return fail("expected the month's name")
                    }
                    s = s.dropFirst(word.count)
                    month = m + 1
                } else {
                    guard let m = number(max: 2), (1...12).contains(m) else { return fail("expected a month 1-12") }
                    month = m
                }
            case .day:
                guard let d = number(max: 2), d >= 1 else { return fail("expected the day of the month") }
                day = d
            case .hour24:
                guard let h = number(max: 2), h < 24 else { return fail("expected an hour 0-23") }
                hour = h
            case .hour12:
                guard let h = number(max: 2), (1...12).contains(h) else { return fail("expected an hour 1-12") }
                hour = h
            case .minute:
                guard let m = number(max: 2), m < 60 else { return fail("expected minutes 0-59") }
                minute = m
            case .second:
                guard let v = number(max: 2), v < 60 else { return fail("expected seconds 0-59") }
                second = v
            case .fraction:
                guard number(max: 9) != nil else { return fail("expected fractions of a second") }
            case .amPM:
                let word = s.prefix(2).uppercased()
                guard word == "AM" || word == "PM" else { return fail("expected AM or PM") }
                pm = word == "PM"
                s = s.dropFirst(2)
            case .offset:
                if s.hasPrefix("Z") {
                    offset = 0
                    zulu = true
                    s = s.dropFirst()
                } else if let sign = s.first, sign == "+" || sign == "-" {
                    s = s.dropFirst()
                    // The bounds of EventTime's offsets, so that whatever is read here can be stored and read back.
                    guard let h = number(max: 2, min: 2), h <= 14 else { return fail("expected an offset such as +02:00, at most ±14:00") }
                    if s.hasPrefix(":") { s = s.dropFirst() }
                    let m = number(max: 2, min: 2) ?? 0
                    guard m < 60 else { return fail("offset minutes \(m) are not 00-59") }
                    offset = (sign == "-" ? -1 : 1) * (h * 3600 + m * 60)
                } else {
                    return fail("expected an offset: Z or ±hh:mm")
                }
            }
        }
        guard s.isEmpty else { return fail("unexpected \"\(s)\" after the date") }
        guard let year else { return fail("no year") }
        if let m = month, let d = day, d > CivilDate.daysInMonth(year: year, month: m) {
            return fail("day \(d) does not exist in that month")
        }
        if let p = pm, let h = hour { hour = h % 12 + (p ? 12 : 0) }
        guard let month else { return .success(EventTime(year: year)) }
        guard let day else { return .success(EventTime(year: year, month: month)) }
        guard let hour else { return .success(EventTime(year: year, month: month, day: day)) }
        let m = minute ?? 0
        if let offset {
            return .success(EventTime(year: year, month: month, day: day, hour: hour, minute: m, second: second ?? 0,
                                      utcOffset: offset, isZulu: zulu))
        }
        // Midnight on the dot is how date-only values come out of spreadsheets: keep the day.
        if hour == 0 && m == 0 && (second ?? 0) == 0 {
            return .success(EventTime(year: year, month: month, day: day))
        }
        // A local time has minute precision in the data contract: seconds are dropped.
        return .success(EventTime(year: year, month: month, day: day, hour: hour, minute: m))
    }
}

/// Why a cell does not match the date pattern.
struct PatternMismatch: Error, Sendable {
    var reason: String
}

/// A `--date-format` pattern that cannot be used, and why.
public struct DatePatternError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
