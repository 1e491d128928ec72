import Foundation
import LapseCore
import Yams
#if canImport(Glibc)
import Glibc
#endif

/// Reads `lapse/1` files (JSON, JSON Lines, YAML) into the import runner, record by record,
/// naming the file, line and JSON path of anything wrong.
enum DocumentReader {
    enum Kind { case json, jsonLines, yaml }

    static let extensions: [String: Kind] = ["json": .json, "jsonl": .jsonLines, "ndjson": .jsonLines, "yaml": .yaml, "yml": .yaml]

    /// The files to read: each path itself, or a folder's lapse files in name order.
    static func files(expanding paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError.cannotRead(path: path, reason: "no such file or folder")
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path)
                    .filter { extensions[($0 as NSString).pathExtension.lowercased()] != nil }
                    .sorted()
                if names.isEmpty {
                    throw InputError.cannotRead(path: path, reason: "the folder holds no .json, .jsonl, .yaml or .yml files")
                }
                files += names.map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    static func kind(of path: String) throws -> Kind {
        guard let kind = extensions[(path as NSString).pathExtension.lowercased()] else {
            throw InputError.cannotRead(path: path, reason: "unknown file type; expected a lapse/1 file ending in .json, .jsonl, .yaml or .yml")
        }
        return kind
    }

    /// Reads every record of one file into the runner. A record that cannot be decoded is
    /// rejected with its problem and reading goes on (so one run reports many); a file that
    /// cannot be read, or is not JSON or YAML at all, throws.
    /// `progress` hears how many bytes of the file have been read and written, now and then.
    static func read(_ path: String, into runner: ImportRunner, progress: (Int) -> Void = { _ in }) throws {
        switch try kind(of: path) {
        case .json:
            let (document, data) = try decode(path: path) { try JSONDecoder().decode(RecordsDocument.self, from: $0) }
            var locator: JSONLocator?
            try add(document, file: path, into: runner) { error, record in
                // JSONDecoder says only "not valid JSON" of a count like 1.5: find the field.
                locator = locator ?? JSONLocator(data)
                return numberProblem(inRecord: record, of: locator!, file: path) ?? recordProblem(error, file: path, record: record)
            }
            progress(fileSize(path))
        case .yaml:
            let text = try YAMLText.read(path)
            let document: RecordsDocument
            do {
                guard let root = try YAMLText.compose(text, file: path) else {
                    throw DataProblem(file: path, path: "", message: "the file holds no YAML document; expected a lapse/1 document (format: lapse/1)")
                }
                document = try YAMLDecoder().decode(RecordsDocument.self, from: root)
            } catch let error as DecodingError {
                throw yamlProblem(error, file: path, text: text)
            } catch let error as YamlError {
                throw YAMLText.problem(error, file: path, text: text)
            }
            try add(document, file: path, into: runner) { error, record in
                (error as? DecodingError).map { yamlProblem($0, file: path, text: text) } ?? recordProblem(error, file: path, record: record)
            }
            progress(fileSize(path))
        case .jsonLines:
            try readLines(path, into: runner, progress: progress)
        }
    }

