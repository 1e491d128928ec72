import ArgumentParser
import Foundation
import LapseApp
import LapseCore

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
    /// A program the command needs is not installed (a PNG rasteriser): EX_UNAVAILABLE.
    case unavailable = 69
    /// The database could not be opened or written: EX_IOERR.
    case ioError = 74
}

/// Errors of the command layer that are not about the data.
enum CommandError: Error, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    /// An output file failed while being written; `reason` says what happened and what is left.
    case writeFailed(path: String, reason: String)
    /// An output option names a file Lapse will not write (the database, an input, an existing file).
    case refusedOutput(option: String, path: String, reason: String)
    /// A program the command needs is not installed; `install` says how to get one.
    case missingTool(what: String, install: String)

    var description: String {
        switch self {
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .writeFailed(_, let reason): reason
        case .refusedOutput(let option, let path, let reason): "\(option) \(path): \(reason)"
        case .missingTool(let what, let install): "\(what); \(install). Nothing was written."
        }
    }
}

extension LapseExitCode {
    /// The exit code for an error a command threw.
    static func of(_ error: any Error) -> LapseExitCode {
        ofLapseError(error) ?? .failure
    }

    /// The exit code for one of Lapse's own errors, reported as "lapse: error: ..."; nil for any
    /// other error (the argument parser's). The one list of which error exits how.
    static func ofLapseError(_ error: any Error) -> LapseExitCode? {
        switch error {
        case is DataProblems, is DataProblem, is StoreLookupError, is NothingToChange, is RevertConflict, is VocabularyError, is EventTimeError, is RuleBookError, is TokenNotFound, is StoreCopy.Refused: .dataError
        case StoreFailure.constraint: .dataError
        case is StoreFailure: .ioError
        case CommandError.cannotRead, InputError.cannotRead: .noInput
        case CommandError.refusedOutput: .usage
        case CommandError.missingTool: .unavailable
        case is CommandError, is StoreUnavailable: .ioError
        default: nil
        }
    }
}
