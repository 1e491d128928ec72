import Foundation
import Testing
@testable import LapseApp
@testable import LapseCLI
import LapseCore

/// The hostile inputs under Fixtures/hostile (crashing inputs and edge cases, also the fuzzers'
/// seeds): each is rejected with a located problem or imported; what is imported exports and
/// imports again to the same document.
@Suite("Hostile input")
struct HostileInputTests {
    static let hostile = projectRoot.appendingPathComponent("Tests/LapseCLITests/Fixtures/hostile").path

    static func files(_ kind: String) -> [String] {
        let folder = (hostile as NSString).appendingPathComponent(kind)
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    /// The import command each kind of input is read with, as the fuzz targets read it.
    static func importArguments(_ file: String) -> [String] {
        switch ((file as NSString).deletingLastPathComponent as NSString).lastPathComponent {
        case "hibp": ["import", "hibp", file]
        case "veris": ["import", "veris", file]
        case "delimited": ["import", "table", file, "--id-column", "id", "--organization-column", "organization", "--records-column", "records",
                           "--event", "intrusion=start", "--event", "disclosure=notified", "--id-prefix", "t-"]
        default: ["import", file]
        }
    }

    /// Every input of the fuzz corpus that imports: its seeds (the real datasets and sample data)
    /// and the hostile files.
    static var corpus: [String] {
        let datasets = projectRoot.appendingPathComponent("Tests/LapseCLITests/Fixtures/datasets").path
        return ["document", "hibp", "veris", "delimited"].flatMap(files)
            + ["hibp-breaches.json", "vcdb-sample.jsonl"].map { (datasets as NSString).appendingPathComponent($0) }
            + ["equifax-2017.json", "facebook-2021-outage.json", "psn-2011.json", "uber-2016.json"].map { (sampleData as NSString).appendingPathComponent($0) }
    }

    @Test("rejected with a located problem, or imported; then export, import, export gives the same document",
          arguments: corpus)
    func roundTrip(_ file: String) throws {
        var arguments = Self.importArguments(file)
        if file.hasSuffix("hibp-breaches.json") { arguments = ["import", "hibp", file] }
        if file.hasSuffix("vcdb-sample.jsonl") { arguments = ["import", "veris", file] }
        let w = try Workspace()
        let r = w.run(arguments)
        #expect(r.code == 0 || r.code == 65, "\(file): \(r.code) \(r.err)")
        if r.code == 65 {
            #expect(r.err.contains("lapse: error: \(file)"), "the problem names the file: \(r.err)")
            #expect(!r.err.contains("YamlError") && !(file.hasSuffix(".yaml") && r.err.contains("not valid JSON")), "\(r.err)")
            #expect(w.run(["incidents", "--format", "csv"]).out == "id,organization,title,kinds,first_event,events,records_affected\r\n")
            return
        }
        let first = w.run(["export"])
        #expect(first.code == 0, "\(file): export fails after import: \(first.err)")
        let again = try Workspace()
        let exported = try again.file("export.json", first.out)
        let second = again.run(["import", exported])
        #expect(second.code == 0, "\(file): the export does not import: \(second.err)")
        #expect(again.run(["export"]).out == first.out, "\(file): export, import, export changed the document")
    }

    // MARK: - The findings

    @Test("a PwnCount out of range is a problem at the field, not a trap", arguments: [
        ("pwncount-int64-max.json", "9223372036854775807 is not a count"),
        ("pwncount-2-pow-63.json", "9223372036854775808 is not a count"),
        ("pwncount-2-pow-64.json", "18446744073709551616 is not a count"),
        ("pwncount-1e300.json", "1e+300 is not a count"),
    ])
    func pwnCount(_ name: String, _ message: String) throws {
        let w = try Workspace()
        let file = (Self.hostile as NSString).appendingPathComponent("hibp/\(name)")
        let r = w.run(["import", "hibp", file])
        #expect(r.code == 65)
        #expect(r.err.contains("\(file): [0].PwnCount: \(message); expected a whole number from 0 to 1,000,000,000,000,000"), "\(r.err)")
    }

    @Test("PwnCount 1.5, true and -1 are each a problem at their record")
    func pwnCountKinds() throws {
        let w = try Workspace()
        let file = (Self.hostile as NSString).appendingPathComponent("hibp/pwncount-fraction-and-bool.json")
        let r = w.run(["import", "hibp", file])
        #expect(r.code == 65)
        for fragment in ["[0].PwnCount: 1.5 is not a count", "[1].PwnCount: true is not a count", "[2].PwnCount: -1 is not a count"] {
            #expect(r.err.contains(fragment), "\(r.err)")
        }
    }

    @Test("a VERIS discovery past the year 9999 is a problem at timeline.discovery.value", arguments: [
        ("discovery-40000-years.json", "40000 years after 2020 falls after the year 9999"),
        ("discovery-9000-years.json", "9000 years after 2020 falls after the year 9999"),
        ("discovery-1e300-days.json", "days after 2020-01-01 falls after the year 9999"),
        ("discovery-past-9999-by-days.json", "2 weeks after 9999-12-20 falls after the year 9999"),
    ])
    func verisDiscovery(_ name: String, _ message: String) throws {
        let w = try Workspace()
        let file = (Self.hostile as NSString).appendingPathComponent("veris/\(name)")
        let r = w.run(["import", "veris", file])
        #expect(r.code == 65)
        #expect(r.err.contains("\(file): timeline.discovery.value: "), "\(r.err)")
        #expect(r.err.contains(message), "\(r.err)")
        #expect(w.run(["export"]).code == 0, "export still works")
    }

    @Test("a VERIS discovery up to 9999 is kept, at the last year and month")
    func verisDiscoveryAtTheEdge() throws {
        let w = try Workspace()
        let file = (Self.hostile as NSString).appendingPathComponent("veris/discovery-last-month.json")
        #expect(w.run(["import", "veris", file]).code == 0)
        let shown = w.run(["show", "veris-edge-1", "--format", "json"]).out
        #expect(shown.contains("\"9999-12~\""), "\(shown)")
    }

    @Test("VERIS numbers that are not whole or not in range are problems at their field", arguments: [
        ("year-1e30.json", "timeline.incident.year: 1e+30 is not a whole number; expected a year 1-9999"),
        ("year-fraction.json", "timeline.incident.year: 2014.5 is not a whole number"),
        ("data-total-2-pow-63.json", "attribute.confidentiality.data_total: 9223372036854775808 is not a count"),
        ("data-total-int64-max.json", "attribute.confidentiality.data_total: 9223372036854775807 is not a count"),
        ("notification-day-31-february.json", "plus.timeline.notification.day: day 31 does not exist in 2021-2"),
    ])
    func verisNumbers(_ name: String, _ message: String) throws {
        let w = try Workspace()
        let file = (Self.hostile as NSString).appendingPathComponent("veris/\(name)")
        let r = w.run(["import", "veris", file])
        #expect(r.code == 65)
        #expect(r.err.contains("\(file): \(message)"), "\(r.err)")
    }

    @Test("a YAML alias bomb is refused by its expanded size, naming the file and the limit")
    func billionLaughs() throws {
        let w = try Workspace()
        let file = (Self.hostile as NSString).appendingPathComponent("document/billion-laughs.yaml")
        let r = w.run(["import", file])
        #expect(r.code == 65)
        #expect(r.err.contains("\(file): the YAML's aliases expand it to more than 100,967 nodes"), "\(r.err)")
    }

    @Test("YAML that uses a few aliases still imports")
    func smallAliases() throws {
        let w = try Workspace()
        let r = w.run(["import", (Self.hostile as NSString).appendingPathComponent("document/aliases-small.yaml")])
        #expect(r.code == 0, "\(r.err)")
        #expect(w.run(["show", "b", "--format", "json"]).out.contains("breach"))
    }

    @Test("YAML errors name the line and column and say YAML", arguments: [
        ("syntax-error.yaml", ":6: column 1: not valid YAML: while scanning a quoted scalar (line 4), found unexpected end of stream"),
        ("undefined-alias.yaml", ":2: column 12: not valid YAML: found undefined alias"),
        ("tab-indent.yaml", ":3: column 1: not valid YAML: "),
        ("deep-flow.yaml", "not valid YAML: "),
        ("records-1e300.yaml", ":4: incidents[0].records_affected"),
    ])
    func yamlErrors(_ name: String, _ message: String) throws {
        let w = try Workspace()
        let file = (Self.hostile as NSString).appendingPathComponent("document/\(name)")
        let r = w.run(["import", file])
        #expect(r.code == 65)
        #expect(r.err.contains("\(file)\(message)") || (message.hasPrefix("not") && r.err.contains(message)), "\(r.err)")
        #expect(!r.err.contains("JSON") && !r.err.contains("YamlError"), "\(r.err)")
    }

    @Test("a YAML file over the size limit is refused before it is read")
    func yamlTooLarge() throws {
        let w = try Workspace()
        let file = try w.file("big.yaml", "format: lapse/1\n# " + String(repeating: "x", count: YAMLText.maxBytes) + "\n")
        let r = w.run(["import", file])
        #expect(r.code == 65)
        #expect(r.err.contains("\(file): the YAML file is larger than 16 MB"), "\(r.err)")
    }

    @Test("a count past Int in a lapse/1 document is placed at its field by a scan of the bytes")
    func jsonCount() throws {
        let w = try Workspace()
        let file = (Self.hostile as NSString).appendingPathComponent("document/records-2-pow-63.json")
        let r = w.run(["import", file])
        #expect(r.code == 65)
        #expect(r.err.contains("\(file):1: incidents[0].records_affected: 9223372036854775808 is not a whole number in range"), "\(r.err)")
    }

    @Test("the delimited reader's hostile rows are problems at their line and column")
    func tableRanges() throws {
        let w = try Workspace()
        let file = (Self.hostile as NSString).appendingPathComponent("delimited/out-of-range.csv")
        let r = w.run(Self.importArguments(file))
        #expect(r.code == 65)
        for fragment in [":2: column records: \"99999999999999999999999\" is not a count", ":2: column start: \"10000-01-01\" is not a valid time",
                         ":3: column records: \"-1\" is not a count", ":3: column start: \"0000\" is not a valid time: year 0000 does not exist"] {
            #expect(r.err.contains(fragment), "\(fragment) in \(r.err)")
        }
        let offset = try w.file("offset.csv", "id,organization,at\n1,Acme,2020-01-01 10:00 +05:75\n")
        let o = w.run(["import", "table", offset, "--id-column", "id", "--organization-column", "organization", "--event", "intrusion=at",
                       "--date-format", "yyyy-MM-dd HH:mm XXX"])
        #expect(o.code == 65)
        #expect(o.err.contains(":2: column at: \"2020-01-01 10:00 +05:75\" does not match the date format \"yyyy-MM-dd HH:mm XXX\": offset minutes 75 are not 00-59"), "\(o.err)")
    }

    // MARK: - The parsers' corpus

    @Test("EventTime: what parses prints as written", arguments: files("event-time"))
    func eventTimes(_ file: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        guard let time = try? EventTime(parsing: text) else { return }
        #expect(time.description == text)
        #expect(EventTime(checkingYear: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute,
                          second: time.second, utcOffset: time.utcOffset, isZulu: time.isZulu, qualifier: time.qualifier) != nil)
    }

    @Test("DatePattern: what a pattern reads is an EventTime that parses back", arguments: files("date-pattern"))
    func datePatterns(_ file: String) throws {
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let pattern = try DatePattern(String(lines[0]))
        for cell in lines.dropFirst() {
            guard case .success(let time) = pattern.parse(String(cell)) else { continue }
            #expect(EventTime(time.description) == time, "\(cell) read as \(time)")
        }
    }
}

