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
        #expect(all["incidentCount"] as? Int == 5 || all["incident_count"] as? Int == 5)
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
