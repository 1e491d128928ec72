import Foundation

/// JSON for machines: keys sorted (so output is byte-stable across runs), no escaped slashes.
public func jsonString<T: Encodable>(_ value: T) throws -> String {
    Escape.json(String(decoding: try machineJSONEncoder().encode(value), as: UTF8.self)) + "\n"
}

/// The encoder of `jsonString`.
func machineJSONEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return encoder
}

/// The elements of a JSON array one at a time, for an array too long to hold: each as it reads
/// inside the array `jsonString` writes (indented as there), so `[` and a line break, the
/// elements separated by a comma and a line break, then a line break and `]` and a line break,
/// is byte for byte `jsonString` of the whole array (when it has an element).
public struct JSONArrayElements {
    private let encoder = machineJSONEncoder()

    public init() {}

    /// One element, without the comma.
    public func text<T: Encodable>(_ value: T) throws -> String {
        // The array of this one element, without its opening `[` and line break and its closing line break and `]`.
        let whole = try encoder.encode([value])
        return Escape.json(String(decoding: whole.dropFirst(2).dropLast(2), as: UTF8.self))
    }
}
