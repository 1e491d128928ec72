import Foundation
import LapseCore
import Mustache

/// The formats a report can take.
public enum ReportFormat: String, CaseIterable, Sendable {
    case md, html, json, csv
}

/// Renders reports in every format. Text from the data is escaped for each format.
public struct ReportRenderer: Sendable {
    public let input: ReportInput
    public init(input: ReportInput) { self.input = input }

    // MARK: Incident

    /// The report in a format. `timelineImage`: for Markdown, the file name of the timeline's
    /// SVG written beside the report (`report incident --svg`), shown under the delays.
    public func incident(_ report: IncidentReport, format: ReportFormat, timelineImage: String? = nil) throws -> String {
        switch format {
        case .json: return try json(report)
        case .csv: return csv(report.delays)
        case .md: return incidentMarkdown(report, timelineImage: timelineImage)
        case .html: return try incidentHTML(report)
        }
    }

    func incidentMarkdown(_ r: IncidentReport, timelineImage: String? = nil) -> String {
        var md = MarkdownWriter()
        let i = r.incident
        md.heading(1, i.title)
        var facts = ["**Organization:** \(Escape.markdown(r.organizationName))", "**Kinds:** \(i.kinds.map(\.rawValue).joined(separator: ", "))"]
        if let records = i.recordsAffected { facts.append("**Records affected:** \(groupedNumber(records))") }
        if !i.jurisdictions.isEmpty { facts.append("**Jurisdictions:** \(Escape.markdown(i.jurisdictions.joined(separator: ", ")))") }
        facts.append("**Time zone:** \(Escape.markdown(i.timezone ?? "UTC"))")
        md.paragraph(facts.joined(separator: " · "))
        if let summary = i.summary { md.paragraph(Escape.markdown(summary)) }
        md.heading(2, "Delays")
        md.table(["metric", "from", "to", "delay", "flags"], r.delays.map {
            [DelayMetric.label($0.metric), "\(EventType.label($0.fromType ?? "")) \(Escape.markdown($0.from ?? ""))",
             "\(EventType.label($0.toType ?? "")) \(Escape.markdown($0.to ?? ""))", "**\($0.span)**", $0.flags.joined(separator: ", ")]
        })
        md.heading(2, "Timeline")
        if let timelineImage {
            // A relative link to the SVG beside the report: GitHub, GitLab and most Markdown viewers show it inline.
            md.paragraph("![\(Escape.markdown("Timeline of " + i.title))](\(Escape.uri(timelineImage)))")
        }
        md.table(["date", "offset", "event", "party", "what happened", "sources"], r.timeline.map { e in
            [Escape.markdown(e.at + (e.until.map { " → \($0)" } ?? "")), e.offset, EventType.label(e.type), Escape.markdown(e.party ?? ""),
             Escape.markdown(e.summary ?? ""), e.sources.enumerated().map { markdownLink($1.publisher ?? $1.title ?? "source \($0 + 1)", $1.url) }.joined(separator: ", ")]
        })
        md.heading(2, "Statements")
        if r.statements.isEmpty { md.paragraph("_None recorded._") }
        for s in r.statements {
            var who = [s.speaker, s.channel, s.audience.map { "to \($0)" }].compactMap { $0 }.map(Escape.markdown)
            who.append(Escape.markdown(s.at))
            let links = s.sources.enumerated().map { markdownLink($1.title ?? $1.publisher ?? "source \($0 + 1)", $1.url) }
            md.paragraph("> “\(Escape.markdown(s.quote))”\n>\n> — \(who.joined(separator: ", "))\(links.isEmpty ? "" : " · " + links.joined(separator: ", "))")
        }
        md.heading(2, "Notification deadlines")
        if r.deadlines.isEmpty { md.paragraph("_No notification rule applies to this incident's jurisdictions and scope._") }
        md.table(["law", "notify", "status", "deadline", "clock start", "due", "satisfied by", "margin"], r.deadlines.map {
            [markdownLink($0.instrument, $0.source), Escape.markdown($0.notify), $0.statusText, Escape.markdown($0.deadlineText),
             Escape.markdown($0.clockStartText), Escape.markdown($0.dueText), Escape.markdown($0.satisfiedByText), $0.margin]
        })
        if !r.deadlines.isEmpty { md.paragraph("_Due times are UTC for hour clocks. A reading of the rules, not legal advice._") }
        md.heading(2, "Consistency")
        if r.findings.isEmpty { md.paragraph("No findings.") }
        for f in r.findings { md.text += "- **\(f.severity.rawValue)** (\(f.code)): \(Escape.markdown(f.message))\n" }
        return md.text.hasSuffix("\n\n") ? String(md.text.dropLast()) : md.text
    }

    // MARK: Company

