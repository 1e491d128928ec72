import Foundation
import Testing
@testable import LapseCLI

@Suite("lapse export formats")
struct ExportTests {
    func sampleWorkspace() throws -> Workspace {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        return w
    }

    @Test("a company that matches nothing: an empty document, exit 0, and a note saying so")
    func emptyCompany() throws {
        let w = try sampleWorkspace()
        let r = w.run(["export", "--company", "nintendo"])
        #expect(r.code == 0)
        #expect(r.err.contains("No incidents match --company \"nintendo\""))
        let document = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        #expect((document?["incidents"] as? [Any])?.isEmpty == true)
        #expect(w.run(["report", "company", "nintendo"]).code == 65, "naming one company that does not exist is an error")
    }

    @Test("csv: one row per event with incident and organization columns, formulas guarded")
    func csv() throws {
        let w = try sampleWorkspace()
        #expect(w.run(["log", "psn-2011", "statement", "--at", "2011-05-02", "--summary", "=HYPERLINK(\"http://evil\")"]).code == 0)
        let r = w.run(["export", "--format", "csv", "--incident", "psn-2011"])
        #expect(r.code == 0, "\(r.err)")
        let rows = try csvRows(text: r.out)
        let show = try JSONSerialization.jsonObject(with: Data(w.run(["show", "psn-2011", "--format", "json"]).out.utf8)) as? [String: Any]
        let count = ((show?["incident"] as? [String: Any])?["events"] as? [Any])?.count
        #expect(rows.count == count, "one row per event")
        #expect(rows.allSatisfy { $0["incident"] == "psn-2011" && $0["organization"] == "sony-computer-entertainment" })
        #expect(rows.first?["organization_name"] == "Sony Computer Entertainment Inc.")
        let apology = try #require(rows.first { $0["type"] == "apology" && $0["at"] == "2011-05-01" })
        #expect(apology["quote"]?.isEmpty == false)
        #expect(r.out.contains("'=HYPERLINK"), "a formula is never left to run")
        #expect(r.out.hasSuffix("\r\n"))
    }

    @Test("timesketch: message, ISO 8601 datetime, timestamp_desc; CSV and JSON Lines")
    func timesketch() throws {
        let w = try sampleWorkspace()
        let r = w.run(["export", "--format", "timesketch", "--incident", "psn-2011"])
        #expect(r.code == 0)
        let rows = try csvRows(text: r.out)
        #expect(Array(r.out.prefix(while: { $0 != "\r" }).split(separator: ",").prefix(3)) == ["message", "datetime", "timestamp_desc"])
        for row in rows {
            let datetime = try #require(row["datetime"])
            #expect((try? Date.ISO8601FormatStyle().parse(datetime)) != nil, "\(datetime) is ISO 8601")
            #expect(row["message"]?.isEmpty == false && row["timestamp_desc"]?.isEmpty == false)
        }
        let outage = try #require(rows.first { $0["event_type"] == "outage_start" })
        #expect(outage["datetime"]?.hasPrefix("2011-04-2") == true)
        let jsonl = w.run(["export", "--format", "timesketch", "--jsonl", "--incident", "psn-2011"])
        let lines = jsonl.out.split(separator: "\n")
        #expect(lines.count == rows.count)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            #expect(object["message"] != nil && object["datetime"] != nil && object["timestamp_desc"] != nil)
        }
        #expect(w.run(["export", "--format", "ics", "--jsonl"]).code == 64)
    }

    @Test("lapse/1 JSON Lines imports back to the same database")
    func lapseLines() throws {
        let a = try sampleWorkspace(), b = try Workspace()
        let lines = a.run(["export", "--jsonl"]).out
        let file = try b.file("all.jsonl", lines)
        #expect(b.run(["import", file]).code == 0)
        #expect(b.run(["export"]).out == a.run(["export"]).out)
    }

    @Test("ics: RFC 5545 text rules, and a real parser reads every event")
    func ics() throws {
        let w = try sampleWorkspace()
        #expect(w.run(["log", "psn-2011", "statement", "--at", "2011-05-02T09:30-07:00",
                       "--summary", "Commas, semicolons; back\\slashes and a très long line that must be folded somewhere past seventy-five octets"]).code == 0)
        let path = w.url.appendingPathComponent("psn.ics").path
        let r = w.run(["export", "--format", "ics", "--company", "sony", "--output", path])
        #expect(r.code == 0, "\(r.err)")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75, "folded: \(line)") }
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("Commas\\, semicolons\\; back\\\\slashes"))
        #expect(unfolded.contains("DTSTART:20110502T163000Z"), "a time of day is a UTC instant")
        #expect(unfolded.contains("DTSTART;VALUE=DATE:20110501\r\nDTEND;VALUE=DATE:20110502"), "a day is an all-day event")
        let uids = unfolded.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") }
        #expect(Set(uids).count == uids.count, "UIDs are unique")
        let again = w.run(["export", "--format", "ics", "--company", "sony"]).out.replacingOccurrences(of: "\r\n ", with: "")
        #expect(again.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") } == uids, "UIDs are stable")

        // The Python icalendar package, as calendar tools use, must read it back.
        guard externalToolAvailable("Python's icalendar package", pythonHasModule("icalendar"),
                                    install: "pip install icalendar") else { return }
        let script = """
            import sys
            try:
                import icalendar
            except ImportError:
                print("MISSING: the Python package icalendar is not installed; run: pip install icalendar"); sys.exit(3)
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            events = cal.walk('VEVENT')
            for e in events:
                assert e.get('UID') and e.get('DTSTAMP') and e.get('DTSTART') and e.get('SUMMARY'), e
            texts = [str(e.get('SUMMARY')) for e in events]
            assert any('Commas, semicolons; back\\\\slashes and a très long line' in t for t in texts), texts
            days = [e for e in events if e.decoded('DTSTART').__class__.__name__ == 'date']
            print(len(events), len(days))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            Issue.record("python3 is needed to validate the calendar with the icalendar package: \(error)")
            return
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "icalendar could not read the export: \(output)")
        let counts = output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        let vevents = uids.count
        #expect(counts.first == vevents, "\(output)")
        #expect((counts.last ?? 0) > 0, "day-precise events are all-day dates")
    }
}
