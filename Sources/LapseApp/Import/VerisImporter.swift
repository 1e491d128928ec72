import Foundation
import LapseCore
import LapseReports
#if canImport(Glibc)
import Glibc
#endif

/// Reads VERIS incidents (the schema of the VERIS Community Database) into incidents:
/// one JSON object per file, a folder of such files, or JSON Lines.
public struct VerisImporter {
    public init() {}

    /// The files to read: the path itself, or a folder's .json/.jsonl files (any case) in name order.
    public static func files(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError.cannotRead(path: path, reason: "no such file or folder")
        }
        guard isDirectory.boolValue else { return [path] }
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { ["json", "jsonl", "ndjson"].contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted()
        if names.isEmpty { throw InputError.cannotRead(path: path, reason: "the folder holds no .json or .jsonl files") }
        return names.map { (path as NSString).appendingPathComponent($0) }
    }

    /// Reads one file: JSON Lines streamed line by line, else one JSON object.
    public func read(_ path: String, into runner: ImportRunner) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        if ext == "jsonl" || ext == "ndjson" {
            try forEachLine(path) { data, line in
                try record(data, location: RecordLocation(file: path, line: line), into: runner)
            }
        } else {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw InputError.cannotRead(path: path, reason: (error as NSError).localizedDescription)
            }
            try record(data, location: RecordLocation(file: path), into: runner)
        }
    }

    private func record(_ data: Data, location: RecordLocation, into runner: ImportRunner) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            let problem = DocumentReader.syntaxProblem(data, file: location.file ?? "", line: location.line)
                ?? DataProblem(file: location.file, line: location.line, path: "", message: "expected a VERIS incident: a JSON object")
            try runner.reject([problem])
            return
        }
        let veris = VerisRecord(object)
        var problems: [DataProblem] = []
        func problem(_ path: String, _ message: String) {
            problems.append(DataProblem(file: location.file, line: location.line, path: path, message: message))
        }

        guard let key = veris.text("plus", "master_id") ?? veris.text("incident_id") else {
            try runner.reject([DataProblem(file: location.file, line: location.line, path: "incident_id",
                                       message: "the record has no incident_id (nor plus.master_id); expected an id to make the incident id from")])
            return
        }
        let intrusion = veris.time(at: ["timeline", "incident"], problem: problem)
        if veris.value("timeline", "incident", "year") == nil {
            problem("timeline.incident.year", "the year is missing; every VERIS incident has timeline.incident.year")
        }
        let notification = veris.time(at: ["plus", "timeline", "notification"], problem: problem)
        var records: Int?
        if let total = veris.value("attribute", "confidentiality", "data_total") {
            if let n = ExternalNumber.count(total) { records = n } else {
                problem("attribute.confidentiality.data_total", "\(ExternalNumber.text(total)) is not a count; expected a whole number from 0 to \(groupedNumber(ExternalNumber.countLimit))")
            }
        }
        let detection = intrusion.flatMap { Self.discovery(after: $0, veris.value("timeline", "discovery") as? [String: Any], problem: problem) }
        guard problems.isEmpty, let intrusion else { try runner.reject(problems); return }

        let victimName = veris.text("victim", "victim_id") ?? "Unknown organization"
        let countries = veris.strings("victim", "country")
        let industry = veris.text("victim", "industry").flatMap { $0.allSatisfy({ $0 == "0" }) ? nil : $0 }
        let org = try runner.directory.resolve(victimName, kind: .organization, sector: industry,
                                               country: countries.first.flatMap { $0.count == 2 ? $0 : nil }, fallback: "organization")
        try runner.add(org.newParty, at: location)
        var groups: [String] = []
        for name in veris.strings("actor", "external", "name") where !Self.looksLikeIdentifier(name) {
            let group = try runner.directory.resolve(name, kind: .group, fallback: "group")
            try runner.add(group.newParty, at: location)
            groups.append(group.id)
        }

        let sources = ImportedRecord.sources(fromURLs: veris.text("reference"))
        var events = [Event(type: .intrusion, at: intrusion, party: groups.first, sources: sources)]
        if let detection {
            events.append(Event(type: .detection, at: detection, summary: "Discovered \(veris.discoveryPhrase ?? "later") (VERIS timeline.discovery)", sources: sources))
        }
        if let notification {
            events.append(Event(type: .disclosure, at: notification, party: org.id, sources: sources))
        }

        var kinds: [IncidentKind] = []
        if ["yes", "potentially"].contains(veris.text("attribute", "confidentiality", "data_disclosure")?.lowercased() ?? "") { kinds.append(.breach) }
        if veris.strings("attribute", "availability", "variety").contains(where: { $0 == "Interruption" }) { kinds.append(.outage) }
        if veris.strings("action", "malware", "variety").contains("Ransomware") { kinds.append(.ransomware) }
        if kinds.isEmpty { kinds = [.other] }

        var jurisdictions = countries
        if countries == ["US"], let state = veris.text("victim", "state"), state.count == 2 { jurisdictions.append("US-\(state.uppercased())") }
        var tags: [String] = veris.text("source_id").map { [$0.lowercased()] } ?? []
        for category in ["action", "actor"] {
            let keys = ((veris.value(category) as? [String: Any])?.keys).map { Array($0).sorted() } ?? []
            tags += keys.filter { $0.lowercased() != "unknown" }.map { "\(category):\($0.lowercased())" }
        }

        let incident = Incident(
            id: "veris-" + slug(key, maxLength: 80), title: "\(victimName.trimmingCharacters(in: .whitespaces)) \(kinds[0].rawValue), \(intrusion)",
            organization: org.id, kinds: kinds, summary: veris.text("summary"), recordsAffected: records,
            jurisdictions: jurisdictions, tags: tags, events: events)
        try runner.add(ImportedRecord(location: location, incident: incident))
    }

    /// Actor names that are another record's UUID rather than a name.
    static func looksLikeIdentifier(_ name: String) -> Bool {
        name.count == 36 && name.allSatisfy { $0.isHexDigit || $0 == "-" }
    }

    /// `timeline.discovery` (a unit and a value after the incident) as an approximate date, when
    /// the incident is dated precisely enough for the unit: days and weeks need a day, months
    /// a month, years a year; the result is no more precise than the unit. A discovery that
    /// falls after the year 9999 is a problem with `timeline.discovery.value`, not a date.
    static func discovery(after incident: EventTime, _ phase: [String: Any]?,
                          problem: (_ path: String, _ message: String) -> Void = { _, _ in }) -> EventTime? {
        guard let phase, let unit = (phase["unit"] as? String)?.lowercased(),
              ["seconds", "minutes", "hours", "days", "weeks", "months", "years"].contains(unit),
              let raw = phase["value"], !ExternalNumber.isBoolean(raw), let value = (raw as? NSNumber)?.doubleValue, value >= 0 else { return nil }
        func outOfRange() -> EventTime? {
            problem("timeline.discovery.value",
                    "\(ExternalNumber.text(raw)) \(unit) after \(incident) falls after the year \(EventTime.years.upperBound); expected a discovery that can be dated (years 1-\(EventTime.years.upperBound))")
            return nil
        }
        // Checked before any arithmetic: 100,000 of any unit reaches past the year 9999.
        guard value < 100_000 else { return outOfRange() }
        let n = Int(value.rounded(.down))
        let days: Int
        switch unit {
        case "seconds": days = n / 86_400
        case "minutes": days = n / 1_440
        case "hours": days = n / 24
        case "days": days = n
        case "weeks": days = n * 7
        case "months":
            guard let month = incident.month else { return nil }
            let total = incident.year * 12 + (month - 1) + n
            return EventTime(checkingYear: total / 12, month: total % 12 + 1, qualifier: .approximate) ?? outOfRange()
        default:
            return EventTime(checkingYear: incident.year + n, qualifier: .approximate) ?? outOfRange()
        }
        guard let month = incident.month, let day = incident.day else { return nil }
        let c = CivilDate.civil(fromDays: CivilDate.daysFromCivil(year: incident.year, month: month, day: day) + days)
        return EventTime(checkingYear: c.year, month: c.month, day: c.day, qualifier: .approximate) ?? outOfRange()
    }

    /// Calls `body` with each non-blank line of a file, streamed.
    private func forEachLine(_ path: String, _ body: (Data, Int) throws -> Void) throws {
        guard let handle = fopen(path, "r") else {
            throw InputError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(handle) }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var line = 0
        while true {
            let length = getline(&buffer, &capacity, handle)
            if length < 0 { break }
            line += 1
            guard let buffer else { continue }
            let data = Data(bytes: buffer, count: length)
            if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { continue }
            try body(data, line)
        }
    }
}

