import Foundation

/// Numbers from outside (JSONSerialization's `NSNumber`s), range-checked before conversion: a
/// count such as 2^63 or 1e30 is a problem to report, never a trap.
enum ExternalNumber {
    /// The value as an `Int` when it is a number (not `true`/`false`), whole, and within `Int`'s
    /// range; nil otherwise. Bridging `as? Int` is exact: 1.5, 2^63 and 1e30 give nil.
    static func whole(_ value: Any?) -> Int? {
        guard let value, !(value is Bool) else { return nil }
        return value as? Int
    }

    /// A count of records: a whole number from 0 to `countLimit`.
    static func count(_ value: Any?) -> Int? {
        guard let n = whole(value), (0...countLimit).contains(n) else { return nil }
        return n
    }

    /// The largest count Lapse stores (10^15, far above any real breach, far below `Int.max`):
    /// larger ones are typing errors or hostile.
    static let countLimit = 1_000_000_000_000_000

    /// How a value from outside reads in a message: strings quoted, numbers as written.
    static func text(_ value: Any) -> String {
        if let string = value as? String { return quoted(string) }
        if let number = value as? NSNumber, !(value is Bool) { return number.stringValue }
        return "\(value)"
    }
}
