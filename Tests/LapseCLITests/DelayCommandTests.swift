import Foundation
import Testing
@testable import LapseCLI
import LapseReports

@Suite("delays, stats and check")
struct DelayCommandTests {
    func sample() throws -> Workspace {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        return w
    }

    func csv(_ text: String) -> [[String: String]] {
        // The sample's values hold no quoted line breaks; commas inside quotes are handled.
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        func fields(_ line: String) -> [String] {
            var out: [String] = [], field = "", quoted = false
            var chars = Array(line)[...]
            while let c = chars.popFirst() {
                if c == "\"" {
                    if quoted && chars.first == "\"" { field.append("\""); chars = chars.dropFirst() } else { quoted.toggle() }
                } else if c == "," && !quoted {
                    out.append(field); field = ""
                } else { field.append(c) }
            }
            return out + [field]
        }
        let header = fields(lines[0])
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, fields($0))) }
    }

    @Test("the machine-readable delay rows of the data contract")
    func delayRows() throws {
        let w = try sample()
        let r = w.run(["delays", "--format", "csv"])
        #expect(r.code == 0)
        let rows = csv(r.out)
        #expect(r.out.hasPrefix("incident,organization,metric,from_type,from,to_type,to,days_min,days_max,hours,flags\r\n"))
        let apology = try #require(rows.first { $0["incident"] == "psn-2011" && $0["metric"] == "time-to-apologize" })
        #expect(apology["from"] == "2011-04-20")
        #expect(apology["to"] == "2011-05-01")
        #expect(apology["days_min"] == "11")
        #expect(apology["days_max"] == "11")
        #expect(apology["hours"] == "")
        let dark = try #require(rows.first { $0["incident"] == "uber-2016" && $0["metric"] == "time-in-the-dark" })
        #expect(dark["from"] == "2016-10")
        #expect(dark["days_min"] == "386")
        #expect(dark["days_max"] == "416")
        #expect(dark["flags"] == "range")
        let outage = try #require(rows.first { $0["incident"] == "facebook-2021-outage" && $0["metric"] == "outage-duration" })
        #expect(Double(outage["hours"] ?? "") ?? 0 > 6, "exact hours when both ends have a time")
        #expect(!rows.contains { $0["flags"]?.contains("missing") == true })
        let withMissing = csv(w.run(["delays", "--include-missing", "--format", "csv"]).out)
        #expect(withMissing.count == 5 * 8, "every incident and metric")
        let missing = try #require(withMissing.first { $0["incident"] == "uber-2016" && $0["metric"] == "time-to-apologize" })
        #expect(missing["days_min"] == "" && missing["flags"] == "missing")
    }

    @Test("JSON carries the same fields; the table writes ranges and short spans for people")
    func delayFormats() throws {
        let w = try sample()
        let json = w.run(["delays", "uber-2016", "--metric", "time-in-the-dark", "--format", "json"]).out
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows[0]["days_min"] as? Int == 386)
        #expect(rows[0]["days_max"] as? Int == 416)
        #expect(rows[0]["organization"] as? String == "Uber Technologies, Inc.")
        #expect(rows[0]["hours"] is NSNull)
        let table = w.run(["delays", "uber-2016", "facebook-2021-outage"]).out
        #expect(table.contains("386–416 d"))
        #expect(table.contains(" h ") && table.contains(" min"), "the outage is written in hours and minutes")
        let pair = w.run(["delays", "psn-2011", "--from", "outage_start", "--to", "apology", "--format", "csv"]).out
        #expect(pair.contains("outage_start->apology,outage_start,2011-04-20,apology,2011-05-01,11,11"))
        #expect(w.run(["delays", "--from", "detection"]).code == 64)
        #expect(w.run(["delays", "nope"]).code == 65)
    }

    @Test("--company and --since select incidents")
    func selection() throws {
        let w = try sample()
        let sony = Set(csv(w.run(["delays", "--company", "sony", "--format", "csv"]).out).compactMap { $0["incident"] })
        #expect(sony == ["psn-2011", "soe-2011"])
        let recent = Set(csv(w.run(["delays", "--since", "2017", "--format", "csv"]).out).compactMap { $0["incident"] })
        #expect(recent == ["equifax-2017", "facebook-2021-outage"])
    }

    @Test("stats: medians by group, ranges counted as midpoints")
    func stats() throws {
        let w = try sample()
        let all = csv(w.run(["stats", "--metric", "time-in-the-dark", "--format", "csv"]).out)
        let row = try #require(all.first)
        #expect(row["group"] == "all")
        #expect(row["ranges"] == "1")
        let darkDays = csv(w.run(["delays", "--metric", "time-in-the-dark", "--format", "csv"]).out)
            .map { (Double($0["days_min"]!)! + Double($0["days_max"]!)!) / 2 }.sorted()
        #expect(row["count"] == String(darkDays.count))
        #expect(Double(row["max"]!) == darkDays.last)
        let byYear = csv(w.run(["stats", "--by", "year", "--metric", "time-to-disclose", "--format", "csv"]).out)
        #expect(byYear.map { $0["year"] } == ["2011", "2016", "2017"])
        let table = w.run(["stats"]).out
        #expect(table.contains("midpoint"))
    }

    @Test("check finds impossible orders; --strict fails on findings")
    func check() throws {
        let w = try Workspace()
        let file = try w.file("bad.json", """
            {"format": "lapse/1", "parties": [{"id": "acme", "name": "Acme", "kind": "organization"}],
             "incidents": [{"id": "a-1", "title": "A", "organization": "acme", "kinds": ["breach"], "events": [
               {"type": "detection", "at": "2020-03-10", "party": "acme"},
               {"type": "disclosure", "at": "2020-03-01", "party": "acme"}]}]}
            """)
        #expect(w.run(["import", file]).code == 0)
        let r = w.run(["check", "--format", "json"])
        #expect(r.code == 0)
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        #expect(findings.map { $0["code"] as? String } == ["order", "negative-delay", "negative-delay"])
        #expect(w.run(["check", "--strict"]).code == 1)
        let info = try w.file("info.json", """
            {"format": "lapse/1", "parties": [{"id": "globex", "name": "Globex", "kind": "organization"}],
             "incidents": [{"id": "g-1", "title": "G", "organization": "globex", "kinds": ["leak"], "events": [{"type": "disclosure", "at": "2020-03-01"}, {"type": "detection", "at": "2020-02-01"}]}]}
            """)
        #expect(w.run(["import", info]).code == 0)
        #expect(w.run(["check", "g-1", "--format", "csv"]).out.contains("never-acting"))
        #expect(w.run(["check", "g-1", "--strict"]).code == 0, "info findings alone do not fail --strict")
        let sample = try sample()
        #expect(sample.run(["check", "psn-2011", "--strict"]).code == 0, "the showcase timeline is consistent")
    }

    @Test("show lists the named delays under the timeline")
    func showDelays() throws {
        let w = try sample()
        let out = w.run(["show", "psn-2011"]).out
        let delays = try #require(out.components(separatedBy: "\nDelays\n").last)
        let line = try #require(delays.split(separator: "\n").first { $0.contains("Time to apologize") })
        #expect(line.contains("11 d"))
        #expect(line.contains("Outage start 2011-04-20 → Apology 2011-05-01"))
    }
}

