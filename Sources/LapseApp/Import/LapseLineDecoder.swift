import Foundation
import LapseCore

/// A hand-written reader for one line of lapse/1 JSON Lines, for the common case: a well-formed
/// `{"party": {...}}` or `{"incident": {...}}` whose values all have the expected types. It
/// gives exactly what `JSONDecoder` gives for such a line, with a fraction of the work
/// (`JSONDecoder` was three quarters of the reading thread's instructions). Anything else —
/// invalid JSON, a missing or mistyped field, a duplicated key, an unknown vocabulary value, a
/// time that does not parse, invalid UTF-8 — returns nil, and the caller decodes the line with
/// `JSONDecoder`, which reports the problem as before. Unknown keys are skipped, as `Decodable`
/// skips them.
struct LapseLineDecoder {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var at = 0

    /// Why the fast path gives up: the line goes to `JSONDecoder`.
    private struct NotSimple: Error {}

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The record on the line, or nil when `JSONDecoder` must read it.
    static func record(_ line: UnsafeBufferPointer<UInt8>) -> LapseRecord? {
        var reader = LapseLineDecoder(line)
        return try? reader.record()
    }

    // MARK: Records

    private mutating func record() throws -> LapseRecord {
        var party: Party?
        var incident: Incident?
        try object { key, reader in
            switch key {
            case "party": party = try reader.party()
            case "incident": incident = try reader.incident()
            default: try reader.skipValue()
            }
        }
        skipSpace()
        guard at == bytes.count else { throw NotSimple() }
        // `LapseRecord` reads "party" when both are given; the slow path decides that case.
        switch (party, incident) {
        case (let p?, nil): return .party(p)
        case (nil, let i?): return .incident(i)
        default: throw NotSimple()
        }
    }

    private mutating func party() throws -> Party {
        var id: String?, name: String?, kind: PartyKind?, aliases: [String]?
        var parent: String?, affiliation: String?, role: String?, country: String?, sector: String?
        try object { key, r in
            switch key {
            case "id": id = try r.string()
            case "name": name = try r.string()
            case "kind": kind = try r.vocabulary()
            case "aliases": aliases = try r.optional { try $0.strings() }
            case "parent": parent = try r.optional { try $0.string() }
            case "affiliation": affiliation = try r.optional { try $0.string() }
            case "role": role = try r.optional { try $0.string() }
            case "country": country = try r.optional { try $0.string() }
            case "sector": sector = try r.optional { try $0.string() }
            default: try r.skipValue()
            }
        }
        guard let id, let name, let kind else { throw NotSimple() }
        return Party(id: id, name: name, kind: kind, aliases: aliases ?? [], parent: parent, affiliation: affiliation,
                     role: role, country: country, sector: sector)
    }

    private mutating func incident() throws -> Incident {
        var id: String?, title: String?, organization: String?, kinds: [IncidentKind]?, summary: String?
        var recordsAffected: Int?, timezone: String?, jurisdictions: [String]?, tags: [String]?, events: [Event]?
        var closed: EventTime?
        try object { key, r in
            switch key {
            case "id": id = try r.string()
            case "title": title = try r.string()
            case "organization": organization = try r.string()
            case "kinds": kinds = try r.array { try $0.vocabulary() }
            case "summary": summary = try r.optional { try $0.string() }
            case "records_affected": recordsAffected = try r.optional { try $0.integer() }
            case "timezone": timezone = try r.optional { try $0.string() }
            case "jurisdictions": jurisdictions = try r.optional { try $0.strings() }
            case "tags": tags = try r.optional { try $0.strings() }
            case "events": events = try r.optional { try $0.array { try $0.event() } }
            case "closed": closed = try r.optional { try $0.time() }
            default: try r.skipValue()
            }
        }
        guard let id, let title, let organization, let kinds else { throw NotSimple() }
        return Incident(id: id, title: title, organization: organization, kinds: kinds, summary: summary, recordsAffected: recordsAffected,
                        timezone: timezone, jurisdictions: jurisdictions ?? [], tags: tags ?? [], events: events ?? [], closed: closed)
    }

