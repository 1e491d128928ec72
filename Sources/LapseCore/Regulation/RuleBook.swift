import Foundation

/// One rule file: a family of regimes (`eu`, `us-federal`, ...).
public struct RuleFamily: Codable, Sendable, Hashable {
    public static let formatName = "lapse-rules/1"
    public var format: String
    public var family: String
    public var title: String
    public var rules: [NotificationRule]
}

/// The notification rules Lapse knows, checked for consistency: unique ids, stages that exist.
public struct RuleBook: Sendable {
    /// Every rule, in file (family) order and then as written.
    public let rules: [NotificationRule]
    /// The family each rule came from, by rule id.
    public let families: [String: String]
    private let index: [String: Int]

    /// The rules bundled with Lapse (`Sources/LapseCore/Rules/*.json`).
    public static let bundled: RuleBook = {
        do {
            return try RuleBook(directory: bundledDirectory)
        } catch {
            fatalError("the bundled rules are broken: \(error)")
        }
    }()

    /// Where the bundled rule files are.
    public static var bundledDirectory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Rules")
    }

    /// Loads every `.json` rule file of a directory, in name order.
    public init(directory: URL) throws {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var families: [RuleFamily] = []
        for file in files {
            do {
                families.append(try Self.decode(try Data(contentsOf: file)))
            } catch let error as RuleBookError {
                throw RuleBookError.badFile(file.lastPathComponent, error.description)
            } catch {
                throw RuleBookError.badFile(file.lastPathComponent, "\(error)")
            }
        }
        try self.init(families: families)
    }

    /// A book of families already decoded.
    public init(families: [RuleFamily]) throws {
        var rules: [NotificationRule] = [], owner: [String: String] = [:], index: [String: Int] = [:]
        for family in families {
            for rule in family.rules {
                guard index[rule.id] == nil else { throw RuleBookError.duplicate(rule.id, owner[rule.id] ?? "", family.family) }
                index[rule.id] = rules.count
                owner[rule.id] = family.family
                rules.append(rule)
            }
        }
        for rule in rules {
            var stages = [rule.follows].compactMap { $0 }
            for start in [rule.start] + rule.alsoDue.map(\.start) {
                if case .submissionOf(let previous) = start { stages.append(previous) }
            }
            if let missing = stages.first(where: { index[$0] == nil }) { throw RuleBookError.unknownStage(rule.id, missing) }
            if let main = rule.duration, rule.alsoDue.contains(where: { $0.duration.countsDays != main.countsDays }) {
                throw RuleBookError.mixedClocks(rule.id)
            }
            if rule.duration == nil && !rule.alsoDue.isEmpty { throw RuleBookError.mixedClocks(rule.id) }
        }
        self.rules = rules
        self.families = owner
        self.index = index
    }

    /// Decodes one rule file, naming the JSON path of what was wrong.
    public static func decode(_ data: Data) throws -> RuleFamily {
        do {
            let family = try JSONDecoder().decode(RuleFamily.self, from: data)
            guard family.format == RuleFamily.formatName else {
                throw RuleBookError.format(family.format)
            }
            return family
        } catch let error as DecodingError {
            throw RuleBookError.decoding(Self.describe(error))
        }
    }

    /// The rule with an id, or nil.
    public func rule(id: String) -> NotificationRule? {
        index[id].map { rules[$0] }
    }

    /// The rules with these ids, in the order given; an unknown id is an error that names the known ones.
    public func rules(ids: [String]) throws(RuleBookError) -> [NotificationRule] {
        try ids.map { id throws(RuleBookError) in
            guard let rule = rule(id: id) else { throw RuleBookError.unknownRule(id) }
            return rule
        }
    }

    /// The rules reaching any of the jurisdictions (`US` lists the federal rules and the states').
    public func rules(inJurisdiction code: String) -> [NotificationRule] {
        let code = code.uppercased()
        return rules.filter { rule in
            rule.jurisdictions.contains { Jurisdiction.covers($0, code) || Jurisdiction.covers(code, $0) }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .dataCorrupted(let c): return "\(path(c.codingPath)): \(c.debugDescription)"
        case .keyNotFound(let key, let c): return "\(path(c.codingPath + [key])): missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "\(path(c.codingPath)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// What is wrong with rule data or a rule id.
public enum RuleBookError: Error, Sendable, CustomStringConvertible {
    case badFile(String, String)
    case decoding(String)
    case format(String)
    case duplicate(String, String, String)
    case unknownStage(String, String)
    case unknownRule(String)
    case mixedClocks(String)

    public var description: String {
        switch self {
        case .badFile(let file, let reason): "rule file \(file): \(reason)"
        case .decoding(let reason): reason
        case .format(let format): "\"\(format)\" is not a rule format; expected \"\(RuleFamily.formatName)\""
        case .duplicate(let id, let first, let second): "rule id \(id) is in both \(first) and \(second); ids must be unique"
        case .unknownStage(let id, let stage): "rule \(id) chains to \(stage), which is not a rule"
        case .unknownRule(let id): "no rule with id \"\(id)\"; `lapse rules` lists them"
        case .mixedClocks(let id): "rule \(id): \"alsoDue\" clocks must count like its \"duration\" (all in hours, or all in days)"
        }
    }
}