@Suite("Number formatting")
struct NumberFormattingTests {
    @Test("decimals are rounded, without trailing zeros, in the POSIX form", arguments: [
        (4.21666, 2, "4.22"), (4.0, 2, "4"), (401.5, 1, "401.5"), (0.05, 1, "0.1"), (-2.5, 1, "-2.5"),
        (-0.001, 2, "0"), (6.9, 2, "6.9"), (10.05, 2, "10.05"), (1234567.891, 2, "1234567.89"), (0.004, 2, "0"),
    ])
    func decimals(_ value: Double, _ places: Int, _ expected: String) {
        #expect(formatDecimal(value, places: places) == expected)
    }
}

@Suite("Text tables")
struct TextTableTests {
    @Test("columns line up; numbers align right; line breaks and control characters are made visible, not obeyed")
    func alignment() {
        let table = DataTable(columns: ["id", "name", "records"],
                              rows: [["a-1", "Sony", "77000000"], ["b-22", "Société\nGénérale", "5"], ["c", "\u{1B}[31mred", "12"]],
                              numeric: [2])
        #expect(TextTableRenderer().render(table) == """
            id    name               records
            a-1   Sony              77000000
            b-22  Société Générale         5
            c     \\u{1B}[31mred           12

            """)
        #expect(TextTableRenderer().render(DataTable(columns: ["id"], rows: [])) == "", "an empty table prints nothing")
    }
}