    private mutating func event() throws -> Event {
        var id: String?, type: EventType?, at: EventTime?, until: EventTime?, party: String?, summary: String?
        var statement: Quotation?, sources: [Source]?
        try object { key, r in
            switch key {
            case "id": id = try r.optional { try $0.string() }
            case "type": type = try r.vocabulary()
            case "at": at = try r.time()
            case "until": until = try r.optional { try $0.time() }
            case "party": party = try r.optional { try $0.string() }
            case "summary": summary = try r.optional { try $0.string() }
            case "statement": statement = try r.optional { try $0.quotation() }
            case "sources": sources = try r.optional { try $0.array { try $0.source() } }
            default: try r.skipValue()
            }
        }
        guard let type, let at else { throw NotSimple() }
        return Event(id: id, type: type, at: at, until: until, party: party, summary: summary,
                     statement: statement?.isEmpty == true ? nil : statement, sources: sources ?? [])
    }

    private mutating func quotation() throws -> Quotation {
        var quotation = Quotation()
        try object { key, r in
            switch key {
            case "quote": quotation.quote = try r.optional { try $0.string() }
            case "channel": quotation.channel = try r.optional { try $0.string() }
            case "audience": quotation.audience = try r.optional { try $0.vocabulary() }
            case "language": quotation.language = try r.optional { try $0.string() }
            default: try r.skipValue()
            }
        }
        return quotation
    }

    private mutating func source() throws -> Source {
        var url: String?, title: String?, publisher: String?, published: EventTime?, retrieved: EventTime?
        try object { key, r in
            switch key {
            case "url": url = try r.string()
            case "title": title = try r.optional { try $0.string() }
            case "publisher": publisher = try r.optional { try $0.string() }
            case "published": published = try r.optional { try $0.time() }
            case "retrieved": retrieved = try r.optional { try $0.time() }
            default: try r.skipValue()
            }
        }
        guard let url else { throw NotSimple() }
        return Source(url: url, title: title, publisher: publisher, published: published, retrieved: retrieved)
    }

    // MARK: Values

    private mutating func skipSpace() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws {
        skipSpace()
        guard at < bytes.count, bytes[at] == byte else { throw NotSimple() }
        at += 1
    }

    private mutating func peek() -> UInt8? {
        skipSpace()
        return at < bytes.count ? bytes[at] : nil
    }

