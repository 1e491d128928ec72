import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A table's cells set aside while its widths are learnt, to be printed once every row is
/// known: kept in memory up to a few MiB, past that written to a temporary file (in
/// `TMPDIR`, else /tmp), removed from its folder as soon as it is made so nothing is left
/// behind. Each row is its number of cells, then each cell's width, its length in bytes and
/// its UTF-8 bytes.
final class CellSpool {
    typealias Cell = (text: String, width: Int)

    private var buffer: [UInt8] = []
    private var file: Int32 = -1
    private let directory = FileManager.default.temporaryDirectory.path
    /// How many bytes are kept in memory before they go to the file.
    private let memoryLimit: Int

    init(memoryLimit: Int = 4 << 20) {
        self.memoryLimit = memoryLimit
    }

    deinit {
        if file >= 0 { close(file) }
    }

    /// Sets a row aside.
    func append(_ cells: [Cell]) throws {
        put(cells.count)
        for cell in cells {
            put(cell.width)
            put(cell.text.utf8.count)
            buffer.append(contentsOf: cell.text.utf8)
        }
        if buffer.count >= memoryLimit { try spill() }
    }

    /// Hands the rows back, in the order they were set aside.
    func forEachRow(_ body: ([Cell]) throws -> Void) throws {
        guard file >= 0 else {
            _ = try Self.parse(buffer, body)
            return
        }
        try spill()
        guard lseek(file, 0, SEEK_SET) == 0 else { throw failure("cannot read it back", errno, written: true) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var pending: [UInt8] = []
        while true {
            let n = chunk.withUnsafeMutableBytes { read(file, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read it back", errno, written: true)
            }
            if n == 0 { break }
            pending.append(contentsOf: chunk[0..<n])
            pending.removeFirst(try Self.parse(pending, body))
        }
        guard pending.isEmpty else { throw failure("it was cut short", EIO, written: true) }
    }

    private func put(_ n: Int) {
        withUnsafeBytes(of: UInt32(n).littleEndian) { buffer.append(contentsOf: $0) }
    }

    /// Reads the whole rows at the start of `bytes`; returns how many bytes they took.
    private static func parse(_ bytes: [UInt8], _ body: ([Cell]) throws -> Void) throws -> Int {
        try bytes.withUnsafeBytes { raw in
            func number(_ at: Int) -> Int { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
            var done = 0
            rows: while done + 4 <= raw.count {
                var at = done + 4
                var cells: [Cell] = []
                cells.reserveCapacity(number(done))
                for _ in 0..<number(done) {
                    guard at + 8 <= raw.count else { break rows }
                    let width = number(at), length = number(at + 4)
                    guard at + 8 + length <= raw.count else { break rows }
                    cells.append((String(decoding: UnsafeRawBufferPointer(rebasing: raw[(at + 8)..<(at + 8 + length)]), as: UTF8.self), width))
                    at += 8 + length
                }
                try body(cells)
                done = at
            }
            return done
        }
    }

    /// Writes what is in memory to the file, making it first.
    private func spill() throws {
        if file < 0 {
            var template = Array("\(directory)/lapse-table-XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else { throw failure("cannot make it", errno) }
            unlink(template)
            file = fd
        }
        do {
            try buffer.withUnsafeBytes { try OutputSink.writeAll($0, to: file) }
        } catch let error as OutputSink.Failure {
            throw failure("cannot write it", error.code)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func failure(_ what: String, _ code: Int32, written: Bool = false) -> CommandError {
        let reason = code == ENOSPC ? "no space left on device" : String(cString: strerror(code)).lowercased()
        return .writeFailed(path: directory, reason: """
            a table this long is laid out through a temporary file in \(directory), and \(what) (\(reason)); \
            set TMPDIR to a folder with room, or choose --format csv, which needs none. \
            \(written ? "What was written is incomplete." : "Nothing was written.")
            """)
    }
}
