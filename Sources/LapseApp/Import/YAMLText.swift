import Foundation
import LapseCore
import LapseReports
import Yams

/// YAML read within bounds. Aliases let a small file stand for an enormous document (a
/// "billion laughs" of nested aliases): Yams shares the aliased nodes while composing, so the
/// composed tree is small and cheap to measure, but decoding walks every expansion. The
/// expanded size is counted first, with a budget, and a document over it is refused.
enum YAMLText {
    /// The largest YAML file read (composing costs many times the text): larger data belongs in
    /// JSON Lines, which is streamed.
    static let maxBytes = 16 << 20

    /// How many nodes a document may expand to through its aliases: its own text's worth, plus
    /// room for the shared sources and parties a hand-written file repeats.
    static func nodeLimit(bytes: Int) -> Int { 100_000 + bytes }

    /// The text of a YAML file, refused when it is too large to compose.
    static func read(_ path: String) throws -> String {
        if DocumentReader.fileSize(path) > maxBytes { throw tooLarge(path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError.cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        // A pipe or device has no size to check beforehand.
        guard data.count <= maxBytes else { throw tooLarge(path) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataProblem(file: path, path: "", message: "not valid YAML: the file is not UTF-8 text; expected a lapse/1 document in UTF-8")
        }
        return text
    }

    private static func tooLarge(_ path: String) -> DataProblem {
        DataProblem(file: path, path: "",
                    message: "the YAML file is larger than \(maxBytes >> 20) MB, the most Lapse reads as YAML; expected a smaller file (convert large data to JSON Lines, .jsonl, which is streamed)")
    }

    /// The document's node tree, its aliases checked: a syntax error is a problem at its line and
    /// column, a document that expands past `nodeLimit` is refused.
    static func compose(_ text: String, file: String) throws -> Node? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw problem(error, file: file, text: text)
        }
        if let root {
            let limit = nodeLimit(bytes: text.utf8.count)
            var budget = limit
            guard fits(root, budget: &budget) else {
                throw DataProblem(file: file, path: "",
                                  message: "the YAML's aliases expand it to more than \(groupedNumber(limit)) nodes, the limit for a file of this size; expected a document whose aliases (*name) repeat only small parts (write repeated data out, or use JSON)")
            }
        }
        return root
    }

    /// Counts the nodes of the expanded tree until the budget runs out; false if it does. The
    /// cost is bounded by the budget, however large the expansion. (libyaml limits nesting to
    /// 1000 levels, so the recursion is shallow.)
    private static func fits(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .scalar, .alias:
            return true
        case .sequence(let sequence):
            for child in sequence where !fits(child, budget: &budget) { return false }
            return true
        case .mapping(let mapping):
            for (key, value) in mapping where !fits(key, budget: &budget) || !fits(value, budget: &budget) { return false }
            return true
        }
    }

    /// Yams' error as a problem: `FILE:LINE: column C: not valid YAML: what libyaml says`.
    static func problem(_ error: YamlError, file: String, text: String) -> DataProblem {
        let text = text  // the offset of a reader error counts its characters
        func located(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> DataProblem {
            let while_ = context.map { "\($0.text) (line \($0.mark.line)), " } ?? ""
            return DataProblem(file: file, line: mark.line, path: "column \(mark.column)", message: "not valid YAML: \(while_)\(problem)")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return located(context, problem, mark)
        case .reader(let problem, let offset, _, _):
            guard let offset, offset <= text.count else { return DataProblem(file: file, path: "", message: "not valid YAML: \(problem)") }
            let before = text.prefix(offset)
            let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            return DataProblem(file: file, line: line, path: "column \(column)", message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return DataProblem(file: file, line: context.mark.line, path: "column \(context.mark.column)",
                               message: "not valid YAML: the key \(duplicates.sorted().joined(separator: ", ")) is given twice in one mapping; expected each key once")
        case .dataCouldNotBeDecoded:
            return DataProblem(file: file, path: "", message: "not valid YAML: the file is not UTF-8 text; expected a lapse/1 document in UTF-8")
        default:
            return DataProblem(file: file, path: "", message: "not valid YAML: \(error)")
        }
    }
}
