import Foundation

/// JSON for machines: keys sorted (so output is byte-stable across runs), no escaped slashes.
public func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Escape.json(String(decoding: try encoder.encode(value), as: UTF8.self)) + "\n"
}
