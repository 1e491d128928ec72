import Foundation
import LapseCore

// Text formatting shared by the reports and the command line, in one place.

/// A delay as a reader wants it: `11 d`, `386–416 d`, or `4 h 13 min` for exact spans under three days.
public func spanText(_ delay: Delay) -> String { spanText(days: delay.days, seconds: delay.seconds) }

/// A span in days (and exact seconds, when known) as a reader wants it.
public func spanText(days: DayDelay, seconds: Int?) -> String {
    if let s = seconds, abs(s) < 3 * 86_400 {
        let m = abs(s) / 60, sign = s < 0 ? "−" : ""
        if m < 60 { return "\(sign)\(m) min" }
        return m % 60 == 0 ? "\(sign)\(m / 60) h" : "\(sign)\(m / 60) h \(m % 60) min"
    }
    func v(_ x: Int) -> String { x < 0 ? "−\(-x)" : "\(x)" }
    return days.isExact ? "\(v(days.min)) d" : "\(v(days.min))–\(v(days.max)) d"
}

/// "1 incident", "2,500 incidents".
func incidentCount(_ n: Int) -> String { "\(groupedNumber(n)) incident\(n == 1 ? "" : "s")" }

/// 77000000 → "77,000,000".
public func groupedNumber(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}

/// A number with at most `places` decimals and no trailing zeros: 4.2166 → "4.22", 4.0 → "4", 401.5 → "401.5".
/// Done by hand: String(format:) goes through a locale-aware formatter, far too slow for a million rows.
public func formatDecimal(_ value: Double, places: Int = 2) -> String {
    let scale = [1.0, 10, 100, 1000, 10000][min(places, 4)]
    let scaled = Int((abs(value) * scale).rounded())
    let whole = scaled / Int(scale)
    var fraction = scaled % Int(scale)
    var digits = places
    while digits > 0 && fraction % 10 == 0 && fraction > 0 { fraction /= 10; digits -= 1 }
    let sign = value < 0 && scaled != 0 ? "-" : ""
    guard fraction > 0 else { return sign + String(whole) }
    let text = String(fraction)
    return sign + String(whole) + "." + String(repeating: "0", count: digits - text.count) + text
}
