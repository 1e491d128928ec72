import Foundation

/// A date as precise as its source: a year, a month, a day, a local minute, or an instant,
/// optionally marked approximate (`~`) or uncertain (`?`), as in EDTF.
public struct EventTime: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// How much of the date the source gave.
    public enum Precision: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case year, month, day, minute, second

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
        public var description: String {
            switch self {
            case .year: "year"
            case .month: "month"
            case .day: "day"
            case .minute: "minute"
            case .second: "second"
            }
        }
    }

    /// The EDTF qualifiers Lapse accepts.
    public enum Qualifier: Character, Sendable, Hashable {
        case approximate = "~"
        case uncertain = "?"
    }

    // Stored compactly (16 bytes, no references): timelines of a million events are copied
    // and compared in hot loops. Absent parts are -1; an absent offset is Int32.min.
    private let storedYear: Int16
    private let storedMonth: Int8, storedDay: Int8, storedHour: Int8, storedMinute: Int8, storedSecond: Int8
    private let storedFlags: UInt8  // bit 0: Zulu; bits 1-2: qualifier (1 approximate, 2 uncertain); bit 3: written -00:00
    private let storedOffset: Int32

    public var year: Int { Int(storedYear) }
    public var month: Int? { storedMonth < 0 ? nil : Int(storedMonth) }
    public var day: Int? { storedDay < 0 ? nil : Int(storedDay) }
    public var hour: Int? { storedHour < 0 ? nil : Int(storedHour) }
    public var minute: Int? { storedMinute < 0 ? nil : Int(storedMinute) }
    public var second: Int? { storedSecond < 0 ? nil : Int(storedSecond) }
    /// Offset from UTC in seconds when the time was written with `Z` or `±HH:MM`.
    public var utcOffset: Int? { storedOffset == Int32.min ? nil : Int(storedOffset) }
    /// True when the offset was written as `Z` rather than `+00:00`.
    public var isZulu: Bool { storedFlags & 1 != 0 }
    public var qualifier: Qualifier? {
        switch (storedFlags >> 1) & 3 {
        case 1: .approximate
        case 2: .uncertain
        default: nil
        }
    }

    /// The forms an EventTime may take, for error messages and help.
    public static let expectedForms =
        "YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM (local to the incident's timezone), or YYYY-MM-DDTHH:MM[:SS] with Z or ±HH:MM, optionally followed by ~ (approximate) or ? (uncertain)"

    public var precision: Precision {
        if storedSecond >= 0 { return .second }
        if storedMinute >= 0 { return .minute }
        if storedDay >= 0 { return .day }
        if storedMonth >= 0 { return .month }
        return .year
    }

    /// True when the source gave the time of day, so exact hours can be computed.
    public var hasTimeOfDay: Bool { storedHour >= 0 }

    public var isApproximate: Bool { qualifier == .approximate }
    public var isUncertain: Bool { qualifier == .uncertain }

    /// Parses one of the spec's forms; returns nil for anything else, including impossible dates.
    public init?(_ text: String) {
        guard let parsed = try? EventTime(parsing: text) else { return nil }
        self = parsed
    }

    /// Parses one of the spec's forms, saying what was wrong when it is not one.
    public init(parsing text: String) throws(EventTimeError) {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw EventTimeError(text: text, reason: "it is empty") }
        var qualifier: Qualifier?
        if let last = bytes.last, last == UInt8(ascii: "~") || last == UInt8(ascii: "?") {
            qualifier = last == UInt8(ascii: "~") ? .approximate : .uncertain
            bytes.removeLast()
        }
        var scanner = Scanner(bytes: bytes, text: text)
        let year = try scanner.number(digits: 4, name: "year")
        guard year >= 1 else { throw EventTimeError(text: text, reason: "year 0000 does not exist") }
        var month: Int?, day: Int?, hour: Int?, minute: Int?, second: Int?, offset: Int?
        var zulu = false
        var negativeZero = false
        if scanner.take("-") {
            let m = try scanner.number(digits: 2, name: "month")
            guard (1...12).contains(m) else { throw EventTimeError(text: text, reason: "month \(m) is not 01-12") }
            month = m
            if scanner.take("-") {
                let d = try scanner.number(digits: 2, name: "day")
                let length = CivilDate.daysInMonth(year: year, month: m)
                guard (1...length).contains(d) else {
                    throw EventTimeError(text: text, reason: "day \(d) does not exist in \(CivilDate.monthName(m)) \(year), which has \(length) days")
                }
                day = d
                if scanner.take("T") {
                    let h = try scanner.number(digits: 2, name: "hour")
                    guard h < 24 else { throw EventTimeError(text: text, reason: "hour \(h) is not 00-23") }
                    guard scanner.take(":") else { throw EventTimeError(text: text, reason: "expected ':' and minutes after the hour") }
                    let mi = try scanner.number(digits: 2, name: "minute")
                    guard mi < 60 else { throw EventTimeError(text: text, reason: "minute \(mi) is not 00-59") }
                    hour = h
                    minute = mi
                    if scanner.take(":") {
                        let s = try scanner.number(digits: 2, name: "second")
                        guard s < 60 else { throw EventTimeError(text: text, reason: "second \(s) is not 00-59") }
                        second = s
                        if scanner.take(".") {
                            throw EventTimeError(text: text, reason: "fractions of a second are not supported; round to the second")
                        }
                    }
                    if scanner.take("Z") {
                        offset = 0
                        zulu = true
                    } else if let sign = scanner.takeSign() {
                        let oh = try scanner.number(digits: 2, name: "offset hours")
                        guard scanner.take(":") else { throw EventTimeError(text: text, reason: "expected the offset as ±HH:MM") }
                        let om = try scanner.number(digits: 2, name: "offset minutes")
                        guard oh <= 14, om < 60 else { throw EventTimeError(text: text, reason: "offset \(pad(oh, 2)):\(pad(om, 2)) is out of range (at most ±14:00)") }
                        offset = sign * (oh * 3600 + om * 60)
                        negativeZero = sign < 0 && offset == 0
                    } else if second != nil {
                        throw EventTimeError(text: text, reason: "a time with seconds must carry an offset (Z or ±HH:MM)")
                    }
                }
            }
        }
        guard scanner.atEnd else {
            throw EventTimeError(text: text, reason: "unexpected '\(scanner.rest)'")
        }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                  utcOffset: offset, isZulu: zulu, qualifier: qualifier, negativeZeroOffset: negativeZero)
    }

    /// The years an EventTime can hold: four digits, as the spec writes them.
    public static let years = 1...9999

    /// Builds an EventTime from computed or imported parts, or nil when any part is out of range
    /// (a year outside 1-9999, a day its month lacks, an hour past 23, an offset past ±14:59): the
    /// checked way in for dates from outside, which must never trap or be stored unprintable.
    public init?(checkingYear year: Int, month: Int? = nil, day: Int? = nil, hour: Int? = nil, minute: Int? = nil,
                 second: Int? = nil, utcOffset: Int? = nil, isZulu: Bool = false, qualifier: Qualifier? = nil) {
        guard Self.years.contains(year) else { return nil }
        if let month { guard (1...12).contains(month) else { return nil } }
        if let day {
            guard let month, (1...CivilDate.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        }
        if hour != nil || minute != nil {
            guard day != nil, let hour, let minute, (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        }
        if let second { guard minute != nil, (0...59).contains(second) else { return nil } }
        if let utcOffset { guard minute != nil, abs(utcOffset) < 15 * 3600, utcOffset % 60 == 0 else { return nil } }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                  utcOffset: utcOffset, isZulu: isZulu, qualifier: qualifier)
    }

    /// Builds an EventTime from parts that are already known to be valid.
    public init(year: Int, month: Int? = nil, day: Int? = nil, hour: Int? = nil, minute: Int? = nil,
                second: Int? = nil, utcOffset: Int? = nil, isZulu: Bool = false, qualifier: Qualifier? = nil,
                negativeZeroOffset: Bool = false) {
        storedYear = Int16(year)
        storedMonth = Int8(month ?? -1)
        storedDay = Int8(day ?? -1)
        storedHour = Int8(hour ?? -1)
        storedMinute = Int8(minute ?? -1)
        storedSecond = Int8(second ?? -1)
        storedOffset = utcOffset.map { Int32($0) } ?? Int32.min
        let q: UInt8 = switch qualifier {
        case .approximate: 1
        case .uncertain: 2
        case nil: 0
        }
        storedFlags = (isZulu && utcOffset == 0 ? 1 : 0) | q << 1 | (negativeZeroOffset && utcOffset == 0 && !isZulu ? 8 : 0)
    }

    /// The EventTime as written: parsing and printing round-trip unchanged.
    public var description: String {
        var s = pad(year, 4)
        if let month { s += "-" + pad(month, 2) }
        if let day { s += "-" + pad(day, 2) }
        if let hour, let minute { s += "T" + pad(hour, 2) + ":" + pad(minute, 2) }
        if let second { s += ":" + pad(second, 2) }
        if let utcOffset {
            if isZulu {
                s += "Z"
            } else {
                let sign = utcOffset < 0 || storedFlags & 8 != 0 ? "-" : "+"
                let a = abs(utcOffset)
                s += sign + pad(a / 3600, 2) + ":" + pad(a % 3600 / 60, 2)
            }
        }
        if let qualifier { s.append(qualifier.rawValue) }
        return s
    }

    // MARK: - Resolution to days and instants

    /// Where a time falls in an incident's zone: the calendar days it covers and the local
    /// wall-clock second it starts at. Only times written with an offset consult the zone.
    public struct Placement: Sendable, Hashable {
        /// First calendar day covered (days since 1970-01-01).
        public let firstDay: Int
        /// Last calendar day covered.
        public let lastDay: Int
        /// The first local second covered (wall clock in the zone, counted like UTC seconds).
        public let localStart: Int
        public var days: ClosedRange<Int> { firstDay...lastDay }
    }

    /// The time placed in `zone`.
    public func placement(in zone: TimeZone) -> Placement {
        guard let month else {
            let first = CivilDate.daysFromCivil(year: year, month: 1, day: 1)
            return Placement(firstDay: first, lastDay: first + (CivilDate.isLeapYear(year) ? 365 : 364), localStart: first * 86_400)
        }
        guard let day else {
            let first = CivilDate.daysFromCivil(year: year, month: month, day: 1)
            return Placement(firstDay: first, lastDay: first + CivilDate.daysInMonth(year: year, month: month) - 1, localStart: first * 86_400)
        }
        let d = CivilDate.daysFromCivil(year: year, month: month, day: day)
        guard let hour, let minute else { return Placement(firstDay: d, lastDay: d, localStart: d * 86_400) }
        let written = d * 86_400 + hour * 3600 + minute * 60 + (second ?? 0)
        guard let utcOffset else { return Placement(firstDay: d, lastDay: d, localStart: written) }
        let instant = written - utcOffset
        let local = instant + CivilDate.offset(of: zone, at: instant)
        let localDay = Int((Double(local) / 86_400).rounded(.down))
        return Placement(firstDay: localDay, lastDay: localDay, localStart: local)
    }

    /// The first and last calendar day (days since 1970-01-01) the time covers, in `zone`
    /// for times with an offset; dates and local times are already calendar dates.
    public func dayRange(in zone: TimeZone) -> ClosedRange<Int> {
        placement(in: zone).days
    }

    /// The first instant the time covers (seconds since 1970 UTC); local parts are read in `zone`.
    public func firstInstant(in zone: TimeZone) -> Int {
        if let utcOffset, let hour, let minute, let day, let month {
            return CivilDate.daysFromCivil(year: year, month: month, day: day) * 86_400
                + hour * 3600 + minute * 60 + (second ?? 0) - utcOffset
        }
        let local = CivilDate.daysFromCivil(year: year, month: month ?? 1, day: day ?? 1) * 86_400
            + (hour ?? 0) * 3600 + (minute ?? 0) * 60
        return CivilDate.instant(localSeconds: local, in: zone)
    }

    /// The instant the time is exact to, when it names a time of day; nil otherwise.
    public func exactInstant(in zone: TimeZone) -> Int? {
        hasTimeOfDay ? firstInstant(in: zone) : nil
    }

    /// The end of what the time covers (exclusive), in seconds since 1970 UTC.
    public func endInstant(in zone: TimeZone) -> Int {
        switch precision {
        case .second: return firstInstant(in: zone) + 1
        case .minute: return firstInstant(in: zone) + 60
        default:
            let range = dayRange(in: zone)
            return CivilDate.instant(localSeconds: (range.upperBound + 1) * 86_400, in: zone)
        }
    }
}

