import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import LapseCLI

/// The element names of an XML document, or nil when it is not well-formed.
func xmlElements(_ text: String) -> [String]? {
    final class Collector: NSObject, XMLParserDelegate {
        var names: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            names.append(name)
        }
    }
    let parser = XMLParser(data: Data(text.utf8))
    let collector = Collector()
    parser.delegate = collector
    return parser.parse() ? collector.names : nil
}

/// The width and height in a PNG's header.
func pngSize(_ data: Data) -> (Int, Int)? {
    let bytes = [UInt8](data)
    guard bytes.count > 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return nil }
    func int(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (int(16), int(20))
}

@Suite("chart")
struct ChartCommandTests {
    static let svgElements: Set<String> = ["svg", "title", "desc", "style", "rect", "g", "text", "line", "circle", "path"]

    @Test("chart timeline: a self-contained SVG at the width asked, its data beside it as CSV, one record per event")
    func timeline() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let r = w.run(["chart", "timeline", "psn-2011"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.hasPrefix("<?xml"))
        let names = try #require(xmlElements(r.out), "the SVG is well-formed XML")
        #expect(Set(names).isSubset(of: Self.svgElements), "only drawing elements: \(Set(names).subtracting(Self.svgElements))")
        #expect(names.contains("style"), "the styles travel inside the SVG")
        #expect(!r.out.contains("var(--"), "colours are written in, not CSS variables")
        #expect(r.out.contains("width=\"860\""))
        #expect(r.out.contains("Sony Computer Entertainment Inc. told the public 9 days after the intrusion began."), "the headline above the chart")
        #expect(r.out.contains(">Customer notification<"), "event types by their names")
        let svg = w.url.appendingPathComponent("psn.svg").path, csv = w.url.appendingPathComponent("psn.csv").path
        let narrow = w.run(["chart", "timeline", "psn-2011", "--width", "360", "--theme", "dark", "--output", svg, "--data", csv])
        #expect(narrow.code == 0, "\(narrow.err)")
        let drawn = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(drawn.contains("width=\"360\""))
        #expect(drawn.contains("#0d1117"), "the dark theme's background")
        let records = try String(contentsOfFile: csv, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(records.first == "at,until,offset_days_min,offset_days_max,type,label,party,milestone,summary")
        #expect(records.count == 41, "a header and the 40 events of psn-2011")
        #expect(records.contains { $0.hasPrefix("2011-04-26,,22,22,customer_notification,Customer notification,") && $0.contains(",yes,") })
        #expect(w.run(["chart", "timeline", "psn-2011", "--width", "200"]).code == 64)
        #expect(w.run(["chart", "timeline", "nope"]).code == 65)
    }

    @Test("chart company resolves the name as report company does, and chart delays ranks by the metric the data has")
    func companyAndDelays() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let company = w.run(["chart", "company", "sony"])
        #expect(company.code == 0, "\(company.err)")
        #expect(company.out.contains(">Sony Corporation<"), "titled with the party's name")
        #expect(w.run(["chart", "company", "nobody"]).code == 65)
        let csv = w.url.appendingPathComponent("delays.csv").path
        let delays = w.run(["chart", "delays", "--data", csv])
        #expect(delays.code == 0, "\(delays.err)")
        #expect(delays.out.contains("Time in the dark: the 4 longest"))
        let rows = try String(contentsOfFile: csv, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 5)
        #expect(rows[1].hasPrefix("uber-2016,"), "longest first")
        #expect(w.run(["chart", "delays", "--metric", "time-to-nothing"]).code == 64)
    }

    @Test("chart delays on the Washington AG list ranks by time to notify regulators, the one delay it holds")
    func washington() throws {
        let w = try Workspace()
        #expect(w.run(waArguments + [try dataset("wa-ag-breach-notifications.csv")]).code == 0)
        let csv = w.url.appendingPathComponent("wa.csv").path
        let r = w.run(["chart", "delays", "--limit", "15", "--data", csv])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("Time to notify regulators: the 15 longest"))
        let rows = try String(contentsOfFile: csv, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
        #expect(rows.count == 15)
        #expect(rows.allSatisfy { $0.contains(",time-to-notify-regulator,") })
        let all = try #require(try JSONSerialization.jsonObject(with: Data(w.run(["report", "all", "--format", "json"]).out.utf8)) as? [String: Any])
        #expect(all["ranked_by"] as? String == "time-to-notify-regulator")
        #expect((all["slowest"] as? [[String: Any]])?.count == 10, "the slowest table is not empty on the WA list")
        let md = w.run(["report", "all"]).out
        #expect(md.contains("Ranked by time to notify regulators, measured for"))
    }

