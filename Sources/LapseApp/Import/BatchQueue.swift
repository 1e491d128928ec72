import Foundation

/// A bounded queue of batches from one producing thread to one consuming thread. The producer
/// waits while it is full (memory stays flat); `cancel` (the consumer gave up) makes `put` return
/// false.
final class BatchQueue<Element: Sendable>: @unchecked Sendable {
    static var batchSize: Int { 128 }
    private let condition = NSCondition()
    private var batches: [[Element]] = []
    private var spent: [[Element]] = []
    private let capacity: Int
    private var finished = false
    private var cancelled = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Queues a batch; false when the consumer has cancelled (stop producing). The batches the
    /// consumer gave back are released here, so the producer's thread, not the consumer's, frees
    /// the records (the consumer is the busier of the two).
    func put(_ batch: [Element]) -> Bool {
        condition.lock()
        while batches.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else {
            condition.unlock()
            return false
        }
        batches.append(batch)
        let released = spent
        spent = []
        condition.broadcast()
        condition.unlock()
        withExtendedLifetime(released) {}
        return true
    }

    /// A batch the consumer is done with, for the producer to release.
    func giveBack(_ batch: [Element]) {
        condition.lock()
        spent.append(batch)
        condition.unlock()
    }

    /// The producer is done: `take` returns nil once the queue is empty.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in order, or nil when the producer has finished and all were taken.
    func take() -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Tells the producer to stop: its next `put` returns false. It is not waited for (it may be
    /// blocked reading a pipe); it closes its own input.
    func cancel() {
        condition.lock()
        cancelled = true
        batches.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
