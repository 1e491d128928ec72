import Foundation
import Testing
@testable import LapseCLI

@Suite("report")
struct ReportCommandTests {
    @Test("incident, company and portfolio reports in every format, to stdout or a file")
    func reports() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        for format in ["md", "html", "json", "csv"] {
            for args in [["report", "incident", "psn-2011"], ["report", "company", "sony"], ["report", "all"]] {
                let r = w.run(args + ["--format", format])
                #expect(r.code == 0, "\(args) \(format): \(r.err)")
                #expect(!r.out.isEmpty)
            }
        }
        let md = w.run(["report", "incident", "psn-2011"]).out
        #expect(md.hasPrefix("# PlayStation Network"))
        #expect(md.contains("**11 d**"))
        let file = w.url.appendingPathComponent("psn.html").path
        let written = w.run(["report", "incident", "psn-2011", "--format", "html", "--output", file])
        #expect(written.code == 0)
        #expect(written.out.isEmpty)
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        let company = w.run(["report", "company", "sony", "--format", "json"]).out
        let json = try #require(try JSONSerialization.jsonObject(with: Data(company.utf8)) as? [String: Any])
        #expect((json["incidents"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.sorted() == ["psn-2011", "soe-2011"])
        let all = try #require(try JSONSerialization.jsonObject(with: Data(w.run(["report", "all", "--format", "json"]).out.utf8)) as? [String: Any])
        #expect(all["incident_count"] as? Int == 5)
        #expect(all["incidentCount"] == nil, "every key of the JSON contract is snake_case")
        #expect((all["slowest"] as? [[String: Any]])?.first?["incident"] as? String == "uber-2016")
    }

    @Test("unknown incidents and companies are data errors")
    func unknown() throws {
        let w = try Workspace()
        #expect(w.run(["report", "incident", "nope"]).code == 65)
        #expect(w.run(["report", "company", "nobody"]).code == 65)
        #expect(w.run(["report", "all", "--format", "pdf"]).code == 64)
    }
}

@Suite("Deadlines in reports and calendars")
struct DeadlineIntegrationTests {
    @Test("the incident report lists the rules that apply, with their verdicts")
    func reportSection() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let md = w.run(["report", "incident", "psn-2011"]).out
        let section = try #require(md.components(separatedBy: "## Notification deadlines").last?.components(separatedBy: "## Consistency").first)
        let gdpr = try #require(section.split(separator: "\n").first { $0.contains("[GDPR Art 33\\(1\\)]") }, "the law's name, not the rule id")
        #expect(gdpr.contains("– not in force (would be ✗ missed)"), "GDPR did not apply in 2011, but would have been missed")
        #expect(gdpr.contains("2011-04-22T23:15:00Z"), "72 hours after the 16:15 PDT detection")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(w.run(["report", "incident", "psn-2011", "--format", "json"]).out.utf8)) as? [String: Any])
        let rules = (json["deadlines"] as? [[String: Any]])?.compactMap { $0["rule"] as? String } ?? []
        #expect(rules.contains("eu-gdpr-33"))
        #expect(w.run(["report", "incident", "psn-2011", "--format", "html"]).out.contains("Notification deadlines"))
    }

    @Test("export --format ics --deadlines adds the due dates")
    func calendar() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let ics = w.run(["export", "--format", "ics", "--deadlines", "--incident", "psn-2011"]).out
        #expect(ics.contains("UID:psn-2011.deadline.eu-gdpr-33@lapse"))
        #expect(ics.contains("DTSTART:20110422T231500Z"))
        #expect(!w.run(["export", "--format", "ics", "--incident", "psn-2011"]).out.contains(".deadline."))
        #expect(w.run(["export", "--deadlines"]).code == 64)
    }
}