    @Test("--embed writes an HTML snippet with both layouts and nothing that runs")
    func embed() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let r = w.run(["chart", "timeline", "psn-2011", "--embed"])
        #expect(r.code == 0)
        #expect(r.out.hasPrefix("<figure class=\"lapse-chart\""))
        #expect(r.out.components(separatedBy: "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox").count == 5, "the wide layout and the phone layout, each a frame around its chart")
        #expect(r.out.components(separatedBy: "\" id=\"lapse-chart-").count == 3)
        #expect(!r.out.contains("<script"))
        #expect(w.run(["chart", "timeline", "psn-2011", "--embed", "--output", w.url.appendingPathComponent("x.png").path]).code == 64)
    }

    @Test("hostile text stays text in the SVG and the snippet")
    func hostile() throws {
        let w = try Workspace()
        #expect(w.run(["import", try fixture("hostile-text.json")]).code == 0)
        for args in [["chart", "timeline", "evil-2"], ["chart", "company", "evil", "--all-matches"], ["chart", "delays"]] {
            let r = w.run(args)
            #expect(r.code == 0, "\(args): \(r.err)")
            let names = try #require(xmlElements(r.out), "\(args): well-formed")
            #expect(Set(names).isSubset(of: Self.svgElements), "\(args): \(Set(names).subtracting(Self.svgElements))")
            let embed = w.run(args + ["--embed"]).out
            #expect(!embed.contains("<img") && !embed.contains("<script") && !embed.lowercased().contains("<svg onload"))
        }
    }

    @Test("--output x.png without a rasteriser exits 69 naming what to install, and writes nothing")
    func noRasteriser() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let png = w.url.appendingPathComponent("psn.png").path, csv = w.url.appendingPathComponent("psn.csv").path
        let r = w.run(["chart", "timeline", "psn-2011", "--output", png, "--data", csv], environment: ["PATH": "/nonexistent"])
        #expect(r.code == 69)
        #expect(r.err.contains("librsvg2-bin") && r.err.contains("chromium"))
        #expect(!FileManager.default.fileExists(atPath: png))
        #expect(!FileManager.default.fileExists(atPath: csv))
    }

    @Test("--output x.png with a rasteriser writes a PNG of the chart's size")
    func png() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        guard externalToolAvailable("a PNG rasteriser", Rasteriser.find(environment: ["PATH": path]) != nil,
                                    install: "apt-get install librsvg2-bin, or chromium") else { return }
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let png = w.url.appendingPathComponent("sony.png").path
        let r = w.run(["chart", "company", "sony", "--width", "640", "--output", png], environment: ["PATH": path])
        #expect(r.code == 0, "\(r.err)")
        let size = try #require(pngSize(try Data(contentsOf: URL(fileURLWithPath: png))))
        #expect(size.0 == 640)
        #expect(size.1 > 150)
    }

    @Test("the chart's files are checked like every output: never the database, never each other")
    func refusals() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: w.db))
        #expect(w.run(["chart", "timeline", "psn-2011", "--output", w.db]).code == 64)
        #expect(w.run(["chart", "timeline", "psn-2011", "--data", w.db + "-wal"]).code == 64)
        let same = w.url.appendingPathComponent("x.svg").path
        #expect(w.run(["chart", "timeline", "psn-2011", "--output", same, "--data", same]).code == 64)
        #expect(try Data(contentsOf: URL(fileURLWithPath: w.db)) == before)
        let existing = try w.file("old.svg", "keep me")
        #expect(w.run(["chart", "timeline", "psn-2011", "--output", existing]).code == 64)
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
    }

    @Test("report incident --svg writes the timeline beside a Markdown report and shows it there")
    func markdownTimeline() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let md = w.url.appendingPathComponent("psn.md").path
        let r = w.run(["report", "incident", "psn-2011", "--output", md, "--svg"])
        #expect(r.code == 0, "\(r.err)")
        let text = try String(contentsOfFile: md, encoding: .utf8)
        #expect(text.contains("![Timeline of PlayStation Network and Qriocity breach and outage \\(2011\\)](psn.timeline.svg)"))
        let svg = try String(contentsOfFile: w.url.appendingPathComponent("psn.timeline.svg").path, encoding: .utf8)
        #expect(xmlElements(svg) != nil)
        #expect(w.run(["report", "incident", "psn-2011", "--svg"]).code == 64, "--svg needs --output")
        #expect(w.run(["report", "incident", "psn-2011", "--svg", "--output", w.url.appendingPathComponent("p.html").path]).code == 64)
        #expect(!text.contains("`time-to-detect`"), "metrics by their names")
        #expect(text.contains("| [GDPR Art 33\\(1\\)]"), "deadline tables name the law, not the rule id")
        #expect(text.contains("– not in force (would be ✗ missed)"), "a status reads without colour")
    }
}