    /// The size of a file in bytes (0 if it cannot be read; reading it then says why).
    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    private static func decode(path: String, _ body: (Data) throws -> RecordsDocument) throws -> (RecordsDocument, Data) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError.cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        do {
            return (try body(data), data)
        } catch let error as DecodingError {
            throw syntaxProblem(data, file: path, line: nil) ?? numberProblem(data, file: path, line: nil) ?? error.problem(file: path)
        }
    }

    /// A decoding error of a YAML document: Yams' own errors at their line and column, and
    /// never called JSON.
    private static func yamlProblem(_ error: DecodingError, file: String, text: String) -> DataProblem {
        guard case .dataCorrupted(let context) = error, let underlying = context.underlyingError else { return error.problem(file: file) }
        if let yaml = underlying as? YamlError { return YAMLText.problem(yaml, file: file, text: text) }
        return DataProblem(file: file, path: DecodingError.pathText(context.codingPath), message: "not valid YAML: \(context.debugDescription)")
    }

    /// The problems, each in a JSON or YAML document given the line of the field its path names
    /// (JSON Lines records and syntax errors already have theirs). Only when there are problems
    /// to place are the documents read again: JSON as bytes scanned along each path, YAML composed
    /// (within the bounds it was read with).
    static func withLines(_ problems: [DataProblem]) -> [DataProblem] {
        var yamlTrees: [String: Node?] = [:]
        var jsonTexts: [String: JSONLocator?] = [:]
        return problems.map { problem in
            guard problem.line == nil, !problem.path.isEmpty, let file = problem.file,
                  let kind = try? kind(of: file), kind != .jsonLines else { return problem }
            let line: Int?
            if kind == .json {
                if jsonTexts[file] == nil {
                    jsonTexts[file] = .some((try? Data(contentsOf: URL(fileURLWithPath: file))).map(JSONLocator.init))
                }
                line = (jsonTexts[file] ?? nil)?.line(of: problem.path)
            } else {
                if yamlTrees[file] == nil {
                    yamlTrees[file] = .some((try? YAMLText.read(file)).flatMap { try? YAMLText.compose($0, file: file) } ?? nil)
                }
                line = (yamlTrees[file] ?? nil).flatMap { self.line(of: problem.path, in: $0) }
            }
            guard let line else { return problem }
            var placed = problem
            placed.line = line
            return placed
        }
    }

    /// The line of the deepest node a path such as `incidents[3].events[2].at` reaches (a missing
    /// field is placed at the object that lacks it).
    static func line(of path: String, in root: Node) -> Int? {
        var node = root
        var line = root.mark?.line
        for component in path.split(separator: ".") {
            var parts = component.split(separator: "[", omittingEmptySubsequences: false)
            let key = String(parts.removeFirst())
            if !key.isEmpty {
                guard let child = node[key] else { return line }
                node = child
                line = node.mark?.line ?? line
            }
            for part in parts {
                guard let index = Int(part.dropLast()), case .sequence(let items) = node, items.indices.contains(index) else { return line }
                node = items[index]
                line = node.mark?.line ?? line
            }
        }
        return line
    }

    /// A count that is not a whole number in range (`1.5`, `1e30`): the decoder only says "not valid
    /// JSON" without a place, so find the field. `records_affected` is the contract's one integer.
    static func numberProblem(_ data: Data, file: String, line: Int?) -> DataProblem? {
        numberProblems(data, file: file, line: line).first?.problem
    }

    /// Every such count of a document, in order, with its record (`incidents[2]`, or `incident`
    /// in JSON Lines).
    static func numberProblems(_ data: Data, file: String, line: Int?) -> [(record: String, problem: DataProblem)] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        var incidents: [(String, [String: Any])] = []
        if let list = root["incidents"] as? [[String: Any]] {
            incidents = list.enumerated().map { ("incidents[\($0)]", $1) }
        } else if let one = root["incident"] as? [String: Any] {
            incidents = [("incident", one)]
        }
        return incidents.compactMap { path, incident in
            countProblem(incident, record: path, file: file, line: line).map { (path, $0) }
        }
    }

    /// The count problem of one record of a large document: only the record's bytes are parsed.
    static func numberProblem(inRecord record: String, of locator: JSONLocator, file: String) -> DataProblem? {
        guard record.hasPrefix("incidents["), let range = locator.locate(record),
              let incident = try? JSONSerialization.jsonObject(with: Data(locator.bytes[range])) as? [String: Any] else { return nil }
        return countProblem(incident, record: record, file: file, line: nil)
    }

    private static func countProblem(_ incident: [String: Any], record: String, file: String, line: Int?) -> DataProblem? {
        guard let raw = incident["records_affected"], !ExternalNumber.isBoolean(raw), let number = raw as? NSNumber,
              ExternalNumber.whole(raw) == nil else { return nil }
        return DataProblem(file: file, line: line, path: "\(record).records_affected",
                           message: "\(number) is not a whole number in range; expected a count of 0 or more")
    }

    /// Where a JSON text stops being JSON, as a line and column, or nil if it is valid JSON.
    static func syntaxProblem(_ data: Data, file: String, line: Int?) -> DataProblem? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
            let bytes = [UInt8](data)
            func position(_ offset: Int) -> (line: Int, column: Int) {
                let prefix = bytes.prefix(min(offset, bytes.count))
                let lines = prefix.split(separator: 0x0A, omittingEmptySubsequences: false)
                return ((line ?? 1) + lines.count - 1, (lines.last?.count ?? 0) + 1)
            }
            if detail.contains("end of file") || bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                let end = position(bytes.count)
                return DataProblem(file: file, line: end.line, path: "",
                                   message: "not valid JSON: the text ends in the middle of a value (truncated?); expected the rest of the document")
            }
            if let range = detail.range(of: #"character (\d+)"#, options: .regularExpression),
               let offset = Int(detail[range].dropFirst("character ".count)) {
                let at = position(offset)
                return DataProblem(file: file, line: at.line, path: "column \(at.column)",
                                   message: "not valid JSON: \(detail.replacingOccurrences(of: " around character \(offset)", with: ""))")
            }
            return DataProblem(file: file, line: line, path: "", message: "not valid JSON: \(detail)")
        }
    }

    private static func add(_ document: RecordsDocument, file: String, into runner: ImportRunner,
                            problem: (_ error: any Error, _ record: String) -> DataProblem) throws {
        func each<Record>(_ attempts: [Attempt<Record>], _ add: (Record, RecordLocation) throws -> Void) throws {
            for attempt in attempts {
                switch attempt.result {
                case .success(let record): try add(record, RecordLocation(file: file, path: attempt.path))
                case .failure(let error): try runner.reject([problem(error, attempt.path)])
                }
            }
        }
        try runner.session.restoreHistory(document.history)
        try each(document.parties) { try runner.add(party: $0, at: $1) }
        try each(document.incidents) { try runner.add(incident: PreparedIncident($0), at: $1) }
    }

    /// Why a record of a document could not be decoded, at its field when the decoder says which.
    private static func recordProblem(_ error: any Error, file: String, record: String) -> DataProblem {
        if let error = error as? DecodingError { return error.problem(file: file) }
        return DataProblem(file: file, path: record, message: "cannot be read: \(error)")
    }

    /// A `lapse/1` document whose records are decoded one by one: a record that cannot be decoded
    /// is reported, and the others are still read and checked (so one run reports them all).
    struct RecordsDocument: Decodable {
        var parties: [Attempt<Party>]
        var incidents: [Attempt<Incident>]

        /// The change log of a document exported with `--history`.
        var history: [Change] = []
        enum CodingKeys: String, CodingKey { case format, parties, incidents, history }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let format = try c.decode(String.self, forKey: .format)
            guard format == LapseDocument.formatName else {
                throw DecodingError.dataCorruptedError(
                    forKey: .format, in: c,
                    debugDescription: "\"\(format)\" is not a supported format; expected \"\(LapseDocument.formatName)\"")
            }
            parties = try c.decodeIfPresent([Attempt<Party>].self, forKey: .parties) ?? []
            incidents = try c.decodeIfPresent([Attempt<Incident>].self, forKey: .incidents) ?? []
            history = try c.decodeIfPresent([Change].self, forKey: .history) ?? []
        }
    }

    /// One record of a list, decoded or not.
    struct Attempt<Record: Decodable>: Decodable {
        var result: Result<Record, any Error>
        /// Where the record is in the document, as a path (`incidents[2]`).
        var path: String

        init(from decoder: any Decoder) throws {
            path = DecodingError.pathText(decoder.codingPath)
            do {
                result = .success(try Record(from: decoder))
            } catch {
                result = .failure(error)
            }
        }
    }

    /// JSON Lines, streamed: memory stays flat however long the file. A second thread reads,
    /// decodes and checks the lines while this one writes them, in batches through a bounded
    /// queue, so records reach the runner in file order and problems are reported as before.
    private static func readLines(_ path: String, into runner: ImportRunner, progress: (Int) -> Void) throws {
        guard let handle = fopen(path, "r") else {
            throw InputError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        let queue = BatchQueue<LineRecord>(capacity: 4)
        // Handed over: from here on only the reading thread uses the file.
        nonisolated(unsafe) let file = handle
        let reader = Thread {
            decodeLines(file, path: path, into: queue)
            fclose(file)
            queue.finish()
        }
        reader.stackSize = 8 << 20
        reader.start()
        // Whatever happens here, the reader is told to stop (it closes its file).
        defer { queue.cancel() }
        while let batch = queue.take() {
            for record in batch {
                switch record {
                case .party(let party, let check, let line):
                    try runner.add(party: party, at: RecordLocation(file: path, line: line, path: "party"), check: check)
                case .incident(let incident, let line):
                    try runner.add(incident: incident, at: RecordLocation(file: path, line: line, path: "incident"))
                case .problem(let problem):
                    try runner.reject([problem])
                case .failure(let error):
                    throw error
                case .read(let bytes):
                    progress(bytes)
                }
            }
            queue.giveBack(batch)
        }
    }

    /// One line read and checked off the writing thread, or why it could not be.
    private enum LineRecord: Sendable {
        case party(Party, Validator.Check, line: Int)
        case incident(PreparedIncident, line: Int)
        /// A problem with this record alone: reading goes on.
        case problem(DataProblem)
        /// The file cannot be read on.
        case failure(any Error)
        /// The records before this one end at this byte of the file.
        case read(bytes: Int)
    }

    /// The reading thread: decodes every line of `handle` and checks it, in batches.
    private static func decodeLines(_ handle: UnsafeMutablePointer<FILE>, path: String, into queue: BatchQueue<LineRecord>) {
        let decoder = JSONDecoder()
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var lineNumber = 0
        var records = 0
        var batch: [LineRecord] = []
        batch.reserveCapacity(BatchQueue<LineRecord>.batchSize + 1)
        var lastPut = ContinuousClock.now
        while true {
            let length = getline(&buffer, &capacity, handle)
            if length < 0 { break }
            lineNumber += 1
            guard let buffer else { continue }
            let data = Data(bytesNoCopy: buffer, count: length, deallocator: .none)
            if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { continue }
            records += 1
            do {
                // The common well-formed line is read by hand; anything else by JSONDecoder.
                let fast = buffer.withMemoryRebound(to: UInt8.self, capacity: length) {
                    LapseLineDecoder.record(UnsafeBufferPointer(start: $0, count: length))
                }
                switch try fast ?? decoder.decode(LapseRecord.self, from: data) {
                case .party(let party): batch.append(.party(party, Validator.check(party), line: lineNumber))
                case .incident(let incident): batch.append(.incident(PreparedIncident(incident), line: lineNumber))
                }
            } catch let error as DecodingError {
                batch.append(.problem(syntaxProblem(data, file: path, line: lineNumber) ?? numberProblem(data, file: path, line: lineNumber)
                    ?? error.problem(file: path, line: lineNumber)))
            } catch {
                batch.append(.failure(error))
            }
            // A full batch goes; so does a problem (reported at once, not after 127 more lines), and
            // whatever is read after a quarter of a second (a slow pipe still shows progress).
            let isProblem: Bool
            switch batch.last { case .problem, .failure: isProblem = true; default: isProblem = false }
            if batch.count == BatchQueue<LineRecord>.batchSize || isProblem
                || (batch.count % 16 == 0 && lastPut.duration(to: .now) > .milliseconds(250)) {
                batch.append(.read(bytes: Int(ftello(handle))))
                guard queue.put(batch) else { return }
                batch.removeAll(keepingCapacity: true)
                lastPut = .now
            }
        }
        if ferror(handle) != 0 {
            batch.append(.failure(InputError.cannotRead(path: path, reason: String(cString: strerror(errno)))))
        } else if records == 0 {
            batch.append(.problem(DataProblem(file: path, path: "", message: "the file holds no records; expected one {\"party\": ...} or {\"incident\": ...} object per line")))
        }
        batch.append(.read(bytes: Int(ftello(handle))))
        _ = queue.put(batch)
    }
}
