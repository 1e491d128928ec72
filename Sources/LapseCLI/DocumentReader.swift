import Foundation
import LapseCore
import LapseStore
import Yams
#if canImport(Glibc)
import Glibc
#endif

/// Reads `lapse/1` files (JSON, JSON Lines, YAML) into an import session, record by record,
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
                throw CommandError.cannotRead(path: path, reason: "no such file or folder")
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path)
                    .filter { extensions[($0 as NSString).pathExtension.lowercased()] != nil }
                    .sorted()
                if names.isEmpty {
                    throw CommandError.cannotRead(path: path, reason: "the folder holds no .json, .jsonl, .yaml or .yml files")
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
            throw CommandError.cannotRead(path: path, reason: "unknown file type; expected a lapse/1 file ending in .json, .jsonl, .yaml or .yml")
        }
        return kind
    }

    /// Reads every record of one file into the session. Problems with single records are
    /// gathered in `problems` (so one run reports many), other failures throw.
    static func read(_ path: String, into session: ImportSession, problems: ProblemCollector = ProblemCollector()) throws {
        switch try kind(of: path) {
        case .json:
            let document = try decode(path: path, isJSON: true) { try JSONDecoder().decode(LapseDocument.self, from: $0) }
            try add(document, file: path, into: session, problems: problems)
        case .yaml:
            let document = try decode(path: path, isJSON: false) { data in
                try YAMLDecoder().decode(LapseDocument.self, from: String(decoding: data, as: UTF8.self))
            }
            try add(document, file: path, into: session, problems: problems)
        case .jsonLines:
            try readLines(path, into: session, problems: problems)
        }
    }

    private static func decode(path: String, isJSON: Bool, _ body: (Data) throws -> LapseDocument) throws -> LapseDocument {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandError.cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        do {
            return try body(data)
        } catch let error as DecodingError {
            throw (isJSON ? syntaxProblem(data, file: path, line: nil) ?? numberProblem(data, file: path, line: nil) : nil)
                ?? error.problem(file: path)
        } catch let error as YamlError {
            throw DataProblem(file: path, path: "", message: "not valid YAML: \(error)")
        }
    }

    /// A count that is not a whole number in range (`1.5`, `1e30`): the decoder only says "not valid
    /// JSON" without a place, so find the field. `records_affected` is the contract's one integer.
    static func numberProblem(_ data: Data, file: String, line: Int?) -> DataProblem? {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        var incidents: [(String, [String: Any])] = []
        if let list = root["incidents"] as? [[String: Any]] {
            incidents = list.enumerated().map { ("incidents[\($0)]", $1) }
        } else if let one = root["incident"] as? [String: Any] {
            incidents = [("incident", one)]
        }
        for (path, incident) in incidents {
            guard let number = incident["records_affected"] as? NSNumber else { continue }
            let value = number.doubleValue
            if value != value.rounded() || abs(value) >= 9.2e18 {
                return DataProblem(file: file, line: line, path: "\(path).records_affected",
                                   message: "\(number) is not a whole number in range; expected a count of 0 or more")
            }
        }
        return nil
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

    private static func add(_ document: LapseDocument, file: String, into session: ImportSession, problems: ProblemCollector) throws {
        for (i, party) in document.parties.enumerated() {
            try problems.collect { try session.add(party, at: RecordLocation(file: file, path: "parties[\(i)]")) }
        }
        for (i, incident) in document.incidents.enumerated() {
            try problems.collect { try session.add(incident, at: RecordLocation(file: file, path: "incidents[\(i)]")) }
        }
    }

    /// JSON Lines, streamed: memory stays flat however long the file.
    private static func readLines(_ path: String, into session: ImportSession, problems: ProblemCollector) throws {
        guard let handle = fopen(path, "r") else {
            throw CommandError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(handle) }
        let decoder = JSONDecoder()
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var lineNumber = 0
        var records = 0
        while true {
            let length = getline(&buffer, &capacity, handle)
            if length < 0 { break }
            lineNumber += 1
            guard let buffer else { continue }
            let data = Data(bytesNoCopy: buffer, count: length, deallocator: .none)
            if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { continue }
            records += 1
            let line = lineNumber
            try problems.collect {
                let record: LapseRecord
                do {
                    record = try decoder.decode(LapseRecord.self, from: data)
                } catch let error as DecodingError {
                    throw syntaxProblem(data, file: path, line: line) ?? numberProblem(data, file: path, line: line)
                        ?? error.problem(file: path, line: line)
                }
                switch record {
                case .party(let party): try session.add(party, at: RecordLocation(file: path, line: line, path: "party"))
                case .incident(let incident): try session.add(incident, at: RecordLocation(file: path, line: line, path: "incident"))
                }
            }
        }
        if ferror(handle) != 0 {
            throw CommandError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        if records == 0 {
            throw DataProblem(file: path, path: "", message: "the file holds no records; expected one {\"party\": ...} or {\"incident\": ...} object per line")
        }
    }
}

/// Gathers the problems of single records so that one import reports them together; after
/// `limit` problems it stops reading (nothing is written either way).
final class ProblemCollector {
    private(set) var problems: [DataProblem] = []
    let limit: Int

    init(limit: Int = 100) {
        self.limit = limit
    }

    var isEmpty: Bool { problems.isEmpty }

    /// Runs `body`; a data problem is kept and reading goes on, anything else is thrown.
    func collect(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DataProblems {
            problems += error.problems
        } catch let error as DataProblem {
            problems.append(error)
        }
        if problems.count >= limit { throw DataProblems(problems: problems) }
    }
}
