import Foundation
import Testing
@testable import LapseCLI

@Suite("Bad input")
struct BadInputTests {
    static let cases: [(name: String, file: String, contents: String, expected: [String])] = [
        ("truncated JSON", "t.json", #"{"format": "lapse/1", "incidents": [{"id": "x", "title": "X","#,
         ["t.json:1", "truncated"]),
        ("syntax error", "s.json", "{\"format\": \"lapse/1\",\n \"parties\": [oops]}",
         ["s.json:2: column 14", "not valid JSON"]),
        ("unknown event type", "u.json", #"{"format":"lapse/1","incidents":[{"id":"x","title":"X","organization":"acme","kinds":["outage"],"events":[{"type":"outage_start","at":"2020-01-01"},{"type":"meltdown","at":"2020-01-02"}]}]}"#,
         ["u.json:1: incidents[0].events[1].type", "\"meltdown\" is not a known event type", "expected one of: intrusion"]),
        ("missing party", "m.json", #"{"format":"lapse/1","incidents":[{"id":"x","title":"X","organization":"acme","kinds":["outage"],"events":[{"type":"statement","at":"2020-01-02","party":"nobody"}]}]}"#,
         ["m.json:1: incidents[0].events[0].party", "no party with id \"nobody\""]),
        ("duplicate incident ids", "d.json", #"{"format":"lapse/1","incidents":[{"id":"x","title":"X","organization":"acme","kinds":["outage"]},{"id":"x","title":"Y","organization":"acme","kinds":["leak"]}]}"#,
         ["d.json:1: incidents[1].id", "given twice", "first at incidents[0]"]),
        ("duplicate party ids", "p.json", #"{"format":"lapse/1","parties":[{"id":"z","name":"Z","kind":"group"},{"id":"z","name":"Z2","kind":"group"}]}"#,
         ["p.json:1: parties[1].id", "defined twice"]),
        ("duplicate event ids", "e.json", #"{"format":"lapse/1","incidents":[{"id":"x","title":"X","organization":"acme","kinds":["outage"],"events":[{"id":"a","type":"statement","at":"2020"},{"id":"a","type":"statement","at":"2021"}]}]}"#,
         ["e.json:1: incidents[0].events[1].id", "already used by events[0]"]),
        ("impossible date", "i.json", #"{"format":"lapse/1","incidents":[{"id":"x","title":"X","organization":"acme","kinds":["outage"],"events":[{"type":"apology","at":"2011-02-30"}]}]}"#,
         ["i.json:1: incidents[0].events[0].at", "\"2011-02-30\"", "does not exist in February 2011", "expected YYYY"]),
        ("impossible date in JSON Lines", "l.jsonl", "{\"party\":{\"id\":\"q\",\"name\":\"Q\",\"kind\":\"group\"}}\n{\"incident\":{\"id\":\"x\",\"title\":\"X\",\"organization\":\"acme\",\"kinds\":[\"outage\"],\"events\":[{\"type\":\"apology\",\"at\":\"2011-13\"}]}}\n",
         ["l.jsonl:2: incident.events[0].at", "month 13"]),
        ("bad id", "b.json", #"{"format":"lapse/1","parties":[{"id":"Bad Id","name":"B","kind":"group"}]}"#,
         ["b.json:1: parties[0].id", "not a valid id", "expected a slug"]),
        ("wrong format", "f.json", #"{"format":"lapse/9"}"#, ["f.json:1: format", "expected \"lapse/1\""]),
        ("bad time zone", "z.json", #"{"format":"lapse/1","incidents":[{"id":"x","title":"X","organization":"acme","kinds":["outage"],"timezone":"Mars/Base"}]}"#,
         ["z.json:1: incidents[0].timezone", "not a known time zone"]),
        ("bad country code", "c.json", #"{"format":"lapse/1","parties":[{"id":"c","name":"C","kind":"organization","country":"USA"}]}"#,
         ["c.json:1: parties[0].country", "not an ISO 3166-1 alpha-2 code"]),
        ("a count that is not whole", "n.json", #"{"format":"lapse/1","incidents":[{"id":"x","title":"X","organization":"acme","kinds":["leak"],"records_affected":1.5}]}"#,
         ["n.json:1: incidents[0].records_affected", "not a whole number"]),
        ("escape sequences in a bad value", "esc.json", "{\"format\":\"lapse/1\",\"incidents\":[{\"id\":\"x\",\"title\":\"X\",\"organization\":\"acme\",\"kinds\":[\"leak\"],\"events\":[{\"type\":\"apology\",\"at\":\"\\u001b]0;TITLE\\u0007\\u001b[31m2024\"}]}]}",
         ["esc.json:1: incidents[0].events[0].at", "\\u{1B}]0;TITLE\\u{7}"]),
        ("YAML with a bad kind", "y.yaml", "format: lapse/1\nparties:\n  - id: y\n    name: Y\n    kind: company\n",
         ["y.yaml:5: parties[0].kind", "not a known party kind"]),
        ("NUL characters, which SQLite would cut", "nul.jsonl", "{\"party\":{\"id\":\"q\",\"name\":\"Nul\\u0000Hidden\",\"kind\":\"group\"}}\n{\"incident\":{\"id\":\"x\",\"title\":\"\\u0000Secret\",\"organization\":\"acme\",\"kinds\":[\"leak\"],\"events\":[{\"type\":\"apology\",\"at\":\"2011\",\"statement\":{\"quote\":\"so\\u0000rry\"}}]}}\n",
         ["nul.jsonl:1: party.name: the text contains a NUL character (U+0000)", "nul.jsonl:2: incident.title: the text contains a NUL", "nul.jsonl:2: incident.events[0].statement.quote"]),
        ("every undecodable record of a document, not only the first", "many.json", "{\"format\": \"lapse/1\",\n \"parties\": [{\"id\": \"g\", \"name\": \"G\", \"kind\": \"gang\"}, {\"id\": \"h\", \"name\": \"H\", \"kind\": \"group\"}],\n \"incidents\": [\n  {\"id\": \"a\", \"title\": \"A\", \"organization\": \"acme\", \"kinds\": [\"leak\"], \"events\": [{\"type\": \"meltdown\", \"at\": \"2020\"}]},\n  {\"id\": \"b\", \"title\": \"B\", \"organization\": \"acme\", \"kinds\": [\"leak\"], \"events\": [{\"type\": \"apology\", \"at\": \"2020-02-30\"}]},\n  {\"id\": \"c\", \"title\": \"C\", \"organization\": \"nobody\", \"kinds\": [\"leak\"]}]}\n",
         ["many.json:2: parties[0].kind", "\"gang\" is not a known party kind", "many.json:4: incidents[0].events[0].type", "many.json:5: incidents[1].events[0].at", "many.json:6: incidents[2].organization: no party with id \"nobody\""]),
        ("every undecodable record of a YAML document", "many.yaml", "format: lapse/1\nincidents:\n  - id: a\n    title: A\n    organization: acme\n    kinds: [heist]\n  - id: b\n    organization: acme\n    kinds: [leak]\n",
         ["many.yaml:6: incidents[0].kinds[0]", "many.yaml:7: incidents[1].title: required field \"title\" is missing"]),
        ("YAML: the line of the field", "lines.yaml", "format: lapse/1\nincidents:\n  - id: a-1\n    title: First\n    organization: acme\n    kinds: [breach]\n    events:\n      - type: detection\n        at: 2020-01-05\n      - type: disclosure\n        at: 2020-01-09\n        party: nobody\n",
         ["lines.yaml:12: incidents[0].events[1].party", "no party with id \"nobody\""]),
        ("YAML: a missing field at its object", "missing.yaml", "format: lapse/1\nincidents:\n  - id: a-1\n    title: First\n    organization: acme\n    kinds: [breach]\n  - id: a-2\n    organization: acme\n    kinds: [breach]\n",
         ["missing.yaml:7: incidents[1].title", "required field \"title\" is missing"]),
        ("JSON over several lines", "multi.json", "{\"format\": \"lapse/1\",\n \"incidents\": [\n  {\"id\": \"a-1\", \"title\": \"First\", \"organization\": \"acme\", \"kinds\": [\"breach\"],\n   \"events\": [\n    {\"type\": \"detection\", \"at\": \"2020-01-05\"},\n    {\"type\": \"apology\", \"at\": \"2011-02-30\"}]}]}\n",
         ["multi.json:6: incidents[0].events[1].at", "does not exist in February 2011"]),
    ]

    @Test("bad files are rejected with file, record, field and expectation; nothing is written",
          arguments: cases.map { $0 })
    func rejected(_ c: (name: String, file: String, contents: String, expected: [String])) throws {
        let w = try Workspace()
        #expect(w.run(["party", "add", "acme", "--name", "Acme", "--kind", "organization"]).code == 0)
        let good = try w.file("good.json", #"{"format":"lapse/1","parties":[{"id":"new-party","name":"N","kind":"group"}]}"#)
        let before = w.run(["export"]).out
        let bad = try w.file(c.file, c.contents)
        // The good file comes first: it must not be written either.
        let r = w.run(["import", good, bad])
        #expect(r.code == 65, "\(c.name): \(r.err)")
        for fragment in c.expected {
            #expect(r.err.contains(fragment), "\(c.name): expected \(fragment) in \(r.err)")
        }
        #expect(r.err.contains(w.url.path), "the error names the file")
        #expect(!r.err.contains("\u{1B}"), "no escape sequence reaches the terminal")
        #expect(w.run(["export"]).out == before, "\(c.name): nothing may be written")
    }

    @Test("unknown incidents and bad arguments get distinct exit codes", arguments: [
        (["show", "nope"], Int32(65), "no incident with id \"nope\""),
        (["log", "nope", "detection", "--at", "2020"], 65, "no incident with id \"nope\""),
        (["log", "x", "meltdown", "--at", "2020"], 64, "meltdown"),
        (["log", "x", "detection", "--at", "2020-02-30"], 64, "does not exist in February 2020"),
        (["incidents", "--format", "xml"], 64, "xml"),
        (["incidents", "--since", "last week"], 64, "--since"),
        (["import", "/no/such/file.json"], 66, "cannot read /no/such/file.json"),
        (["party", "add", "x", "--name", "X", "--kind", "company"], 64, "company"),
        (["export", "--incident", "nope"], 65, "no incident with id \"nope\""),
        (["report", "all", "--output", "/"], 74, "it is a folder"),
        (["import", "/dev/null", "--show", "nope"], 66, "unknown file type"),
    ])
    func exitCodes(_ arguments: [String], _ code: Int32, _ message: String) throws {
        let w = try Workspace()
        let r = w.run(arguments)
        #expect(r.code == code, "\(arguments): \(r.err)")
        #expect(r.err.contains(message), "\(r.err)")
    }

    @Test("one run reports the problems of every record, with missing parties")
    func manyProblems() throws {
        let w = try Workspace()
        let file = try w.file("many.json", #"{"format":"lapse/1","parties":[{"id":"Bad Id","name":"B","kind":"group"}],"incidents":[{"id":"x","title":"X","organization":"acme","kinds":["leak"],"timezone":"Mars/Base"},{"id":"y","title":"Y","organization":"ghost","kinds":["leak"]}]}"#)
        let jsonl = try w.file("many.jsonl", "{\"party\":{\"id\":\"ok\",\"name\":\"OK\",\"kind\":\"group\"}}\n{\"incident\":{\"id\":\"z\"}}\n{\"party\":{\"id\":\"q\",\"name\":\"Q\",\"kind\":\"gang\"}}\n")
        let r = w.run(["import", file, jsonl])
        #expect(r.code == 65)
        for fragment in ["parties[0].id", "incidents[0].timezone", "incidents[1].organization: no party with id \"ghost\"",
                         "many.jsonl:2: incident.title", "many.jsonl:3: party.kind"] {
            #expect(r.err.contains(fragment), "expected \(fragment) in \(r.err)")
        }
        #expect(w.run(["parties", "--format", "csv"]).out.components(separatedBy: "\r\n").count == 2, "nothing was written")
    }

    @Test("a wrong --show id fails the import before anything is written")
    func showUnknown() throws {
        let w = try Workspace()
        let r = w.run(["import", sampleData, "--show", "nope"])
        #expect(r.code == 65)
        #expect(r.err.contains("no incident with id \"nope\""))
        #expect(w.run(["incidents", "--format", "csv"]).out == "id,organization,title,kinds,first_event,events,records_affected\r\n")
    }

    @Test("adding an existing id or logging with an unknown party fails and writes nothing")
    func conflicts() throws {
        let w = try Workspace()
        #expect(w.run(["party", "add", "acme", "--name", "Acme", "--kind", "organization"]).code == 0)
        let again = w.run(["party", "add", "acme", "--name", "Other", "--kind", "organization"])
        #expect(again.code == 65)
        #expect(again.err.contains("already exists"))
        #expect(w.run(["incident", "add", "a-1", "--title", "A", "--organization", "ghost", "--kind", "breach"]).code == 65)
        #expect(w.run(["incident", "add", "a-1", "--title", "A", "--organization", "acme", "--kind", "breach"]).code == 0)
        let log = w.run(["log", "a-1", "statement", "--at", "2020", "--party", "ghost"])
        #expect(log.code == 65)
        #expect(log.err.contains("no party with id \"ghost\""))
        #expect(w.run(["show", "a-1", "--format", "json"]).out.contains("\"timeline\" : [\n\n  ]") ||
                !w.run(["show", "a-1", "--format", "json"]).out.contains("ghost"))
    }
}
