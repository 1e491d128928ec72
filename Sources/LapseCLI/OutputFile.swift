import Foundation
import LapseApp
import LapseReports
#if canImport(Glibc)
import Glibc
#endif

/// A file a command writes (`--output`, `--rejects`). Checked before the command does any work,
/// so a refused path costs nothing; then written to a temporary file in the same folder and
/// renamed into place, so a failed write leaves the old file whole.
///
/// Refused (exit 64), whatever `--force` says: the database, its `-wal`, `-shm` and `-journal`
/// files, and the command's own input files, compared by real path and by device and inode.
/// Refused without `--force`: an existing file that is not empty, and a symbolic link (with
/// `--force` the link itself is replaced, never its target). A terminal, pipe or device
/// (`/dev/stdout`, `/dev/null`) is written directly: there is no old file to keep.
struct OutputFile {
    /// How the path is written.
    enum Mode: Equatable {
        /// A temporary file renamed over the path (a new file, or one replaced with --force).
        case replace(existingMode: mode_t?)
        /// A symbolic link replaced by the new file with --force; its target is left as it is.
        case replaceLink(target: String)
        /// Written in place: a character device or a FIFO.
        case direct
    }

    let path: String
    let option: String
    let mode: Mode

    /// Checks `path` as the value of `option` against the files the command must not touch.
    init(path: String, option: String, force: Bool, database: String?, inputs: [String] = []) throws {
        self.path = path
        self.option = option
        func refuse(_ reason: String) -> CommandError { .refusedOutput(option: option, path: path, reason: reason) }

        guard !path.isEmpty else { throw refuse("expected a file name") }
        let protected = (database.map { db in
            [(db, "the database this command uses"), (db + "-wal", "the database's write-ahead log"),
             (db + "-shm", "the database's shared-memory file"), (db + "-journal", "the database's rollback journal")]
        } ?? []) + inputs.map { ($0, "an input file of this command") }
        for (file, what) in protected where FileIdentity.same(path, file) {
            let named = file == path ? "" : " (\(file))"
            throw refuse("it is \(what)\(named), which Lapse never overwrites; choose another file name")
        }

        var link = stat()
        guard lstat(path, &link) == 0 else {
            let folder = Self.folder(of: path)
            var folderInfo = stat()
            if stat(folder, &folderInfo) != 0 {
                throw CommandError.cannotWrite(path: path, reason: "the folder \(folder) does not exist; create it first")
            }
            if folderInfo.st_mode & S_IFMT != S_IFDIR {
                throw CommandError.cannotWrite(path: path, reason: "\(folder) is not a folder")
            }
            mode = .replace(existingMode: nil)
            return
        }
        var target = stat()
        let targetExists = stat(path, &target) == 0
        let linkType = link.st_mode & S_IFMT
        let targetType = targetExists ? target.st_mode & S_IFMT : 0

        if targetType == S_IFCHR || targetType == S_IFIFO {
            // /dev/stdout, /dev/null, a named pipe: nothing to clobber, nothing to rename.
            mode = .direct
        } else if linkType == S_IFLNK {
            let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            let folder = FileIdentity.realPath(Self.folder(of: path))
            if ["/dev", "/proc"].contains(where: { folder == $0 || folder.hasPrefix($0 + "/") }) {
                // /dev/stdout redirected to a file: replacing the link would change the system's /dev.
                throw refuse("it is a link to an open file (\(destination)); to write to standard output, leave out \(option)")
            }
            guard force else {
                throw refuse("it is a symbolic link (to \(destination)), and Lapse does not write through links; name the file itself, or add --force to replace the link with a new file (\(destination) is left as it is)")
            }
            mode = .replaceLink(target: destination)
        } else if linkType == S_IFDIR {
            throw CommandError.cannotWrite(path: path, reason: "it is a folder; expected a file name")
        } else if linkType != S_IFREG {
            throw refuse("it is not a regular file; choose another file name")
        } else if link.st_size > 0 && !force {
            throw refuse("the file exists; add --force to replace it, or choose another file name")
        } else {
            mode = .replace(existingMode: link.st_mode & 0o777)
        }
    }

    /// The folder a path is in ("." for a bare file name).
    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// Writes the whole text.
    func write(_ text: String, console: Console) throws {
        try write(console: console) { try $0.write(text) }
    }

