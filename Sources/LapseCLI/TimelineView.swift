import Foundation
import LapseApp
import LapseCore
import LapseReports

/// The terminal view of one incident: its facts, then its events in time order with the date
/// as written, the day offset from the first event, the party, summary, quotes and sources.
struct TimelineView {
    var style: Style

    func render(_ incident: Incident, parties: [Party], highlight inputIndex: Int? = nil) -> String {
        render(IncidentTimeline(incident, parties: parties), highlight: inputIndex)
    }

    func render(_ shown: IncidentTimeline, highlight inputIndex: Int? = nil) -> String {
        func name(_ id: String) -> String { Escape.terminal(shown.name(of: id)) }
        let incident = shown.incident
        let timeline = shown.timeline
        var out = style.bold(Escape.terminal(incident.title)) + "  " + style.dim("(\(incident.id))") + "\n"
        var facts = [name(incident.organization), incident.kinds.map(\.rawValue).joined(separator: ", ")]
        if let records = incident.recordsAffected { facts.append("\(groupedNumber(records)) records affected") }
        out += wrap(facts.joined(separator: " · "), indent: "") + "\n"
        var context: [String] = []
        if !incident.jurisdictions.isEmpty { context.append("jurisdictions: " + Escape.terminal(incident.jurisdictions.joined(separator: ", "))) }
        context.append("time zone: " + Escape.terminal(incident.timezone ?? "UTC"))
        if !incident.tags.isEmpty { context.append("tags: " + Escape.terminal(incident.tags.joined(separator: ", "))) }
        if let closed = incident.closed { context.append("closed \(closed)") }
        out += style.dim(wrap(context.joined(separator: " · "), indent: "")) + "\n"
        if let summary = incident.summary { out += "\n" + wrap(Escape.terminal(summary), indent: "") + "\n" }
        out += "\n"
        guard !timeline.entries.isEmpty else {
            return out + "No events yet. Add one with: lapse log \(incident.id) TYPE --at DATE\n"
        }
        out += style.dim(wrap("Day offsets count from \(CivilDate.string(fromDays: timeline.origin.lowerBound)), the first event dated to the day; on that day, times count from the first event with a time.", indent: "")) + "\n\n"
        let dates = timeline.entries.map { dateText($0.event) }
        let dateWidth = dates.map(\.count).max() ?? 10
        // On the first day, events with a time of day are placed in hours and minutes from the
        // first of them: a 49-minute outage reads +49 min, not +0 d.
        let anchor = timeline.entries.first { $0.event.at.hasTimeOfDay && $0.offset.isExact && $0.offset.min == 0 }
        let offsets = timeline.entries.map { entry -> String in
            guard let anchor, entry.event.at.hasTimeOfDay, entry.offset.isExact, entry.offset.min == 0 else { return entry.offset.signed }
            let minutes = (entry.localStart - anchor.localStart) / 60
            let sign = minutes < 0 ? "−" : "+"
            let (h, m) = (abs(minutes) / 60, abs(minutes) % 60)
            return sign + (h > 0 ? "\(h) h \(m) min" : "\(m) min")
        }
        let offsetWidth = offsets.map(\.count).max() ?? 4
        let typeWidth = timeline.entries.map(\.event.type.label.count).max() ?? 10
        let indent = String(repeating: " ", count: 2 + dateWidth + 2 + offsetWidth + 2)
        let ids = shown.eventIDs
        for (i, entry) in timeline.entries.enumerated() {
            let event = entry.event
            let marker = entry.inputIndex == inputIndex ? style.yellow("▶ ") : "  "
            let date = dates[i].padding(toLength: dateWidth, withPad: " ", startingAt: 0)
            let offset = String(repeating: " ", count: offsetWidth - offsets[i].count) + offsets[i]
            let type = event.type.label.padding(toLength: typeWidth, withPad: " ", startingAt: 0)
            var line = marker + style.bold(date) + "  " + style.dim(offset) + "  " + style.cyan(type)
            if let party = event.party { line += "  " + name(party) }
            line += "  " + style.dim("[" + Escape.terminal(ids[entry.inputIndex]) + "]")
            out += line.replacing(/\s+$/, with: "") + "\n"
            if let summary = event.summary { out += wrap(Escape.terminal(summary), indent: indent) + "\n" }
            if let statement = event.statement {
                if let quote = statement.quote {
                    out += wrap(style.italic("“" + Escape.terminal(quote) + "”"), indent: indent) + "\n"
                }
                var about: [String] = []
                if let party = event.party { about.append(name(party)) }
                if let channel = statement.channel { about.append(Escape.terminal(channel)) }
                if let audience = statement.audience { about.append("to " + audience.rawValue) }
                if !about.isEmpty { out += style.dim(wrap("— " + about.joined(separator: ", "), indent: indent)) + "\n" }
            }
            for source in event.sources {
                var label = [source.publisher, source.title].compactMap { $0 }.map(Escape.terminal).joined(separator: ": ")
                if !label.isEmpty { label += "  " }
                out += indent + style.dim("source: " + label + Escape.terminal(source.url)) + "\n"
            }
        }
        return out + delays(shown.delays)
    }

    /// The incident's named delays, under its timeline.
    func delays(_ measured: [Delay]) -> String {
        guard !measured.isEmpty else { return "\nNo named delay can be measured yet (see Docs/delays.md).\n" }
        let names = measured.map { DelayMetric.label($0.metric) }
        let nameWidth = names.map(\.count).max() ?? 0
        let spans = measured.map(spanText)
        let spanWidth = spans.map(\.count).max() ?? 0
        var out = "\n" + style.bold("Delays") + "\n"
        for ((d, span), name) in zip(zip(measured, spans), names) {
            let flags = d.flags.names.isEmpty ? "" : "  " + style.yellow("(" + d.flags.names.joined(separator: ", ") + ")")
            out += "  " + name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: spanWidth - span.count) + style.bold(span) + "  "
                + style.dim("\(d.fromEvent.type.label) \(d.fromEvent.at) → \(d.toEvent.type.label) \(d.toEvent.at)") + flags + "\n"
        }
        return out
    }

    func dateText(_ event: Event) -> String {
        event.until.map { "\(event.at) → \($0)" } ?? event.at.description
    }

    /// Wraps long text at word boundaries under the given indent, to the terminal's width (100
    /// columns when not on a terminal, or with --wide).
    private func wrap(_ text: String, indent: String) -> String {
        let width = max(24, (style.width ?? 100) - indent.count)
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = String(word)
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { indent + $0 }.joined(separator: "\n")
    }
}