@Suite("Locating fields in JSON")
struct JSONLocatorTests {
    static let text = """
        {"format": "lapse/1",
         "parties": [],
         "incidents": [
          {"id": "a", "title": "brackets [{ and \\"quotes\\" in a string", "kinds": ["leak"],
           "events": [
            {"type": "intrusion", "at": "2020"},
            {"type": "apology",
             "at": "2011-02-30"}]},
          {"id": "b", "organization": {"nested": [1, 2, {"x": null}]},
           "records_affected": 1.5}
         ]}
        """

    @Test("the line of a path's value", arguments: [
        ("incidents[0].events[1].at", 8),
        ("incidents[0].events[1]", 7),
        ("incidents[0].events[0].type", 6),
        ("incidents[1].records_affected", 10),
        ("incidents[1].title", 9),        // missing: placed at its object
        ("incidents[5].id", 3),           // no such record: the list
        ("parties[0]", 2),
        ("format", 1),
    ])
    func lines(_ path: String, _ line: Int) {
        #expect(JSONLocator(Data(Self.text.utf8)).line(of: path) == line)
    }

    @Test("a record's bytes, for parsing it alone")
    func record() throws {
        let locator = JSONLocator(Data(Self.text.utf8))
        let range = try #require(locator.locate("incidents[1]"))
        let object = try JSONSerialization.jsonObject(with: Data(locator.bytes[range])) as? [String: Any]
        #expect(object?["id"] as? String == "b")
        #expect(DocumentReader.numberProblem(inRecord: "incidents[1]", of: locator, file: "f.json")?.path == "incidents[1].records_affected")
    }

    @Test("truncated JSON gives no line rather than a wrong one", arguments: ["", "   ", "{", "{\"a\": [", "\"unterminated"])
    func broken(_ text: String) {
        #expect(JSONLocator(Data(text.utf8)).line(of: "a[1]") == nil)
    }
}
