import Foundation

/// All data problems found in one write, reported together; nothing was written.
public struct DataProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [DataProblem]

    public init(problems: [DataProblem]) {
        self.problems = problems
    }

    public var description: String {
        let shown = problems.prefix(20).map(\.description)
        let more = problems.count > 20 ? ["... and \(problems.count - 20) more problems"] : []
        return (shown + more).joined(separator: "\n")
    }
}

/// A lookup of something that is not in the database.
public enum StoreLookupError: Error, Sendable, CustomStringConvertible {
    case noIncident(String)
    case noParty(String)
    case noEvent(String)
    case noChange(Int)
    /// An event id (not a derived one) that several incidents use: the caller must name the incident.
    case ambiguousEvent(String, incidents: [String])

    public var description: String {
        switch self {
        case .noEvent(let id): "no event with id \"\(id)\"; `lapse show INCIDENT` lists each event's id"
        case .noChange(let id): "no change with id \(id); `lapse history` lists them"
        case .ambiguousEvent(let id, let incidents):
            "the event id \"\(id)\" is used in several incidents (\(incidents.joined(separator: ", "))); expected INCIDENT/\(id)"
        case .noIncident(let id): "no incident with id \"\(id)\"; `lapse incidents` lists them"
        case .noParty(let id): "no party with id \"\(id)\"; `lapse parties` lists them"
        }
    }
}

/// A failure of the store itself, in the store's words: every backend maps its driver's errors
/// to this type, so no front end sees a database library's error.
public enum StoreFailure: Error, Sendable, CustomStringConvertible {
    /// The data breaks a rule of the database (a constraint); nothing was written.
    case constraint(String)
    /// The database could not do what was asked (I/O, locking, corruption...).
    case database(String)

    public var description: String {
        switch self {
        case .constraint(let message): "the data breaks a rule of the database: \(message)"
        case .database(let message): "database: \(message)"
        }
    }
}

/// A backend's failure to open or lock its database (a missing folder, a file of another
/// program, a newer schema, a lock held too long), in words that say how to fix it: front ends
/// report it as it is.
public protocol StoreUnavailable: Error, CustomStringConvertible {}
