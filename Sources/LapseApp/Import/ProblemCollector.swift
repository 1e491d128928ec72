import Foundation
import LapseCore

/// Gathers the problems of single records so that one import reports them together; after
/// `limit` problems it stops reading (nothing is written either way).
public final class ProblemCollector {
    public private(set) var problems: [DataProblem] = []
    let limit: Int

    public init(limit: Int = 100) {
        self.limit = limit
    }

    public var isEmpty: Bool { problems.isEmpty }

    /// Runs `body`; a data problem is kept and reading goes on, anything else is thrown.
    public func collect(_ body: () throws -> Void) throws {
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
