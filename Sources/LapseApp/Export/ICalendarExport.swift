import Foundation
import LapseCore
import LapseReports

/// `lapse export --format ics`: an iCalendar (RFC 5545) file with one VEVENT per event.
/// Dates without a time of day are all-day events spanning the days they cover (a month-precise
/// event spans its month); times of day are UTC instants. Lines end in CRLF and are folded at
/// 75 octets; text escapes `\`, `;`, `,` and newlines. Only http(s) URLs become URL properties.
enum ICalendarExport {
    /// The calendar of the selected incidents' events, a batch at a time, and with `deadlines`
    /// one event per notification due date (a second pass over the same incidents), judged as
    /// `lapse deadlines` judges them (`DeadlineReview`), recipients of notices included. Returns
    /// the number of incidents.
    static func write(_ reader: any IncidentExportReader, deadlines: Bool, now: Date = Date(), to out: any TextOutput) throws -> Int {
        let stamp = utcStamp(Int(now.timeIntervalSince1970))
        try out.write(content(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Lapse//Lapse \(LapseVersion.current)//EN",
                               "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Lapse incident timelines"]))
        let count = try ExportedEvent.forEachBatch(reader) { events, _ in
            for e in events { try out.write(content(lines(e, stamp: stamp))) }
        }
        if deadlines {
            let instant = Int(now.timeIntervalSince1970)
            var parties: [String: Party] = [:]
            try reader.forEachIncidentBatch { incidents in
                try IncidentSelection.addParties(of: incidents, from: reader, to: &parties)
                for incident in incidents {
                    for r in DeadlineReview.applicable(to: incident, parties: parties, now: instant) where r.due != nil {
                        try out.write(content(lines(incident, r, stamp: stamp)))
                    }
                }
            }
        }
        try out.write(content(["END:VCALENDAR"]))
        return count
    }

    /// Lines folded at 75 octets, each ending in CRLF.
    static func content(_ lines: [String]) -> String {
        lines.map { fold($0) + "\r\n" }.joined()
    }

    /// The VEVENT of one event.
    static func lines(_ e: ExportedEvent, stamp: String) -> [String] {
        var lines: [String] = []
        lines.append("BEGIN:VEVENT")
        // Stable across exports: the incident id and the event's position as recorded.
        lines.append("UID:\(text(e.event.id.map { "\(e.incident.id).\($0)" } ?? "\(e.incident.id).\(e.index)"))@lapse")
        lines.append("DTSTAMP:\(stamp)")
        let zone = e.zone
        if e.event.at.hasTimeOfDay {
            let start = e.event.at.firstInstant(in: zone)
            lines.append("DTSTART:\(utcStamp(start))")
            if let until = e.event.until {
                lines.append("DTEND:\(utcStamp(max(until.endInstant(in: zone), start)))")
            }
        } else {
            let days = e.event.at.dayRange(in: zone)
            let last = e.event.until.map { max($0.dayRange(in: zone).upperBound, days.upperBound) } ?? days.upperBound
            lines.append("DTSTART;VALUE=DATE:\(dateStamp(days.lowerBound))")
            lines.append("DTEND;VALUE=DATE:\(dateStamp(last + 1))")
            lines.append("TRANSP:TRANSPARENT")
        }
        lines.append("SUMMARY:\(text(e.message))")
        var description = ["Incident: \(e.incident.title) (\(e.incident.id))", "Type: \(e.event.type.rawValue)",
                           "When: \(e.event.at.description)" + (e.event.until.map { " until \($0)" } ?? "")]
        if let quote = e.event.statement?.quote { description.append("Quote: \(quote)") }
        description += e.event.sources.map { "Source: \($0.url)" }
        lines.append("DESCRIPTION:\(text(description.joined(separator: "\n")))")
        lines.append("CATEGORIES:\(text(e.event.type.rawValue))")
        // Only an http(s) source becomes the URL property; any other stays text in the description.
        if let url = e.event.sources.lazy.compactMap({ safeLink($0.url) }).first { lines.append("URL:\(Escape.uri(url))") }
        lines.append("END:VEVENT")
        return lines
    }

    /// The VEVENT of one notification rule's due date.
    static func lines(_ incident: Incident, _ r: DeadlineResult, stamp: String) -> [String] {
        guard let due = r.due else { return [] }
        var lines: [String] = []
        lines.append("BEGIN:VEVENT")
        lines.append("UID:\(text("\(incident.id).deadline.\(r.rule.id)"))@lapse")
        lines.append("DTSTAMP:\(stamp)")
        if due.inDays {
            // An all-day event over every day the notice may have been due.
            lines.append("DTSTART;VALUE=DATE:\(dateStamp(due.lower))")
            lines.append("DTEND;VALUE=DATE:\(dateStamp(due.upper + 1))")
        } else {
            lines.append("DTSTART:\(utcStamp(due.lower))")
            lines.append("DTEND:\(utcStamp(max(due.upper, due.lower + 60)))")
        }
        lines.append("SUMMARY:\(text("Due: \(r.rule.id) · \(incident.title)"))")
        var description = ["Rule: \(r.rule.instrument): notify \(r.rule.notify)", "Incident: \(incident.title) (\(incident.id))",
                           "Status: \(r.status.rawValue)" + (r.wouldBe.map { " (would be \($0.rawValue))" } ?? ""), "Due: \(due)"]
        if let start = r.clockStart { description.append("Clock started: \(start.type.rawValue) \(start.at)") }
        if let met = r.satisfiedBy { description.append("Satisfied by: \(met.type.rawValue) \(met.at)") }
        description.append("Source: \(r.rule.source.url)")
        description.append("Not legal advice.")
        lines.append("DESCRIPTION:\(text(description.joined(separator: "\n")))")
        lines.append("CATEGORIES:deadline")
        lines.append("END:VEVENT")
        return lines
    }

    /// A TEXT value (see `Escape.ics`).
    static func text(_ value: String) -> String { Escape.ics(value) }

    /// Folds a content line at 75 octets, never inside a UTF-8 character: CRLF and one space.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out = ""
        var used = 0
        var limit = 75
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if used + size > limit {
                out += "\r\n "
                used = 0
                limit = 74  // the leading space counts
            }
            out.unicodeScalars.append(scalar)
            used += size
        }
        return out
    }

    static func utcStamp(_ instant: Int) -> String {
        let day = Int((Double(instant) / 86_400).rounded(.down))
        let seconds = instant - day * 86_400
        return dateStamp(day) + "T" + two(seconds / 3600) + two(seconds % 3600 / 60) + two(seconds % 60) + "Z"
    }

    static func dateStamp(_ day: Int) -> String {
        CivilDate.string(fromDays: day).replacingOccurrences(of: "-", with: "")
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
