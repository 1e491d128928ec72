import Foundation
import Testing
@testable import LapseCLI

@Suite("deadlines and rules")
struct DeadlineCommandTests {
    func sample() throws -> Workspace {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        return w
    }

    func objects(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test("PSN 2011 against GDPR: not in force, would have been missed by 79.75 to 103.75 hours")
    func psn() throws {
        let w = try sample()
        let r = w.run(["deadlines", "psn-2011", "--format", "json", "--as-of", "2026-01-01"])
        #expect(r.code == 0, "\(r.err)")
        let rows = try objects(r.out)
        let gdpr = try #require(rows.first { $0["rule"] as? String == "eu-gdpr-33" })
        #expect(gdpr["status"] as? String == "not_in_force")
        #expect(gdpr["would_be"] as? String == "missed")
        #expect(gdpr["due"] as? String == "2011-04-22T23:15:00Z")
        #expect(gdpr["late_by_hours"] as? Double == 79.75)
        #expect(gdpr["late_by_hours_max"] as? Double == 103.75)
        #expect(gdpr["clock_start"] as? String == "2011-04-19T16:15")
        #expect(gdpr["satisfied_by"] as? String == "2011-04-26")
        #expect(gdpr["late_by_days"] is NSNull)
        #expect(!rows.contains { $0["status"] as? String == "not_applicable" }, "only the rules that reach the incident")
        #expect(!rows.contains { ($0["rule"] as? String)?.hasPrefix("us-") == true }, "no US rule reaches PSN without its tags")
        let all = try objects(w.run(["deadlines", "psn-2011", "--all", "--format", "json"]).out)
        #expect(all.count == (try objects(w.run(["rules", "--format", "json"], passDB: false).out)).count)
    }

    @Test("Equifax 2017 against the SEC's 8-K rule: four business days, not in force in 2017")
    func equifaxSEC() throws {
        let w = try sample()
        let r = w.run(["deadlines", "equifax-2017", "--rule", "us-sec-8k-105", "--format", "json", "--as-of", "2026-01-01"])
        #expect(r.code == 0, "\(r.err)")
        let row = try #require(try objects(r.out).first)
        #expect(row["rule"] as? String == "us-sec-8k-105")
        #expect(row["status"] as? String == "not_in_force")
        #expect(row["clock_start_type"] as? String == "determination")
        #expect(row["clock_start"] as? String == "2017-08-15")
        #expect(row["due"] as? String == "2017-08-21")
        #expect(row["would_be"] as? String == "unknown", "no filing is on the sample's timeline: not known to be late")
        #expect((row["notes"] as? [String])?.contains { $0.contains("sec-registrant") } == true)
    }

    @Test("an incident of today: met, missed and open clocks, in every format")
    func acme() throws {
        let w = try Workspace()
        let doc = """
            {"format": "lapse/1",
             "parties": [{"id": "acme", "name": "Acme", "kind": "organization", "sector": "Retail"}],
             "incidents": [{"id": "acme-2024", "title": "Acme breach", "organization": "acme", "kinds": ["breach"],
               "timezone": "America/New_York", "jurisdictions": ["US-CA", "DE"], "tags": ["sec-registrant"], "records_affected": 1200,
               "events": [{"type": "detection", "at": "2024-11-25T09:00"}, {"type": "determination", "at": "2024-11-26"},
                          {"type": "filing", "at": "2024-12-03T16:00"}, {"type": "regulator_notification", "at": "2024-11-28T10:00"}]}]}
            """
        #expect(w.run(["import", try w.file("acme.json", doc)]).code == 0)
        let rows = try objects(w.run(["deadlines", "acme-2024", "--format", "json", "--as-of", "2024-11-26T12:00:00Z"]).out)
        func status(_ id: String) -> String? { rows.first { $0["rule"] as? String == id }?["status"] as? String }
        #expect(status("us-sec-8k-105") == "met", "Thanksgiving is not a business day: due 2024-12-03")
        #expect(status("eu-gdpr-33") == "missed")
        #expect(status("us-ca-1798.82") == "no_fixed_deadline", "California set no number before 2026")
        #expect(status("eu-gdpr-34") == "no_fixed_deadline")
        let gdpr = try #require(rows.first { $0["rule"] as? String == "eu-gdpr-33" })
        #expect(gdpr["late_by_hours"] as? Double == 1)
        let csv = w.run(["deadlines", "acme-2024", "--format", "csv"]).out
        #expect(csv.hasPrefix("incident,rule,status,would_be,deadline,clock_start_type,clock_start,due,"))
        #expect(csv.contains("acme-2024,us-sec-8k-105,met,"))
        let table = w.run(["deadlines", "acme-2024", "--rule", "eu-gdpr-33"])
        #expect(table.out.contains("late 1 h"))
        #expect(table.err.contains("Not legal advice"))
        #expect(w.run(["deadlines", "acme-2024", "--format", "markdown"]).out.contains("| acme-2024 | us-sec-8k-105 | met |"))
        let open = try objects(w.run(["deadlines", "acme-2024", "--rule", "kr-pipa", "--format", "json", "--as-of", "2024-11-25T15:00:00Z"]).out)
        #expect(open.first?["status"] as? String == "open")
        #expect(open.first?["hours_left"] as? Double == 71, "72 h from 14:00 UTC, one hour later")
    }

    @Test("bad rule ids and options", arguments: [
        (["deadlines", "psn-2011", "--rule", "eu-gdpr-99"], Int32(65), "no rule with id \"eu-gdpr-99\""),
        (["deadlines", "nope"], 65, "no incident with id \"nope\""),
        (["deadlines", "psn-2011", "--all", "--rule", "eu-gdpr-33"], 64, "--all"),
        (["deadlines", "psn-2011", "--as-of", "2011-13"], 64, "--as-of"),
    ])
    func errors(arguments: [String], code: Int32, message: String) throws {
        let w = try sample()
        let r = w.run(arguments)
        #expect(r.code == code)
        #expect(r.err.contains(message), "\(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test("rules lists every rule with its source; --jurisdiction narrows")
    func rules() throws {
        let w = try Workspace()
        let all = try objects(w.run(["rules", "--format", "json"], passDB: false).out)
        #expect(all.count >= 32)
        let lgpd = try #require(all.first { $0["id"] as? String == "br-lgpd" })
        #expect(lgpd["deadline"] as? String == "3 business days (br-national)")
        #expect((lgpd["source"] as? String)?.hasPrefix("https://") == true)
        #expect(lgpd["confidence"] as? String == "S2")
        let eu = try objects(w.run(["rules", "--jurisdiction", "EU", "--format", "json"], passDB: false).out)
        #expect(Set(eu.compactMap { $0["id"] as? String }).isSuperset(of: ["eu-gdpr-33", "eu-nis2-ew", "eu-dora-final"]))
        #expect(!eu.contains { $0["id"] as? String == "us-sec-8k-105" })
        let table = w.run(["rules"], passDB: false)
        #expect(table.code == 0)
        #expect(table.out.contains("us-circia") && table.out.contains("not in force"))
        #expect(w.run(["rules", "--format", "csv"], passDB: false).out.hasPrefix("id,family,instrument,jurisdictions,"))
    }
}