    /// An object: `body` reads the value of each key. A key given twice gives up.
    private mutating func object(_ body: (String, inout LapseLineDecoder) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") {
            at += 1
            return
        }
        var seen: [String] = []
        while true {
            let key = try string()
            guard !seen.contains(key) else { throw NotSimple() }
            seen.append(key)
            try expect(UInt8(ascii: ":"))
            try body(key, &self)
            switch peek() {
            case UInt8(ascii: ","): at += 1
            case UInt8(ascii: "}"):
                at += 1
                return
            default: throw NotSimple()
            }
        }
    }

    private mutating func array<T>(_ element: (inout LapseLineDecoder) throws -> T) throws -> [T] {
        try expect(UInt8(ascii: "["))
        var values: [T] = []
        if peek() == UInt8(ascii: "]") {
            at += 1
            return values
        }
        while true {
            values.append(try element(&self))
            switch peek() {
            case UInt8(ascii: ","): at += 1
            case UInt8(ascii: "]"):
                at += 1
                return values
            default: throw NotSimple()
            }
        }
    }

    /// `null` as nil (what `decodeIfPresent` gives), else the value.
    private mutating func optional<T>(_ value: (inout LapseLineDecoder) throws -> T) throws -> T? {
        if peek() == UInt8(ascii: "n") {
            try literal("null")
            return nil
        }
        return try value(&self)
    }

    private mutating func literal(_ word: StaticString) throws {
        skipSpace()
        let count = word.utf8CodeUnitCount
        guard at + count <= bytes.count else { throw NotSimple() }
        for i in 0..<count where bytes[at + i] != word.utf8Start[i] { throw NotSimple() }
        at += count
    }

    private mutating func strings() throws -> [String] { try array { try $0.string() } }

    private mutating func vocabulary<V: Vocabulary>() throws -> V {
        guard let value = V(rawValue: try string()) else { throw NotSimple() }
        return value
    }

    private mutating func time() throws -> EventTime {
        guard let time = try? EventTime(parsing: try string()) else { throw NotSimple() }
        return time
    }

    /// An integer written as digits (with a minus sign), in range; anything else gives up.
    private mutating func integer() throws -> Int {
        skipSpace()
        let negative = at < bytes.count && bytes[at] == UInt8(ascii: "-")
        if negative { at += 1 }
        let start = at
        var value = 0
        while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(bytes[at] - 0x30))
            guard !o1, !o2 else { throw NotSimple() }
            value = sum
            at += 1
        }
        let digits = at - start
        guard digits > 0, !(digits > 1 && bytes[start] == 0x30), !negative || value != 0 else { throw NotSimple() }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") || bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") { throw NotSimple() }
        return negative ? -value : value
    }

    /// A string: plain bytes are taken as they are (valid UTF-8 only), escapes decoded.
    private mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = at
        var ascii = true
        while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\"), bytes[at] >= 0x20 {
            ascii = ascii && bytes[at] < 0x80
            at += 1
        }
        guard at < bytes.count else { throw NotSimple() }
        if bytes[at] == UInt8(ascii: "\"") {
            // ASCII needs no validation.
            let text = ascii ? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self) : try utf8(start..<at)
            at += 1
            return text
        }
        guard bytes[at] == UInt8(ascii: "\\") else { throw NotSimple() }
        // Escapes: decode into a buffer.
        var decoded = Array(bytes[start..<at])
        while true {
            guard at < bytes.count else { throw NotSimple() }
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                at += 1
                break
            }
            guard byte >= 0x20 else { throw NotSimple() }
            guard byte == UInt8(ascii: "\\") else {
                decoded.append(byte)
                at += 1
                continue
            }
            guard at + 1 < bytes.count else { throw NotSimple() }
            let escape = bytes[at + 1]
            at += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by a low one.
                    guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else { throw NotSimple() }
                    at += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw NotSimple() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw NotSimple()
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw NotSimple() }
                decoded.append(contentsOf: UTF8.encode(unicode)!)
            default: throw NotSimple()
            }
        }
        return try decoded.withUnsafeBufferPointer { buffer in
            guard let text = String(validating: buffer, as: UTF8.self) else { throw NotSimple() }
            return text
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard at + 4 <= bytes.count else { throw NotSimple() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[at]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default: throw NotSimple()
            }
            value = value << 4 | digit
            at += 1
        }
        return value
    }

    private func utf8(_ range: Range<Int>) throws -> String {
        guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) else { throw NotSimple() }
        return text
    }

    /// Skips any JSON value (of a key no record has), checking its syntax.
    private mutating func skipValue() throws {
        switch peek() {
        case UInt8(ascii: "{"): try object { _, r in try r.skipValue() }
        case UInt8(ascii: "["): _ = try array { try $0.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try skipNumber()
        }
    }

    /// A JSON number, checked against the grammar.
    private mutating func skipNumber() throws {
        skipSpace()
        func digits() -> Int {
            let start = at
            while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 { at += 1 }
            return at - start
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
        let start = at
        let whole = digits()
        guard whole > 0, !(whole > 1 && bytes[start] == 0x30) else { throw NotSimple() }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            guard digits() > 0 else { throw NotSimple() }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digits() > 0 else { throw NotSimple() }
        }
    }
}
