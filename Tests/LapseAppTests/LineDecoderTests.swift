import Foundation
@testable import LapseApp
import LapseCore
import Testing

@Suite("The hand-written lapse/1 line reader")
struct LineDecoderTests {
    func fast(_ line: String) -> LapseRecord? {
        var line = line
        return line.withUTF8 { LapseLineDecoder.record($0) }
    }

    func slow(_ line: String) throws -> LapseRecord {
        try JSONDecoder().decode(LapseRecord.self, from: Data(line.utf8))
    }

    /// Lines the fast path reads: each must give exactly what JSONDecoder gives.
    static let simple = [
        #"{"party": {"id": "acme", "name": "Acme \"Inc\" \\ /\/ \u00e9\ud83d\ude00 \n\t", "kind": "organization", "aliases": ["A", "Ä"], "parent": null, "sector": "retail", "extra": {"a": [1, -2.5e3, true, false, null, "x"]}}}"#,
        #"  {"incident":{"id":"acme-2024","title":"Breach","organization":"acme","kinds":["breach","ransomware"],"records_affected":1234567,"timezone":"America/New_York","jurisdictions":["US-WA"],"tags":[],"events":[{"type":"intrusion","at":"2024-03"},{"id":"e2","type":"detection","at":"2024-03-01T10:00:00Z","until":"2024-03-02","party":"acme","summary":"Found \u0000 it","statement":{"quote":"We are sorry","channel":"blog","audience":"customers","language":"en"},"sources":[{"url":"https://example.com/a","title":"T","published":"2024-03-02","retrieved":null}]}]}}  "#,
        #"{"incident": {"id": "b", "title": "t", "organization": "o", "kinds": [], "records_affected": null, "events": [{"type": "disclosure", "at": "2024", "statement": {}}, {"type": "apology", "at": "2024-05-01", "statement": {"quote": null}}], "summary": "\u2028"}}"#,
        #"{"incident": {"id": "c", "title": "t", "organization": "o", "kinds": ["outage"], "records_affected": 0, "events": null, "tags": null}}"#,
    ]

    /// Lines the fast path leaves to JSONDecoder: errors (reported as before) and cases it does not decide.
    static let handedOver = [
        #"{"party": {"id": "a", "name": "A", "kind": "organization"}, "incident": {"id": "b", "title": "t", "organization": "o", "kinds": []}}"#,
        #"{"party": {"id": "a", "id": "b", "name": "A", "kind": "organization"}}"#,
        #"{"party": {"id": "a", "name": "A", "kind": "company"}}"#,
        #"{"party": {"id": "a", "name": null, "kind": "organization"}}"#,
        #"{"incident": {"id": "b", "title": "t", "organization": "o", "kinds": [], "records_affected": 1.5}}"#,
        #"{"incident": {"id": "b", "title": "t", "organization": "o", "kinds": [], "records_affected": 1e3}}"#,
        #"{"incident": {"id": "b", "title": "t", "organization": "o", "kinds": [], "records_affected": 99999999999999999999}}"#,
        #"{"incident": {"id": "b", "title": "t", "organization": "o", "kinds": [], "events": [{"type": "detection", "at": "2024-13-01"}]}}"#,
        #"{"incident": {"id": "b", "title": "t", "organization": "o", "kinds": [], "events": [{"type": "detection"}]}}"#,
        #"{"incident": {"id": "b", "title": "t", "organization": "o", "kinds": [],}}"#,
        #"{"incident": {"id": "b\ud800", "title": "t", "organization": "o", "kinds": []}}"#,
        #"{"party": {"id": "a", "name": "A", "kind": "organization"}} x"#,
        #"{"other": 1}"#,
        "{\"party\": {\"id\": \"a\u{1}\", \"name\": \"A\", \"kind\": \"organization\"}}",
        "[]",
    ]

    @Test("a well-formed line gives exactly what JSONDecoder gives", arguments: simple)
    func sameAsJSONDecoder(line: String) throws {
        let record = try #require(fast(line), "the fast path reads it")
        #expect(record == (try slow(line)))
    }

    @Test("anything else is left to JSONDecoder, which reports it as before", arguments: handedOver)
    func leftToJSONDecoder(line: String) {
        #expect(fast(line) == nil)
    }

    @Test("invalid UTF-8 is left to JSONDecoder")
    func invalidUTF8() {
        var bytes = Array(#"{"party": {"id": "a", "name": "A"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#"", "kind": "organization"}}"#.utf8)
        #expect(bytes.withUnsafeBufferPointer { LapseLineDecoder.record($0) } == nil)
    }
}
