import ArgumentParser
import Foundation
import GRDB
import LapseCore
import LapseStore

/// The exit codes scripts can rely on (documented in Docs/commands.md).
public enum LapseExitCode: Int32, CaseIterable, Sendable {
    /// Success.
    case success = 0
    /// A finding or failure with no more specific code.
    case failure = 1
    /// The command line was wrong (unknown option, bad value): EX_USAGE.
    case usage = 64
    /// The data was wrong: a bad file, an unknown reference, an impossible date, a missing incident: EX_DATAERR.
    case dataError = 65
    /// An input file could not be read: EX_NOINPUT.
    case noInput = 66
    /// The database could not be opened or written: EX_IOERR.
    case ioError = 74
}

/// Errors of the command layer that are not about the data.
enum CommandError: Error, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)

    var description: String {
        switch self {
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}

/// Writes a whole output file atomically (all of it or none), saying plainly why it could not.
func writeFile(_ text: String, to path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        throw CommandError.cannotWrite(path: path, reason: "it is a folder; expected a file name")
    }
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
        throw CommandError.cannotWrite(path: path, reason: "the folder \(folder) does not exist")
    }
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { String(describing: $0) } ?? (error as NSError).localizedDescription
        throw CommandError.cannotWrite(path: path, reason: FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) ? reason : "the folder is not writable")
    }
}

extension LapseExitCode {
    /// The exit code for an error a command threw.
    static func of(_ error: any Error) -> LapseExitCode {
        switch error {
        case is DataProblems, is DataProblem, is StoreLookupError, is VocabularyError, is EventTimeError, is RuleBookError: .dataError
        case CommandError.cannotRead: .noInput
        case CommandError.cannotWrite, is StoreError, is DatabaseError: .ioError
        default: .failure
        }
    }
}
