import Foundation
import GRDB

/// How a write waits for another program's write transaction to end: SQLite lets one writer at a
/// time, and a reader never waits (WAL). After `noticeAfter` seconds the writer says so once
/// through `onWait`; after `giveUpAfter` it fails with `StoreError.locked`, naming the holder when
/// the system tells it.
public struct LockWait: Sendable {
    /// Seconds of waiting before `onWait` is told.
    public var noticeAfter: TimeInterval
    /// Seconds of waiting before the write gives up.
    public var giveUpAfter: TimeInterval
    /// Told once per wait, with a line for the user.
    public var onWait: (@Sendable (String) -> Void)?

    /// Lapse's default: a note after 3 seconds, give up after 5 minutes (a large import takes
    /// seconds; ten at once, a minute or two).
    public init(noticeAfter: TimeInterval = 3, giveUpAfter: TimeInterval = 300, onWait: (@Sendable (String) -> Void)? = nil) {
        self.noticeAfter = noticeAfter
        self.giveUpAfter = giveUpAfter
        self.onWait = onWait
    }

    func busyMode(path: String) -> Database.BusyMode {
        let waiter = BusyWaiter(policy: self, path: path)
        return .callback { tries in waiter.shouldRetry(tries) }
    }
}

/// The state of one connection's waits: SQLite calls the handler with the number of tries so far,
/// zero at the start of each wait.
private final class BusyWaiter: @unchecked Sendable {
    private let policy: LockWait
    private let path: String
    private let lock = NSLock()
    private var started = ContinuousClock.now
    private var told = false

    init(policy: LockWait, path: String) {
        self.policy = policy
        self.path = path
    }

    func shouldRetry(_ tries: Int) -> Bool {
        let now = ContinuousClock.now
        let (waited, tell): (Duration, Bool) = lock.withLock {
            if tries == 0 {
                started = now
                told = false
            }
            let waited = now - started
            let tell = !told && waited >= .seconds(policy.noticeAfter)
            if tell { told = true }
            return (waited, tell)
        }
        if waited >= .seconds(policy.giveUpAfter) { return false }
        if tell, let onWait = policy.onWait {
            let who = LockHolder.find(databasePath: path).map { "\($0)" } ?? "another program"
            onWait("waiting for \(who) to finish writing to \(path)… (giving up after \(StoreError.duration(policy.giveUpAfter)); Ctrl-C to stop)")
        }
        // Short sleeps at first (most writes are short), then a tenth of a second.
        let delays: [UInt32] = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50]
        usleep((tries < delays.count ? delays[tries] : 100) * 1000)
        return true
    }
}
