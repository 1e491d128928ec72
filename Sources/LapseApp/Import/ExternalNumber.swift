import Foundation

/// Numbers from outside (JSONSerialization's `NSNumber`s), range-checked before conversion: a
/// count such as 2^63 or 1e30 is a problem to report, never a trap.
enum ExternalNumber {
    /// The value as an `Int` when it is a number (not `true`/`false`), whole, and within `Int`'s
    /// range; nil otherwise. Bridging `as? Int` is exact: 1.5, 2^63 and 1e30 give nil.
    static func whole(_ value: Any?) -> Int? {
        guard let value, !isBoolean(value) else { return nil }
        return value as? Int
    }

    /// True for JSON's `true` and `false`. (`value is Bool` will not do: any NSNumber of 0 or 1
    /// bridges to Bool.)
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
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
        if let number = value as? NSNumber { return isBoolean(value) ? (number.boolValue ? "true" : "false") : number.stringValue }
        return "\(value)"
    }
}