extension EventTime: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try EventTime(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why a string is not an EventTime.
public struct EventTimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let reason: String
    public var description: String {
        "\"\(text)\" is not a valid time: \(reason); expected \(EventTime.expectedForms)"
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// A tiny cursor over the ASCII bytes of an EventTime.
private struct Scanner {
    let bytes: [UInt8]
    let text: String
    var index = 0

    init(bytes: [UInt8], text: String) {
        self.bytes = bytes
        self.text = text
    }

    var atEnd: Bool { index == bytes.count }
    var rest: String { String(decoding: bytes[index...], as: UTF8.self) }

    mutating func number(digits: Int, name: String) throws(EventTimeError) -> Int {
        var value = 0
        for _ in 0..<digits {
            guard index < bytes.count, (48...57).contains(bytes[index]) else {
                throw EventTimeError(text: text, reason: "the \(name) must be \(digits) digits")
            }
            value = value * 10 + Int(bytes[index] - 48)
            index += 1
        }
        return value
    }

    mutating func take(_ char: Character) -> Bool {
        guard index < bytes.count, bytes[index] == char.asciiValue else { return false }
        index += 1
        return true
    }

    mutating func takeSign() -> Int? {
        if take("+") { return 1 }
        if take("-") { return -1 }
        return nil
    }
}

/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01),
/// free of Foundation's Calendar so hot loops do not allocate.
public enum CivilDate {
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func monthName(_ month: Int) -> String {
        ["January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December"][month - 1]
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number.
    public static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for an instant (seconds since 1970 UTC), in the proleptic Gregorian
    /// calendar like every date Lapse reads (Foundation's formatters switch to Julian before 1582).
    public static func isoInstant(_ seconds: Int) -> String {
        let day = Int((Double(seconds) / 86_400).rounded(.down))
        let s = seconds - day * 86_400
        return string(fromDays: day) + "T" + pad(s / 3600, 2) + ":" + pad(s % 3600 / 60, 2) + ":" + pad(s % 60, 2) + "Z"
    }

    /// `YYYY-MM-DD` for a day number.
    public static func string(fromDays days: Int) -> String {
        let c = civil(fromDays: days)
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    /// The UTC instant of a wall-clock time in `zone`; in a gap (spring forward) the
    /// time is read with the offset in force before the change, as most libraries do.
    static func instant(localSeconds: Int, in zone: TimeZone) -> Int {
        let guess = localSeconds - offset(of: zone, at: localSeconds)
        return localSeconds - offset(of: zone, at: guess)
    }

    /// The zone's offset from UTC at an instant; UTC itself without a lookup.
    static func offset(of zone: TimeZone, at instant: Int) -> Int {
        zone.identifier == "UTC" || zone.identifier == "GMT" ? 0 : zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }
}
