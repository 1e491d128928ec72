import Foundation

/// Finds where a path such as `incidents[3].events[2].at` is in a JSON text by scanning its bytes:
/// no tree is built, so placing a problem in a large file costs one pass and no memory beyond
/// the bytes themselves. Values off the path are skipped without recursion.
struct JSONLocator {
    let bytes: [UInt8]

    init(_ data: Data) {
        bytes = [UInt8](data)
    }

    /// The line (1-based) of the deepest value the path reaches: a missing field is placed at the
    /// object that lacks it. Nil when the text is not JSON along the way.
    func line(of path: String) -> Int? {
        locate(path).map { line(at: $0.lowerBound) }
    }

    /// The bytes of the deepest value the path reaches.
    func locate(_ path: String) -> Range<Int>? {
        var i = skipSpace(from: 0)
        guard i < bytes.count else { return nil }
        for step in Self.steps(of: path) {
            let next: Int?
            switch step {
            case .key(let key): next = member(key, inObjectAt: i)
            case .index(let index): next = element(index, inArrayAt: i)
            }
            // A step that cannot be taken leaves the path at the value reached so far.
            guard let next else { break }
            i = next
        }
        guard let end = endOfValue(at: i) else { return nil }
        return i..<end
    }

    /// The line of a byte offset.
    func line(at offset: Int) -> Int {
        var line = 1
        for byte in bytes[..<min(offset, bytes.count)] where byte == 0x0A { line += 1 }
        return line
    }

    enum Step: Equatable { case key(String), index(Int) }

    /// `incidents[3].events[2].at` as steps. Keys are taken as written (lapse/1 keys have no dots
    /// or brackets).
    static func steps(of path: String) -> [Step] {
        var steps: [Step] = []
        for component in path.split(separator: ".") {
            var parts = component.split(separator: "[", omittingEmptySubsequences: false)
            let key = String(parts.removeFirst())
            if !key.isEmpty { steps.append(.key(key)) }
            for part in parts {
                guard part.hasSuffix("]"), let index = Int(part.dropLast()) else { return steps }
                steps.append(.index(index))
            }
        }
        return steps
    }

    // MARK: - Scanning

    private func skipSpace(from start: Int) -> Int {
        var i = start
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        return i
    }

    /// The offset just past the string that starts at `start` (a quote).
    private func endOfString(at start: Int) -> Int? {
        var i = start + 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i + 1
            default: i += 1
            }
        }
        return nil
    }

    /// The offset just past the value that starts at `start`: nesting is counted, not recursed.
    private func endOfValue(at start: Int) -> Int? {
        var depth = 0
        var i = start
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                guard let end = endOfString(at: i) else { return nil }
                i = end
                if depth == 0 { return i }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return i > start ? i : nil }
                depth -= 1
                i += 1
                if depth == 0 { return i }
            case UInt8(ascii: ","), UInt8(ascii: ":"), 0x20, 0x0A, 0x0D, 0x09:
                if depth == 0 { return i > start ? i : nil }
                i += 1
            default:
                i += 1
            }
        }
        return depth == 0 && i > start ? i : nil
    }

    /// The start of the value of `key` in the object at `start`.
    private func member(_ key: String, inObjectAt start: Int) -> Int? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "{") else { return nil }
        let wanted = Array(key.utf8)
        var i = skipSpace(from: start + 1)
        while i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
            guard let keyEnd = endOfString(at: i) else { return nil }
            let name = bytes[(i + 1)..<(keyEnd - 1)]
            i = skipSpace(from: keyEnd)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            let value = skipSpace(from: i + 1)
            if name.elementsEqual(wanted) { return value }
            guard let end = endOfValue(at: value) else { return nil }
            i = skipSpace(from: end)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else { return nil }
            i = skipSpace(from: i + 1)
        }
        return nil
    }

    /// The start of element `index` of the array at `start`.
    private func element(_ index: Int, inArrayAt start: Int) -> Int? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "[") else { return nil }
        var i = skipSpace(from: start + 1)
        var n = 0
        while i < bytes.count, bytes[i] != UInt8(ascii: "]") {
            if n == index { return i }
            guard let end = endOfValue(at: i) else { return nil }
            i = skipSpace(from: end)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else { return nil }
            i = skipSpace(from: i + 1)
            n += 1
        }
        return nil
    }
}
