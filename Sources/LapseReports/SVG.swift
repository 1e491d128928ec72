import Foundation

/// A small typed SVG builder: elements with attributes and children, rendered with every
/// attribute value and text node escaped, so data can never become markup.
public struct SVGNode: Sendable {
    enum Content: Sendable {
        case element(name: String, attributes: [(String, String)], children: [SVGNode])
        case text(String)
    }

    let content: Content

    init(_ name: String, _ attributes: [(String, String)] = [], _ children: [SVGNode] = []) {
        content = .element(name: name, attributes: attributes, children: children)
    }

    /// A text node (escaped when rendered).
    static func text(_ s: String) -> SVGNode { SVGNode(content: .text(s)) }

    private init(content: Content) { self.content = content }

    // MARK: Elements

    static func svg(width: Double, height: Double, title: String, description: String, _ children: [SVGNode]) -> SVGNode {
        // A stable id from the title (FNV-1a), so the same report renders to the same bytes.
        let id = "c" + stableID(title)
        return SVGNode("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(n(width)) \(n(height))"),
                               ("width", n(width)), ("height", n(height)), ("role", "img"), ("class", "chart"),
                               ("aria-labelledby", "\(id)-title \(id)-desc")],
                       [SVGNode("title", [("id", "\(id)-title")], [.text(title)]),
                        SVGNode("desc", [("id", "\(id)-desc")], [.text(description)])] + children)
    }

    static func group(_ cls: String? = nil, _ children: [SVGNode], title: String? = nil) -> SVGNode {
        SVGNode("g", cls.map { [("class", $0)] } ?? [], (title.map { [SVGNode("title", [], [.text($0)])] } ?? []) + children)
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, cls: String, rx: Double = 0, title: String? = nil) -> SVGNode {
        SVGNode("rect", [("x", n(x)), ("y", n(y)), ("width", n(max(width, 0))), ("height", n(max(height, 0))), ("rx", n(rx)), ("class", cls)],
                title.map { [SVGNode("title", [], [.text($0)])] } ?? [])
    }

    static func circle(cx: Double, cy: Double, r: Double, cls: String, title: String? = nil) -> SVGNode {
        SVGNode("circle", [("cx", n(cx)), ("cy", n(cy)), ("r", n(r)), ("class", cls)],
                title.map { [SVGNode("title", [], [.text($0)])] } ?? [])
    }

    static func line(x1: Double, y1: Double, x2: Double, y2: Double, cls: String) -> SVGNode {
        SVGNode("line", [("x1", n(x1)), ("y1", n(y1)), ("x2", n(x2)), ("y2", n(y2)), ("class", cls)])
    }

    static func path(_ d: String, cls: String) -> SVGNode {
        SVGNode("path", [("d", d), ("class", cls)])
    }

    static func label(_ s: String, x: Double, y: Double, cls: String, anchor: String = "start") -> SVGNode {
        SVGNode("text", [("x", n(x)), ("y", n(y)), ("class", cls), ("text-anchor", anchor)], [.text(s)])
    }

    /// An attribute's value, for an element.
    func attribute(_ key: String) -> String? {
        guard case .element(_, let attributes, _) = content else { return nil }
        return attributes.first { $0.0 == key }?.1
    }

    /// The element with these attributes set (replacing any of the same name).
    func setting(_ extra: [(String, String)]) -> SVGNode {
        guard case .element(let name, let attributes, let children) = content else { return self }
        let keys = Set(extra.map(\.0))
        return SVGNode(name, attributes.filter { !keys.contains($0.0) } + extra, children)
    }

    /// The element with more children after its own.
    func appending(_ more: [SVGNode]) -> SVGNode {
        guard case .element(let name, let attributes, let children) = content else { return self }
        return SVGNode(name, attributes, children + more)
    }

    /// A drawing's size from its width and height attributes.
    var size: (width: Double, height: Double) {
        (attribute("width").flatMap(Double.init) ?? 0, attribute("height").flatMap(Double.init) ?? 0)
    }

    // MARK: Rendering

    /// The node as SVG markup.
    public var markup: String {
        var out = ""
        render(into: &out)
        return out
    }

    private func render(into out: inout String) {
        switch content {
        case .text(let s):
            out += Escape.xml(s)
        case .element(let name, let attributes, let children):
            out += "<" + name
            for (key, value) in attributes { out += " \(key)=\"\(Escape.xml(value))\"" }
            if children.isEmpty {
                out += "/>"
            } else {
                out += ">"
                for child in children { child.render(into: &out) }
                out += "</\(name)>"
            }
        }
    }
}

/// A coordinate with at most one decimal, so output is compact and stable.
func n(_ v: Double) -> String {
    let r = (v * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : String(r)
}