/// Typed access into one VERIS object; "Unknown", "NA" and empty strings read as absent.
struct VerisRecord {
    let object: [String: Any]

    init(_ object: [String: Any]) { self.object = object }

    static let unknown: Set<String> = ["unknown", "na", "n/a", "other", ""]

    func value(_ path: String...) -> Any? { value(path) }

    func value(_ path: [String]) -> Any? {
        var current: Any? = object
        for key in path { current = (current as? [String: Any])?[key] }
        return current is NSNull ? nil : current
    }

    func text(_ path: String...) -> String? {
        guard let s = value(path) as? String else { return nil }
        let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return Self.unknown.contains(trimmed.lowercased()) ? nil : trimmed
    }

    func strings(_ path: String...) -> [String] {
        let raw: [Any] = (value(path) as? [Any]) ?? (value(path).map { [$0] } ?? [])
        return raw.compactMap { ($0 as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !Self.unknown.contains($0.lowercased()) }
    }

    /// A `{year, month, day}` object as an EventTime at the precision given; nil when absent.
    func time(at path: [String], problem: (String, String) -> Void) -> EventTime? {
        guard let parts = value(path) as? [String: Any] else { return nil }
        let where_ = path.joined(separator: ".")
        // A part that is there but not a whole number (1.5, "2014", 1e30) is a problem, not absent.
        var bad = false
        func int(_ key: String, _ expected: String) -> Int? {
            guard let raw = parts[key], !(raw is NSNull) else { return nil }
            guard let n = ExternalNumber.whole(raw) else {
                problem("\(where_).\(key)", "\(ExternalNumber.text(raw)) is not a whole number; expected \(expected)")
                bad = true
                return nil
            }
            return n
        }
        let year = int("year", "a year 1-9999")
        let month = int("month", "a month 1-12")
        let day = int("day", "a day of the month")
        guard !bad, let year else { return nil }
        guard EventTime.years.contains(year) else { problem("\(where_).year", "\(year) is not a year; expected a year 1-9999"); return nil }
        guard let month else { return EventTime(year: year) }
        guard (1...12).contains(month) else { problem("\(where_).month", "\(month) is not a month; expected a month 1-12"); return nil }
        guard let day else { return EventTime(year: year, month: month) }
        guard let time = EventTime(checkingYear: year, month: month, day: day) else {
            problem("\(where_).day", "day \(day) does not exist in \(year)-\(month)")
            return nil
        }
        return time
    }

    /// "1 Months after", for the detection's summary.
    var discoveryPhrase: String? {
        guard let unit = text("timeline", "discovery", "unit"), let value = value("timeline", "discovery", "value") as? NSNumber else { return nil }
        return "\(value) \(unit.lowercased()) after the incident"
    }
}
