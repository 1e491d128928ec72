import Foundation
import Testing
@testable import LapseCLI

/// A day `MM/dd/yyyy ...` of the Washington list as days since 1970.
private func waDay(_ text: String) throws -> Int {
    let c = Array(text)
    try #require(c.count >= 10, "a date in \(text)")
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let date = try #require(calendar.date(from: DateComponents(year: Int(String(c[6..<10])), month: Int(String(c[0..<2])), day: Int(String(c[3..<5])))))
    return Int(date.timeIntervalSince1970) / 86_400
}

private func isoDay(_ text: String) throws -> Int {
    try waDay(String(text.dropFirst(5).prefix(2)) + "/" + String(text.dropFirst(8).prefix(2)) + "/" + String(text.prefix(4)))
}

private func rows(_ text: String) throws -> [[String: Any]] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], "JSON rows in \(text)")
}

@Suite("closed incidents")
struct ClosedIncidentTests {
    @Test("closing a real WA incident turns its unrecorded residents' notice from unknown to missed, late to the close; reopening reverts it")
    func closeWashington() throws {
        let (w, state) = try washingtonWorkspace()
        let row = try #require(state.first { $0["Id"] == "9735" }, "Equifax, Inc. on the Washington list")
        // RCW 19.255.010 as the list's own columns read: 45 days from discovery from 2015-07-24, 30 from 2020-03-01.
        let aware = try waDay(row["DateAware"] ?? "")
        let limit = aware >= (try isoDay("2020-03-01")) ? 30 : 45
        let due = aware + limit
        func verdict(_ rule: String) throws -> [String: Any] {
            let r = w.run(["deadlines", "wa-9735", "--rule", rule, "--as-of", "2026-01-01", "--format", "json"])
            #expect(r.code == 0, "\(r.err)")
            return try #require(try rows(r.out).first)
        }
        let before = try verdict("us-wa-19.255")
        #expect(before["status"] as? String == "unknown")
        #expect(before["late_by_days"] is NSNull)
        #expect((before["notes"] as? [String])?.first == "no customer_notification recorded")
        let agBefore = try verdict("us-wa-19.255-ag")

        let close = w.run(["incident", "close", "wa-9735", "--on", "2018-01-01", "--author", "ana"])
        #expect(close.code == 0, "\(close.err)")
        #expect(close.out.hasPrefix("Closed incident wa-9735 on 2018-01-01 (change "), "\(close.out)")
        let closed = try verdict("us-wa-19.255")
        #expect(closed["status"] as? String == "missed")
        #expect(closed["late_by_days"] as? Int == (try isoDay("2018-01-01")) - due, "from the due day to the close, not to 2026")
        #expect(closed["late_by_days_max"] is NSNull, "one reading")
        #expect((closed["notes"] as? [String])?.first == "no customer_notification recorded by the close on 2018-01-01; lateness counted to the close")
        let agClosed = try verdict("us-wa-19.255-ag")
        #expect(agClosed["status"] as? String == agBefore["status"] as? String, "the AG notice on the list is judged as before")
        #expect(agClosed["satisfied_by"] as? String == agBefore["satisfied_by"] as? String)

        // Over the whole list, the closed incident is the one residents' notice known to be missed.
        let all = try csvRows(text: w.run(["deadlines", "--rule", "us-wa-19.255", "--as-of", "2026-01-01", "--format", "csv"]).out)
        #expect(all.filter { $0["status"] == "missed" }.map { $0["incident"] ?? "" } == ["wa-9735"])
        #expect(all.count == state.count)

        // The close is a recorded change, shown and exported.
        let history = try rows(w.run(["history", "wa-9735", "--format", "json"]).out)
        #expect(history.first?["command"] as? String == "incident close wa-9735 --on 2018-01-01")
        #expect(history.first?["author"] as? String == "ana")
        #expect(w.run(["show", "wa-9735"]).out.contains("closed 2018-01-01"))
        #expect(w.run(["export", "--incident", "wa-9735"]).out.contains("\"closed\" : \"2018-01-01\""))
        #expect(w.run(["show", "wa-9735", "--format", "json"]).out.contains("\"closed\" : \"2018-01-01\""))

        // `incident edit --closed` moves the day.
        #expect(w.run(["incident", "edit", "wa-9735", "--closed", "2018-02-01"]).code == 0)
        #expect(try verdict("us-wa-19.255")["late_by_days"] as? Int == (try isoDay("2018-02-01")) - due)
        #expect(w.run(["incident", "close", "wa-9735", "--on", "2018-02-01"]).code == 65, "already closed on that day: nothing to change")

        // Reopening reverts the verdict; reopening an open incident changes nothing.
        let reopen = w.run(["incident", "reopen", "wa-9735"])
        #expect(reopen.code == 0, "\(reopen.err)")
        #expect(reopen.out.hasPrefix("Reopened incident wa-9735 (change "))
        let reopened = try verdict("us-wa-19.255")
        #expect(reopened["status"] as? String == "unknown")
        #expect(reopened["late_by_days"] is NSNull)
        #expect(!w.run(["show", "wa-9735"]).out.contains("closed"))
        let again = w.run(["incident", "reopen", "wa-9735"])
        #expect(again.code == 65)
        #expect(again.err.contains("wa-9735 is not closed"), "\(again.err)")

        // `--closed ""` reopens too; `lapse revert` undoes a close like any change.
        #expect(w.run(["incident", "edit", "wa-9735", "--closed", "2018-01-01"]).code == 0)
        #expect(w.run(["incident", "edit", "wa-9735", "--closed", ""]).code == 0)
        #expect(try verdict("us-wa-19.255")["status"] as? String == "unknown")
        #expect(w.run(["incident", "close", "wa-9735", "--on", "2019-06"]).code == 0)
        let last = try #require(try rows(w.run(["history", "wa-9735", "--format", "json"]).out).first?["id"] as? Int)
        #expect(w.run(["revert", String(last)]).code == 0)
        #expect(try verdict("us-wa-19.255")["status"] as? String == "unknown")
    }

