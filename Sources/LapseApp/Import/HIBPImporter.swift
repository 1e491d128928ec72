import Foundation
import LapseCore
import LapseReports

/// Reads the breach list of the Have I Been Pwned API v3 (`GET /api/v3/breaches`): a JSON array
/// of objects with `Name`, `Title`, `Domain`, `BreachDate`, `AddedDate`, `PwnCount`,
/// `Description` (HTML), `DataClasses` and `Is...` flags.
public struct HIBPImporter {
    public init() {}

    static let catalogueID = "have-i-been-pwned"
    static let flags = ["IsVerified": "verified", "IsFabricated": "fabricated", "IsSensitive": "sensitive",
                        "IsRetired": "retired", "IsSpamList": "spam-list", "IsMalware": "malware",
                        "IsStealerLog": "stealer-log", "IsSubscriptionFree": "subscription-free"]

    public func read(_ data: Data, file: String, into runner: ImportRunner) throws {
        guard let list = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
            throw DocumentReader.syntaxProblem(data, file: file, line: nil)
                ?? DataProblem(file: file, path: "", message: "expected the Have I Been Pwned breach list: a JSON array of breaches")
        }
        var catalogueAdded = false
        for (i, element) in list.enumerated() {
            let location = RecordLocation(file: file, path: "[\(i)]")
            var problems: [DataProblem] = []
            func problem(_ field: String, _ message: String) {
                problems.append(DataProblem(file: file, path: "[\(i)].\(field)", message: message))
            }
            guard let breach = element as? [String: Any] else {
                try runner.reject([DataProblem(file: file, path: "[\(i)]", message: "expected a breach object")])
                continue
            }
            func text(_ key: String) -> String? {
                (breach[key] as? String).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            let name = text("Name")
            if name == nil || slug(name!).isEmpty { problem("Name", "the breach has no usable Name; expected the breach's name, such as \"Adobe\"") }
            var breachDate: EventTime?
            if let raw = text("BreachDate") {
                // The API gives a date; some mirrors add a midnight time.
                if let t = try? EventTime(parsing: String(raw.prefix(10))), t.precision == .day { breachDate = t } else {
                    problem("BreachDate", "\(quoted(raw)) is not a date; expected YYYY-MM-DD")
                }
            }
            var added: EventTime?
            if let raw = text("AddedDate") {
                if let t = try? EventTime(parsing: raw.replacingOccurrences(of: #"\.\d+"#, with: "", options: .regularExpression)) { added = t } else {
                    problem("AddedDate", "\(quoted(raw)) is not a time; expected an ISO 8601 instant such as 2013-12-04T00:00:00Z")
                }
            }
            var records: Int?
            if let count = breach["PwnCount"], !(count is NSNull) {
                if let n = ExternalNumber.count(count) { records = n } else {
                    problem("PwnCount", "\(ExternalNumber.text(count)) is not a count; expected a whole number from 0 to \(groupedNumber(ExternalNumber.countLimit))")
                }
            }
            guard problems.isEmpty, let name else { try runner.reject(problems); continue }

            let title = text("Title") ?? name
            let domain = text("Domain")
            let org = try runner.directory.resolve(title, kind: .organization, aliases: domain.map { [$0] } ?? [], fallback: "organization")
            try runner.add(org.newParty, at: location)
            let page = Source(url: "https://haveibeenpwned.com/PwnedWebsites#\(name.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed) ?? name)",
                              title: "\(title) on Have I Been Pwned", publisher: "Have I Been Pwned")
            let description = text("Description").map(HTMLText.init)
            var events: [Event] = []
            if let breachDate {
                events.append(Event(type: .intrusion, at: breachDate, summary: "Breach date given by Have I Been Pwned",
                                    sources: [page] + (description?.links.map { Source(url: $0) } ?? [])))
            }
            if let added {
                if !catalogueAdded {
                    catalogueAdded = true
                    let hibp = try runner.directory.resolve("Have I Been Pwned", kind: .media, aliases: ["HIBP", "haveibeenpwned.com"])
                    try runner.add(hibp.newParty, at: location)
                }
                events.append(Event(type: .other, at: added, party: try runner.directory.resolve("Have I Been Pwned", kind: .media).id,
                                    summary: "Added to the Have I Been Pwned catalogue", sources: [page]))
            }
            var tags = ((breach["DataClasses"] as? [Any]) ?? []).compactMap { $0 as? String }
            tags += Self.flags.keys.sorted().filter { (breach[$0] as? Bool) == true }.map { "hibp:" + Self.flags[$0]! }
            let incident = Incident(id: "hibp-" + slug(name, maxLength: 80), title: "\(title) breach", organization: org.id,
                                    kinds: [.breach], summary: description?.text, recordsAffected: records,
                                    tags: tags, events: events)
            try runner.add(ImportedRecord(location: location, incident: incident))
        }
    }
}

/// HTML reduced to plain text: tags dropped (with the content of `script` and `style`), the
/// character references decoded, whitespace collapsed, control characters removed; the `href`
/// of links kept aside.
struct HTMLText {
    var text: String
    var links: [String] = []

    init(_ html: String) {
        var out = ""
        var links: [String] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else { rest = rest[rest.endIndex...]; break }
            let tag = rest[rest.index(after: open)..<close]
            let lower = tag.lowercased()
            rest = rest[rest.index(after: close)...]
            let name = lower.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }
            if name == "script" || name == "style" {
                if let end = rest.range(of: "</\(name)", options: .caseInsensitive),
                   let gt = rest[end.upperBound...].firstIndex(of: ">") {
                    rest = rest[rest.index(after: gt)...]
                } else {
                    rest = rest[rest.endIndex...]
                }
                continue
            }
            if name == "a", let href = lower.range(of: "href=") {
                var value = tag[tag.index(tag.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: href.upperBound))...]
                if let q = value.first, q == "\"" || q == "'" {
                    value = value.dropFirst().prefix { $0 != q }
                } else {
                    value = value.prefix { !$0.isWhitespace }
                }
                let url = HTMLText.decodeEntities(String(value))
                if url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://") { links.append(url) }
            }
            // Block elements and line breaks separate words; inline ones do not.
            if !["a", "em", "strong", "b", "i", "u", "span", "code", "small", "sup", "sub"].contains(String(name)) { out += " " }
        }
        out += rest
        let decoded = HTMLText.decodeEntities(out)
        let visible = decoded.unicodeScalars.map { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format ? " " : String($0) }.joined()
        text = visible.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        var seen = Set<String>()
        self.links = links.filter { seen.insert($0).inserted }
    }

    static let named: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
                                          "ndash": "–", "mdash": "—", "hellip": "…", "rsquo": "’", "lsquo": "‘",
                                          "rdquo": "”", "ldquo": "“", "eacute": "é"]

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(12).firstIndex(of: ";") {
                let entity = after[..<semi]
                var decoded: String?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    decoded = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if entity.hasPrefix("#") {
                    decoded = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    decoded = named[String(entity).lowercased()]
                }
                if let decoded {
                    out += decoded
                    rest = after[after.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = after
        }
        return out + rest
    }
}