    /// Writes what `produce` hands the sink, through a temporary file renamed into place.
    func write(console: Console, _ produce: (OutputSink) throws -> Void) throws {
        if mode == .direct {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw failure(errno, stage: .open) }
            defer { close(fd) }
            do {
                let sink = OutputSink(descriptor: fd)
                try produce(sink)
                try sink.flush()
            } catch let error as OutputSink.Failure {
                throw failure(error.code, stage: .write)
            }
            return
        }
        let (fd, temporary) = try createTemporary()
        var open = true
        do {
            if case .replace(let existingMode?) = mode { fchmod(fd, existingMode) }
            let sink = OutputSink(descriptor: fd)
            try produce(sink)
            try sink.flush()
            // On disk before the rename, so a crash leaves the old file or the whole new one.
            if fsync(fd) != 0 { throw OutputSink.Failure(code: errno) }
            open = false
            if close(fd) != 0 { throw OutputSink.Failure(code: errno) }
            if rename(temporary, path) != 0 { throw OutputSink.Failure(code: errno) }
        } catch {
            if open { close(fd) }
            unlink(temporary)
            if let error = error as? OutputSink.Failure { throw failure(error.code, stage: .write) }
            throw error
        }
        if case .replaceLink(let target) = mode {
            console.note("lapse: replaced the symbolic link \(path) with a new file; \(target), where it pointed, is unchanged")
        }
    }

    /// A new hidden file beside the output, created exclusively (never an existing file).
    private func createTemporary() throws -> (Int32, String) {
        let folder = Self.folder(of: path)
        let name = (path as NSString).lastPathComponent
        for _ in 0..<100 {
            let candidate = folder + "/." + name + "." + String(UInt32.random(in: 0...UInt32.max), radix: 36) + ".tmp"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 { return (fd, candidate) }
            if errno != EEXIST { throw failure(errno, stage: .open) }
        }
        throw failure(EEXIST, stage: .open)
    }

    enum Stage { case open, write }

    /// The plain error for a failed system call: what happened, to which file, and what is left.
    func failure(_ code: Int32, stage: Stage) -> CommandError {
        let folder = Self.folder(of: path)
        let what: String
        switch code {
        case ENOSPC: what = "no space left on device"
        case EDQUOT: what = "disk quota exceeded"
        case EROFS: what = stage == .open ? "the folder \(folder) is on a read-only file system" : "read-only file system"
        case EACCES, EPERM: what = stage == .open ? "the folder \(folder) is not writable (permission denied)" : "permission denied"
        case ENOENT where stage == .open: what = "the folder \(folder) does not exist"
        default: what = String(cString: strerror(code)).lowercased()
        }
        if stage == .open { return .cannotWrite(path: path, reason: what) }
        let left = switch mode {
        case .direct: "what was written is incomplete"
        case .replace(existingMode: nil): "nothing was written"
        case .replace, .replaceLink: "nothing was replaced"
        }
        return .writeFailed(path: path, reason: "\(what) while writing \(path); \(left)")
    }
}

/// Text written to a file descriptor in chunks of about 64 KiB, errors thrown rather than lost.
/// A capturing console (tests) takes the text instead.
final class OutputSink: TextOutput {
    struct Failure: Error { let code: Int32 }

    private let descriptor: Int32
    private let console: Console?
    /// Standard output on a terminal: controls in the data are shown as escapes, never obeyed.
    private let terminal: Bool
    private var buffer: [UInt8] = []

    init(descriptor: Int32) {
        self.descriptor = descriptor
        console = nil
        terminal = false
        buffer.reserveCapacity(1 << 16)
    }

    /// Standard output: the process's own (errors thrown), or a test's captured text.
    init(standardOutputOf console: Console) {
        descriptor = STDOUT_FILENO
        self.console = console.capturing ? console : nil
        terminal = console.outputIsTerminal
    }

    func write(_ text: String) throws {
        let text = terminal ? Escape.terminalDocument(text) : text
        if let console { return console.write(text) }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Writes bytes as they are (an image): only to a file, never to a terminal.
    func write(bytes: [UInt8]) throws {
        precondition(console == nil && !terminal, "binary output goes to a file")
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try Self.writeAll($0, to: descriptor) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes every byte, through short writes and interruptions.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #else
            let n = Darwin.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(code: errno)
            }
            offset += n
        }
    }
}

extension OutputSink {
    /// Writes to standard output, saying plainly when it cannot (a full disk behind `>`).
    static func toStandardOutput(of console: Console, _ produce: (OutputSink) throws -> Void) throws {
        let sink = OutputSink(standardOutputOf: console)
        do {
            try produce(sink)
            try sink.flush()
        } catch let error as Failure {
            throw standardOutputFailure(error.code)
        }
    }

    /// The plain error for a failed write to standard output.
    static func standardOutputFailure(_ code: Int32) -> CommandError {
        let what = code == ENOSPC ? "no space left on device" : String(cString: strerror(code)).lowercased()
        return .writeFailed(path: "standard output", reason: "\(what) while writing standard output; what was written is incomplete")
    }
}

/// Whether two paths name the same file: by real path (links and `..` resolved), and by
/// device and inode when both exist (a hard link, another mount of the same folder).
enum FileIdentity {
    static func same(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0, stat(b, &sb) == 0, sa.st_dev == sb.st_dev, sa.st_ino == sb.st_ino { return true }
        return realPath(a) == realPath(b)
    }

    /// The absolute path with every link resolved, as far as the path exists; the rest as written.
    static func realPath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        if let resolved = realpath(absolute, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let parent = (absolute as NSString).deletingLastPathComponent
        let name = (absolute as NSString).lastPathComponent
        guard parent != absolute, !parent.isEmpty else { return absolute }
        return (realPath(parent) as NSString).appendingPathComponent(name)
    }
}
