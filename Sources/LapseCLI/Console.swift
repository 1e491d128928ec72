import Foundation
import LapseReports
#if canImport(Glibc)
import Glibc
#endif

/// Where a command writes, and what it knows of its surroundings (terminal, environment).
/// The real program uses the process's streams; tests capture both.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private var capturedOut = ""
    private var capturedErr = ""
    /// The error number of the first write to standard output that failed (a full disk).
    private var failedOutput: Int32?
    /// True for a console that keeps what is written (tests).
    let capturing: Bool
    /// The environment the command reads (`LAPSE_DB`, `XDG_DATA_HOME`, `NO_COLOR`...).
    public let environment: [String: String]
    /// True when standard output is a terminal.
    public let outputIsTerminal: Bool
    /// True when standard error is a terminal.
    public let errorIsTerminal: Bool

    /// The console of the running command.
    @TaskLocal public static var current = Console.standard

    /// The process's own standard output and error.
    public static var standard: Console {
        Console(capturing: false, environment: ProcessInfo.processInfo.environment,
                outputIsTerminal: isatty(STDOUT_FILENO) == 1, errorIsTerminal: isatty(STDERR_FILENO) == 1)
    }

    /// A console that keeps what is written, for tests.
    public static func capture(environment: [String: String] = [:], terminal: Bool = false) -> Console {
        Console(capturing: true, environment: environment, outputIsTerminal: terminal, errorIsTerminal: terminal)
    }

    init(capturing: Bool, environment: [String: String], outputIsTerminal: Bool, errorIsTerminal: Bool) {
        self.capturing = capturing
        self.environment = environment
        self.outputIsTerminal = outputIsTerminal
        self.errorIsTerminal = errorIsTerminal
    }

    /// What was written to standard output (capturing consoles only).
    public var output: String { lock.withLock { capturedOut } }
    /// What was written to standard error (capturing consoles only).
    public var errorOutput: String { lock.withLock { capturedErr } }

    /// Writes to standard output. After a failed write (a full disk behind `>`) the rest is
    /// dropped, and the command ends with `outputFailure` as its error.
    public func write(_ text: String) {
        if capturing {
            lock.withLock { capturedOut += text }
        } else {
            lock.withLock {
                guard failedOutput == nil else { return }
                do {
                    var text = text
                    try text.withUTF8 { try OutputSink.writeAll(UnsafeRawBufferPointer($0), to: STDOUT_FILENO) }
                } catch let error as OutputSink.Failure {
                    failedOutput = error.code
                } catch {}
            }
        }
    }

    /// Writes a document (CSV, JSON, Markdown, HTML, iCalendar) to standard output. On a terminal
    /// its control characters and bidirectional controls are shown as `\u{…}` escapes, never
    /// obeyed; to a file or a pipe it is written as it is.
    public func writeDocument(_ text: String) {
        write(outputIsTerminal ? Escape.terminalDocument(text) : text)
    }

    /// The width text on standard output should fit: `COLUMNS`, else the terminal's width;
    /// nil when standard output is not a terminal (a file or a pipe gets every line whole).
    public var columns: Int? {
        guard outputIsTerminal else { return nil }
        if let text = environment["COLUMNS"], let n = Int(text), n > 0 { return n }
        guard !capturing else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Why standard output could not be written, if it could not.
    var outputFailure: CommandError? {
        lock.withLock { failedOutput.map(OutputSink.standardOutputFailure) }
    }

    /// Writes to standard error without a newline (progress bars redraw one line with `\r`).
    public func noteInline(_ text: String) {
        if capturing {
            lock.withLock { capturedErr += text }
        } else {
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// Writes a line to standard error. Messages quote untrusted input (a bad value from a file),
    /// so control characters are shown as escapes, never sent to the terminal.
    public func note(_ message: String) {
        let text = message.split(separator: "\n", omittingEmptySubsequences: false).map { Escape.terminal(String($0)) }.joined(separator: "\n")
        if capturing {
            lock.withLock { capturedErr += text + "\n" }
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }
}

/// When to colour the output.
public enum ColorChoice: String, CaseIterable, Sendable {
    case auto, always, never
}

/// Terminal styling: SGR codes when colour is on, plain text otherwise; and the width tables
/// and wrapped text fit (nil: no limit).
struct Style: Sendable {
    let enabled: Bool
    var width: Int? = nil

    init(choice: ColorChoice, console: Console, fit: Bool = true) {
        width = fit ? console.columns : nil
        switch choice {
        case .always: enabled = true
        case .never: enabled = false
        case .auto:
            enabled = console.outputIsTerminal && (console.environment["NO_COLOR"] ?? "").isEmpty
                && console.environment["TERM"] != "dumb"
        }
    }

    func bold(_ s: String) -> String { wrap(s, "1") }
    func dim(_ s: String) -> String { wrap(s, "2") }
    func italic(_ s: String) -> String { wrap(s, "3") }
    func cyan(_ s: String) -> String { wrap(s, "36") }
    func yellow(_ s: String) -> String { wrap(s, "33") }
    func red(_ s: String) -> String { wrap(s, "31") }
    func green(_ s: String) -> String { wrap(s, "32") }

    private func wrap(_ s: String, _ code: String) -> String {
        enabled && !s.isEmpty ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