    @Test("close defaults to today (UTC); bad days are refused and nothing is written")
    func closeErrors() throws {
        let (w, _) = try washingtonWorkspace()
        let history = w.run(["history", "--format", "csv"]).out
        let day = { () -> String in
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withFullDate]
            return f.string(from: Date())
        }
        let start = day()
        let r = w.run(["incident", "close", "wa-9735"])
        let end = day()
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("on \(start)") || r.out.contains("on \(end)"), "\(r.out)")
        #expect(w.run(["incident", "reopen", "wa-9735"]).code == 0)
        let changed = w.run(["history", "--format", "csv"]).out

        let bad = w.run(["incident", "close", "wa-9735", "--on", "2018-13-01"])
        #expect(bad.code == 64)
        #expect(bad.err.contains("--on"), "\(bad.err)")
        let early = w.run(["incident", "close", "wa-9735", "--on", "2001-01-01"])
        #expect(early.code == 65)
        #expect(early.err.contains("closed") && early.err.contains("before the incident's first event"), "\(early.err)")
        #expect(w.run(["incident", "close", "nope"]).code == 65)
        #expect(w.run(["incident", "edit", "wa-9735", "--closed", "soon"]).code == 64)
        #expect(w.run(["history", "--format", "csv"]).out == changed, "the refused closes wrote nothing")
        #expect(changed != history)
    }
}

