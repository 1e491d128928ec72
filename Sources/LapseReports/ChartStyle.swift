import Foundation

/// The charts' colours and SVG rules, shared by the HTML page (which switches theme with
/// `prefers-color-scheme`) and the standalone charts (`lapse chart`), which carry them inside
/// the SVG with the theme's colours written in.
enum ChartStyle {
    /// The colour variables of each theme, in the order the page declares them.
    static func palette(_ theme: ChartTheme) -> [(String, String)] {
        switch theme {
        case .light:
            [("--fg", "#1b1f24"), ("--muted", "#57606a"), ("--bg", "#ffffff"), ("--panel", "#f6f8fa"), ("--line", "#d0d7de"), ("--accent", "#0550ae"),
             ("--breach", "#cf222e"), ("--outage", "#bc4c00"), ("--word", "#0550ae"), ("--notice", "#116329"), ("--other", "#6e7781"),
             ("--shade", "rgba(188, 76, 0, 0.12)")]
        case .dark:
            [("--fg", "#e6edf3"), ("--muted", "#9da7b3"), ("--bg", "#0d1117"), ("--panel", "#161b22"), ("--line", "#30363d"), ("--accent", "#79c0ff"),
             ("--breach", "#ff7b72"), ("--outage", "#ffa657"), ("--word", "#79c0ff"), ("--notice", "#56d364"), ("--other", "#9da7b3"),
             ("--shade", "rgba(255, 166, 87, 0.16)")]
        }
    }

    /// The declarations of a theme's variables, for a CSS rule.
    static func variables(_ theme: ChartTheme) -> String {
        palette(theme).map { "\($0.0): \($0.1);" }.joined(separator: " ")
    }

    /// Every chart element's look, as selectors under `svg`.
    static let rules = """
        svg .lane-even { fill: var(--panel); } svg .lane-odd { fill: var(--bg); } svg .lane-label, svg .legend, svg .bar-label { fill: var(--fg); }
        svg .ev-label { fill: var(--muted); } svg .ev-label.key { fill: var(--fg); font-weight: 700; } svg .leader { fill: none; stroke: var(--line); stroke-width: 1; }
        svg .tick-label, svg .break-label, svg .bracket-label, svg .muted { fill: var(--muted); font-size: 10px; } svg .bracket-label { fill: var(--fg); }
        svg .axis, svg .tick { stroke: var(--muted); stroke-width: 1; } svg .grid { stroke: var(--line); stroke-width: 1; } svg .axis-break { stroke: var(--fg); fill: none; stroke-width: 1.5; }
        svg .break-band { fill: var(--bg); fill-opacity: .85; stroke: var(--line); stroke-dasharray: 2 2; }
        svg .outage { fill: var(--shade); } svg .outage-open { stroke: var(--outage); stroke-dasharray: 4 3; } svg .outage-label { fill: var(--outage); font-size: 10px; }
        svg .fam-breach { fill: var(--breach); } svg .fam-outage { fill: var(--outage); } svg .fam-word { fill: var(--word); } svg .fam-notice { fill: var(--notice); } svg .fam-other { fill: var(--other); }
        svg .ev { stroke: var(--bg); stroke-width: 1.5; } svg .ev.key, svg .event.key .ev-span { stroke: var(--fg); stroke-width: 1.5; } svg .event:not(.key) .ev { fill-opacity: .75; }
        svg .count-label { fill: var(--fg); font-size: 10px; } svg .ev-span.partial { fill-opacity: .35; } svg .bracket { fill: none; stroke: var(--fg); stroke-width: 1.2; }
        svg .delay.negative .bracket { stroke: var(--breach); stroke-dasharray: 3 2; }
        svg .box-iqr { fill: var(--word); fill-opacity: .25; stroke: var(--word); } svg .box-median { stroke: var(--fg); stroke-width: 2.5; } svg .whisker, svg .box-p90 { stroke: var(--muted); stroke-width: 1.5; }
        svg .bar { fill: var(--word); fill-opacity: .7; } svg .dot { stroke: var(--bg); stroke-width: 1; } svg .range { stroke-width: 2; stroke-opacity: .6; }
        svg .series-0 { fill: var(--word); } svg .series-1 { fill: var(--breach); } svg .series-2 { fill: var(--notice); } svg .series-3 { fill: var(--outage); } svg .series-4 { fill: var(--other); } svg .series-5 { fill: var(--fg); } svg .series-6 { fill: #8250df; } svg .series-7 { fill: #bf8700; }
        svg .series-stroke-0 { stroke: var(--word); } svg .series-stroke-1 { stroke: var(--breach); } svg .series-stroke-2 { stroke: var(--notice); } svg .series-stroke-3 { stroke: var(--outage); }
        svg .series-stroke-4 { stroke: var(--other); } svg .series-stroke-5 { stroke: var(--fg); } svg .series-stroke-6 { stroke: #8250df; } svg .series-stroke-7 { stroke: #bf8700; }
        """

    /// The rules for one standalone chart: scoped to its root element (`#id`), so an embedded
    /// chart styles nothing else on the page, with the theme's colours written in (no CSS
    /// variables, which not every rasteriser reads).
    static func standalone(id: String, theme: ChartTheme) -> String {
        var css = "#\(id) { font: 11px system-ui, sans-serif; }\n" + rules.replacingOccurrences(of: "svg .", with: "#\(id) .") + "\n" + standaloneRules(id)
        // Longest names first, so --fg does not replace the start of a longer name.
        for (name, value) in palette(theme).sorted(by: { $0.0.count > $1.0.count }) {
            css = css.replacingOccurrences(of: "var(\(name))", with: value)
        }
        return css
    }

    /// The frame of a standalone chart: its background, title, headline, key, caption and source.
    private static func standaloneRules(_ id: String) -> String {
        """
        #\(id) .std-bg { fill: var(--bg); } #\(id) .std-title { fill: var(--fg); font-size: 16px; font-weight: 700; }
        #\(id) .std-deck { fill: var(--fg); font-size: 13px; } #\(id) .std-key { fill: var(--fg); font-size: 11px; }
        #\(id) .std-caption, #\(id) .std-source { fill: var(--muted); font-size: 10px; } #\(id) .swatch-outage { fill: var(--shade); stroke: var(--outage); }
        """
    }
}
