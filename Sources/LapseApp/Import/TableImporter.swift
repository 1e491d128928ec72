import Foundation
import LapseCore

/// How the columns of a table become incidents: which column holds what, and how dates read.
public struct TableMapping {
    public var idColumn: String
    public var organizationColumn: String
    public var titleColumn: String?
    public var kinds: [IncidentKind]
    public var events: [(type: EventType, column: String)]
    public var datePattern: DatePattern?
    public var recordsColumn: String?
    public var sectorColumn: String?
    public var idPrefix: String
    public var jurisdictions: [String]
    public var timezone: String?

    public init(idColumn: String, organizationColumn: String, titleColumn: String?, kinds: [IncidentKind], events: [(type: EventType, column: String)], datePattern: DatePattern?, recordsColumn: String?, sectorColumn: String?, idPrefix: String, jurisdictions: [String], timezone: String?) {
        self.idColumn = idColumn
        self.organizationColumn = organizationColumn
        self.titleColumn = titleColumn
        self.kinds = kinds
        self.events = events
        self.datePattern = datePattern
        self.recordsColumn = recordsColumn
        self.sectorColumn = sectorColumn
        self.idPrefix = idPrefix
        self.jurisdictions = jurisdictions
        self.timezone = timezone
    }
}

/// Reads a CSV or TSV file row by row into incidents, one per row, creating an organization
/// per distinct name.
public struct TableImporter {
    let mapping: TableMapping

    public init(mapping: TableMapping) {
        self.mapping = mapping
    }

    public func run(path: String, delimiter: UInt8, into runner: ImportRunner, progress: ((Int) -> Void)?) throws {
        let reader = try DelimitedReader(path: path, delimiter: delimiter)
        guard let header = try reader.next() else {
            throw DataProblem(file: path, line: 1, path: "", message: "the file is empty; expected a header row naming the columns")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        func index(_ column: String, _ option: String) throws -> Int {
            guard let i = names.firstIndex(of: column) else {
                throw DataProblem(file: path, line: header.line, path: "header",
                                  message: "\(option): no column \"\(column)\"; the columns are: \(names.joined(separator: ", "))")
            }
            return i
        }
        let id = try index(mapping.idColumn, "--id-column")
        let organization = try index(mapping.organizationColumn, "--organization-column")
        let title = try mapping.titleColumn.map { try index($0, "--title-column") }
        let records = try mapping.recordsColumn.map { try index($0, "--records-column") }
        let sector = try mapping.sectorColumn.map { try index($0, "--sector-column") }
        let events = try mapping.events.map { (type: $0.type, column: $0.column, index: try index($0.column, "--event")) }

        while let row = try reader.next() {
            progress?(reader.bytesRead)
            let location = RecordLocation(file: path, line: row.line)
            var problems: [DataProblem] = []
            func problem(_ column: String, _ message: String) {
                problems.append(DataProblem(file: path, line: row.line, path: "column \(column)", message: message))
            }
            guard row.fields.count == names.count else {
                try runner.reject([DataProblem(file: path, line: row.line, path: "",
                                           message: "the row has \(row.fields.count) fields; expected \(names.count), as in the header")])
                continue
            }
            func cell(_ i: Int) -> String { row.fields[i].trimmingCharacters(in: .whitespacesAndNewlines) }

            let rawID = cell(id)
            let incidentID = mapping.idPrefix + slug(rawID, maxLength: 80)
            if slug(rawID).isEmpty { problem(mapping.idColumn, "the id is empty; expected a value to make the incident id from") }
            let orgName = cell(organization)
            if orgName.isEmpty { problem(mapping.organizationColumn, "the organization is empty; expected the organization's name") }
            var recordsAffected: Int?
            if let records {
                let text = cell(records)
                if !text.isEmpty {
                    if let n = Self.count(text) { recordsAffected = n } else {
                        problem(mapping.recordsColumn!, "\(quoted(text)) is not a count; expected a whole number of 0 or more (thousands may be grouped: 1,200 or 1_200)")
                    }
                }
            }
            var timeline: [Event] = []
            for event in events {
                let text = cell(event.index)
                if text.isEmpty { continue }
                if let pattern = mapping.datePattern {
                    switch pattern.parse(text) {
                    case .success(let time): timeline.append(Event(type: event.type, at: time))
                    case .failure(let mismatch):
                        problem(event.column, "\(quoted(text)) does not match the date format \"\(pattern.pattern)\": \(mismatch.reason)")
                    }
                } else {
                    do {
                        timeline.append(Event(type: event.type, at: try EventTime(parsing: text)))
                    } catch {
                        problem(event.column, "\(error.description) (or give --date-format)")
                    }
                }
            }
            guard problems.isEmpty else { try runner.reject(problems); continue }

            let sectorText = sector.map(cell).flatMap { $0.isEmpty ? nil : $0 }
            let org = try runner.directory.resolve(orgName, kind: .organization, sector: sectorText, fallback: "organization")
            try runner.add(org.newParty, at: location)
            let titleText = title.map(cell).flatMap { $0.isEmpty ? nil : $0 }
                ?? "\(orgName) \(mapping.kinds.first?.rawValue ?? "incident") (\(rawID))"
            let incident = Incident(id: incidentID, title: titleText, organization: org.id, kinds: mapping.kinds,
                                    recordsAffected: recordsAffected, timezone: mapping.timezone,
                                    jurisdictions: mapping.jurisdictions, events: timeline)
            try runner.add(ImportedRecord(location: location, incident: incident))
        }
    }

    /// A count as tables write it: digits, optionally in thousands grouped by one kind of
    /// separator (`1200`, `1,200`, `1_200_000`). `1,2,3` or `12,34` is not a count: a list or a
    /// decimal comma must not be read as one number.
    static func count(_ text: String) -> Int? {
        let digits = Set("0123456789")
        guard let separator = text.first(where: { !digits.contains($0) }) else { return Int(text) }
        guard separator == "," || separator == "_" else { return nil }
        let groups = text.split(separator: separator, omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count),
              groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ $0.allSatisfy(digits.contains) }) else { return nil }
        return Int(groups.joined())
    }
}