@Suite("calendar deadlines")
struct CalendarDeadlineTests {
    /// The deadline VEVENTs of an iCalendar text: rule id → status, as their descriptions say.
    func calendarStatuses(_ ics: String, incident: String) -> [String: String] {
        var statuses: [String: String] = [:]
        for block in ics.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "BEGIN:VEVENT").dropFirst() {
            let lines = block.components(separatedBy: "\r\n")
            guard let uid = lines.first(where: { $0.hasPrefix("UID:\(incident).deadline.") }),
                  let description = lines.first(where: { $0.hasPrefix("DESCRIPTION:") }),
                  let status = description.components(separatedBy: "\\n").first(where: { $0.hasPrefix("Status: ") }) else { continue }
            let rule = String(uid.dropFirst("UID:\(incident).deadline.".count).dropLast("@lapse".count))
            statuses[rule] = String(status.dropFirst("Status: ".count))
        }
        return statuses
    }

    @Test("export --format ics --deadlines judges as `lapse deadlines` does: a notice to another jurisdiction's regulator satisfies no rule")
    func recipients() throws {
        let w = try Workspace()
        let doc = """
            {"format": "lapse/1",
             "parties": [{"id": "acme", "name": "Acme", "kind": "organization", "country": "US"},
                         {"id": "hhs", "name": "U.S. Department of Health and Human Services", "kind": "agency", "country": "US"}],
             "incidents": [{"id": "acme-2024", "title": "Acme breach", "organization": "acme", "kinds": ["breach"],
               "jurisdictions": ["US-WA"], "records_affected": 900,
               "events": [{"type": "detection", "at": "2024-01-02"}, {"type": "regulator_notification", "at": "2024-01-10", "party": "hhs"}]}]}
            """
        #expect(w.run(["import", try w.file("acme.json", doc)]).code == 0)
        let listed = try rows(w.run(["deadlines", "acme-2024", "--format", "json"]).out)
        var expected: [String: String] = [:]
        for row in listed where row["due"] is String { expected[row["rule"] as? String ?? ""] = row["status"] as? String }
        #expect(expected["us-wa-19.255-ag"] == "unknown", "a notice to HHS is not a notice to the Washington Attorney General")

        let ics = w.run(["export", "--format", "ics", "--deadlines"])
        #expect(ics.code == 0, "\(ics.err)")
        let calendar = calendarStatuses(ics.out, incident: "acme-2024")
        #expect(calendar["us-wa-19.255-ag"] == "unknown", "the calendar once counted the HHS notice and said met")
        #expect(!ics.out.replacingOccurrences(of: "\r\n ", with: "").contains("Satisfied by: regulator_notification"))
        #expect(calendar == expected, "every deadline of the calendar has the status `lapse deadlines` gives")

        // The same notice with its sender as the party (who received it is not said) counts, in both.
        #expect(w.run(["event", "edit", "acme-2024.e2", "--party", "acme"]).code == 0)
        let sent = try rows(w.run(["deadlines", "acme-2024", "--format", "json"]).out)
        #expect(sent.first { $0["rule"] as? String == "us-wa-19.255-ag" }?["status"] as? String == "met")
        #expect(calendarStatuses(w.run(["export", "--format", "ics", "--deadlines"]).out, incident: "acme-2024")["us-wa-19.255-ag"] == "met")

        // A closed incident's absent residents' notice is missed in both.
        #expect(w.run(["incident", "close", "acme-2024", "--on", "2024-03-15"]).code == 0)
        let closedRows = try rows(w.run(["deadlines", "acme-2024", "--format", "json"]).out)
        #expect(closedRows.first { $0["rule"] as? String == "us-wa-19.255" }?["status"] as? String == "missed")
        #expect(calendarStatuses(w.run(["export", "--format", "ics", "--deadlines"]).out, incident: "acme-2024")["us-wa-19.255"] == "missed")
    }

    @Test("on the sample data the calendar agrees with `lapse deadlines` for every incident: Uber's 2016 notice to the Dutch authority does not satisfy UK GDPR")
    func sampleAgrees() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let ics = w.run(["export", "--format", "ics", "--deadlines"])
        #expect(ics.code == 0, "\(ics.err)")
        let listed = try rows(w.run(["deadlines", "--format", "json"]).out)
        let incidents = Set(listed.compactMap { $0["incident"] as? String })
        #expect(incidents.count > 3)
        for incident in incidents {
            var expected: [String: String] = [:]
            for row in listed where row["incident"] as? String == incident && row["due"] is String {
                let status = row["status"] as? String ?? ""
                expected[row["rule"] as? String ?? ""] = status + ((row["would_be"] as? String).map { " (would be \($0))" } ?? "")
            }
            #expect(calendarStatuses(ics.out, incident: incident) == expected, "\(incident)")
        }
        let uber = calendarStatuses(ics.out, incident: "uber-2016")
        #expect(uber["uk-gdpr-33"] == "not_in_force (would be unknown)", "the calendar once said \"would be missed\", counting the Dutch notice")
        #expect(uber["eu-gdpr-33"] == "not_in_force (would be missed)", "the Dutch notice is a notice under the GDPR")
    }
}
