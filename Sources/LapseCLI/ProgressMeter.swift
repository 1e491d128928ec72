import Foundation

/// A progress bar on standard error, drawn only on a terminal and only once the work has
/// taken more than a second, so quick imports and pipes stay quiet.
final class ProgressMeter {
    private let console: Console
    private let total: Int
    private let start = Date()
    private let delay: TimeInterval
    private var lastDraw = Date.distantPast
    private var drawn = false
    private var status = ""
    private var drawnWidth = 0

    init(console: Console, total: Int, delay: TimeInterval = 1) {
        self.console = console
        self.total = max(total, 1)
        self.delay = delay
    }

    /// Reports `done` units of `total`, and what is being done if it is not plain reading;
    /// redraws at most ten times a second (a new status is always drawn).
    func update(_ done: Int, status: String = "") {
        guard console.errorIsTerminal else { return }
        let now = Date()
        let newStatus = status != self.status
        guard now.timeIntervalSince(start) >= delay, now.timeIntervalSince(lastDraw) >= 0.1 || !drawn || newStatus else { return }
        self.status = status
        lastDraw = now
        drawn = true
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(Int(fraction * 100))%" + (status.isEmpty ? "" : " " + status)
        console.noteInline("\r" + line + String(repeating: " ", count: max(0, drawnWidth - line.count)))
        drawnWidth = line.count
    }

    /// Clears the bar (once).
    func finish() {
        if drawn { console.noteInline("\r" + String(repeating: " ", count: drawnWidth) + "\r") }
        drawn = false
    }
}
