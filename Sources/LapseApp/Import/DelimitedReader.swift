import Foundation
import LapseCore
#if canImport(Glibc)
import Glibc
#endif

/// Streams the records of a CSV or TSV file (RFC 4180: quoted fields may hold the delimiter,
/// doubled quotes and line breaks), reading a fixed-size buffer at a time so memory stays flat
/// however long the file is.
final class DelimitedReader {
    /// One record: its fields and the line it starts on (1-based, counting physical lines).
    struct Record {
        var fields: [String]
        var line: Int
    }

    let path: String
    private let delimiter: UInt8
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var count = 0
    private var index = 0
    private var line = 1
    private var atStart = true
    /// Bytes consumed so far, for progress.
    private(set) var bytesRead = 0

    init(path: String, delimiter: UInt8) throws {
        guard let handle = fopen(path, "r") else {
            throw InputError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        self.path = path
        self.delimiter = delimiter
        self.handle = handle
    }

    deinit { fclose(handle) }

    private func nextByte() throws -> UInt8? {
        if index == count {
            count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            index = 0
            if count == 0 {
                if ferror(handle) != 0 { throw InputError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
                return nil
            }
        }
        let byte = buffer[index]
        index += 1
        bytesRead += 1
        return byte
    }

    private func peekByte() throws -> UInt8? {
        guard let byte = try nextByte() else { return nil }
        index -= 1
        bytesRead -= 1
        return byte
    }

    /// The next record, or nil at the end of the file. Blank lines are skipped.
    func next() throws -> Record? {
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var sawAnything = false
        var startLine = line
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        if atStart {
            atStart = false
            // A UTF-8 byte-order mark, as spreadsheets write, is not part of the first header.
            if try peekByte() == 0xEF {
                var bom: [UInt8] = []
                for _ in 0..<3 { if let b = try nextByte() { bom.append(b) } }
                if bom != [0xEF, 0xBB, 0xBF] { field = bom; sawAnything = true }
            }
        }
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while true {
            guard let byte = try nextByte() else {
                if quoted {
                    throw DataProblem(file: path, line: startLine, path: "",
                                      message: "a quoted field that begins on this line is never closed; expected a closing \" before the end of the file")
                }
                if !sawAnything { return nil }
                endField()
                return Record(fields: fields, line: startLine)
            }
            if quoted {
                if byte == quote {
                    if try peekByte() == quote {
                        _ = try nextByte()
                        field.append(quote)
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == lf { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote where field.isEmpty:
                quoted = true
                sawAnything = true
            case delimiter:
                endField()
                sawAnything = true
            case lf, cr:
                if byte == cr, try peekByte() == lf { _ = try nextByte() }
                line += 1
                if !sawAnything && field.isEmpty && fields.isEmpty {
                    startLine = line
                    continue
                }
                endField()
                return Record(fields: fields, line: startLine)
            default:
                // A stray quote inside an unquoted field is kept as text, as most readers do.
                field.append(byte)
                sawAnything = true
            }
        }
    }
}