    public func company(_ report: CompanyReport, format: ReportFormat) throws -> String {
        switch format {
        case .json: return try json(report)
        case .csv: return csv(report.delays)
        case .md:
            var md = MarkdownWriter()
            md.heading(1, "Incidents of \(report.company)")
            md.paragraph("Organizations: \(Escape.markdown(report.organizations.joined(separator: ", "))) · \(incidentCount(report.incidents.count))")
            md.heading(2, "Incidents")
            md.table(["incident", "organization", "title", "kinds", "first event", "records"], report.incidents.map {
                [Escape.markdownCode($0.id), Escape.markdown($0.organization), Escape.markdown($0.title), $0.kinds.joined(separator: ", "),
                 Escape.markdown($0.firstEvent ?? ""), $0.recordsAffected.map(groupedNumber) ?? ""]
            }, numeric: [5])
            md.heading(2, "Delays side by side")
            md.table(["incident"] + ReportBuilder.metrics.map { "`\($0)`" }, sideBySide(report).map { [Escape.markdown($0[0])] + $0.dropFirst() })
            md.heading(2, "Compared with the database")
            md.table(["metric", "company median", "database median", "incidents"], report.comparison.map {
                ["`\($0.metric)`", "\(Charts.fmt($0.companyMedian)) d", "\(Charts.fmt($0.databaseMedian)) d", "\($0.count) of \($0.databaseCount)"]
            }, numeric: [1, 2])
            md.paragraph("_Medians in days; a delay known only as a range counts as its midpoint._")
            return String(md.text.dropLast())
        case .html: return try companyHTML(report)
        }
    }

    func sideBySide(_ report: CompanyReport) -> [[String]] {
        report.incidents.map { i in
            [i.id] + ReportBuilder.metrics.map { m in report.delays.first { $0.incident == i.id && $0.metric == m }?.span ?? "—" }
        }
    }

    // MARK: Portfolio

    public func portfolio(_ report: PortfolioReport, format: ReportFormat) throws -> String {
        switch format {
        case .json: return try json(report)
        case .csv: return summariesCSV(report.summaries + report.trend)
        case .md:
            var md = MarkdownWriter()
            md.heading(1, "All incidents")
            md.paragraph("\(incidentCount(report.incidentCount)).")
            md.heading(2, "Delays across incidents")
            md.table(["metric", "count", "median", "p25", "p75", "p90", "min", "max", "ranges"], summaryRows(report.summaries), numeric: Set(1...8))
            md.paragraph("_Days. A delay known only as a range counts as its midpoint (ranges: how many did)._")
            let metric = report.rankedBy.map(DelayMetric.label)
            let measured = report.summaries.first { $0.metric == report.rankedBy }?.count ?? 0
            md.heading(2, "The slowest")
            if let metric {
                md.paragraph("Ranked by \(metric.lowercased()), measured for \(groupedNumber(measured)) of \(incidentCount(report.incidentCount)).")
            } else {
                md.paragraph("_No delay could be measured for these incidents._")
            }
            md.table(["#", "incident", "organization", "from", "to", metric?.lowercased() ?? "delay"], report.slowest.enumerated().map {
                ["\($0 + 1)", Escape.markdownCode($1.incident), Escape.markdown($1.organization), "\(EventType.label($1.fromType ?? "")) \(Escape.markdown($1.from ?? ""))",
                 "\(EventType.label($1.toType ?? "")) \(Escape.markdown($1.to ?? ""))", "**\($1.span)**"]
            }, numeric: [0, 5])
            md.heading(2, "Trend by year")
            let trend = report.trend.filter { $0.metric == report.rankedBy }
            if let metric, !trend.isEmpty {
                md.paragraph("Median \(metric.lowercased()) by the year its first event falls in; the JSON and CSV reports give every metric.")
            }
            md.table(["year", "incidents", "median (days)"], trend.map { [$0.group, "\($0.count)", Charts.fmt($0.median)] }, numeric: [1, 2])
            md.heading(2, "Incidents by kind")
            md.table(["kind", "incidents"], report.byKind.map { [Escape.markdown($0.name), "\($0.count)"] }, numeric: [1])
            md.heading(2, "Incidents by sector")
            md.table(["sector", "incidents"], report.bySector.map { [Escape.markdown($0.name), "\($0.count)"] }, numeric: [1])
            return String(md.text.dropLast())
        case .html: return try portfolioHTML(report)
        }
    }

    func summaryRows(_ s: [DelaySummary]) -> [[String]] {
        s.map { [$0.metric, "\($0.count)", Charts.fmt($0.median), Charts.fmt($0.p25), Charts.fmt($0.p75), Charts.fmt($0.p90), Charts.fmt($0.min), Charts.fmt($0.max), "\($0.ranges)"] }
    }

    // MARK: Machine formats

    func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Escape.json(String(decoding: try encoder.encode(value), as: UTF8.self)) + "\n"
    }

    /// The delay rows of the data contract, formula-guarded.
    func csv(_ rows: [DelayRow]) -> String {
        var out = DelayRow.columns.joined(separator: ",") + "\r\n"
        for row in rows { Escape.appendCSVRecord(row.cells, numeric: DelayRow.numericColumns, to: &out) }
        return out
    }

    func summariesCSV(_ s: [DelaySummary]) -> String {
        var out = "group,metric,count,median,p25,p75,p90,min,max,ranges\r\n"
        for x in s {
            out += [Escape.csv(x.group), x.metric, "\(x.count)", Charts.fmt(x.median), Charts.fmt(x.p25), Charts.fmt(x.p75), Charts.fmt(x.p90),
                    Charts.fmt(x.min), Charts.fmt(x.max), "\(x.ranges)"].joined(separator: ",") + "\r\n"
        }
        return out
    }
}
