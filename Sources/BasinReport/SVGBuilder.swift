/// A small writer of SVG markup, one element per line, attributes in the order given.
///
/// Attribute values and text are XML-escaped here; callers pass plain strings. Numbers
/// reach it already formatted (see `TextFormatting.coordinate`), so the bytes written
/// depend only on the chart's data.
struct SVGBuilder {
    private(set) var lines: [String] = []
    private var depth = 0

    /// An attribute list; `nil` values are skipped so optional styling reads naturally.
    typealias Attributes = [(String, String?)]

    /// Opens `<svg>` with a view box of `width × height` pixels and an accessible title.
    init(width: Double, height: Double, title: String) {
        open(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"),
                ("width", TextFormatting.coordinate(width)),
                ("height", TextFormatting.coordinate(height)),
                (
                    "viewBox",
                    "0 0 \(TextFormatting.coordinate(width)) \(TextFormatting.coordinate(height))"
                ),
                ("role", "img"),
                ("font-family", ChartStyle.fontFamily),
            ])
        if !title.isEmpty { element("title", [], text: title) }
    }

    /// A builder for markup to be inserted into another document at nesting `depth`.
    static func fragment(depth: Int) -> SVGBuilder {
        var builder = SVGBuilder()
        builder.depth = depth
        return builder
    }

    private init() {}

    /// `document` with `lines` inserted before its final closing tag.
    static func insert(_ lines: [String], beforeClosingTagOf document: String) -> String {
        var existing = document.split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        if existing.last == "" { existing.removeLast() }
        let closing = existing.removeLast()
        return (existing + lines + [closing]).joined(separator: "\n") + "\n"
    }

    /// Opens an element that will contain others; close it with `close`.
    mutating func open(_ name: String, _ attributes: Attributes) {
        lines.append(indent + "<" + name + Self.render(attributes) + ">")
        depth += 1
    }

    /// Closes the innermost open element `name`.
    mutating func close(_ name: String) {
        depth -= 1
        precondition(depth >= 0, "closing </\(name)> with nothing open")
        lines.append(indent + "</" + name + ">")
    }

    /// An element with no children, or with the escaped `text` as its only child.
    mutating func element(_ name: String, _ attributes: Attributes, text: String? = nil) {
        if let text {
            lines.append(
                indent + "<" + name + Self.render(attributes) + ">"
                    + TextFormatting.xmlEscaped(text) + "</" + name + ">")
        } else {
            lines.append(indent + "<" + name + Self.render(attributes) + "/>")
        }
    }

    /// A `<text>` element at (x, y) with the given anchor, size and optional extras.
    mutating func text(
        _ content: String, x: Double, y: Double, anchor: TextAnchor = .start,
        size: Double = ChartStyle.tickFontSize, extra: Attributes = []
    ) {
        element(
            "text",
            [
                ("x", TextFormatting.coordinate(x)), ("y", TextFormatting.coordinate(y)),
                ("font-size", TextFormatting.coordinate(size)),
                ("text-anchor", anchor == .start ? nil : anchor.rawValue),
            ] + extra,
            text: content)
    }

    /// A straight line from (x1, y1) to (x2, y2).
    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
        width: Double = 1, extra: Attributes = []
    ) {
        element(
            "line",
            [
                ("x1", TextFormatting.coordinate(x1)), ("y1", TextFormatting.coordinate(y1)),
                ("x2", TextFormatting.coordinate(x2)), ("y2", TextFormatting.coordinate(y2)),
                ("stroke", stroke), ("stroke-width", TextFormatting.coordinate(width)),
            ] + extra)
    }

    /// A rectangle with its top-left corner at (x, y).
    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String,
        extra: Attributes = []
    ) {
        element(
            "rect",
            [
                ("x", TextFormatting.coordinate(x)), ("y", TextFormatting.coordinate(y)),
                ("width", TextFormatting.coordinate(max(0, width))),
                ("height", TextFormatting.coordinate(max(0, height))), ("fill", fill),
            ] + extra)
    }

    /// The finished document, closing `<svg>`, with a final newline.
    func finished() -> String {
        var copy = self
        copy.close("svg")
        precondition(copy.depth == 0, "unclosed elements in SVG: depth \(copy.depth)")
        return copy.lines.joined(separator: "\n") + "\n"
    }

    private var indent: String { String(repeating: "  ", count: depth) }

    private static func render(_ attributes: Attributes) -> String {
        var result = ""
        for (name, value) in attributes {
            guard let value else { continue }
            result += " " + name + "=\"" + TextFormatting.xmlEscaped(value) + "\""
        }
        return result
    }
}

/// Horizontal alignment of SVG text relative to its x coordinate.
enum TextAnchor: String {
    case start
    case middle
    case end
}

/// Path data for a polyline through `points`: `M x y L x y …`.
func polylinePathData(_ points: [(x: Double, y: Double)]) -> String {
    var data = ""
    for (index, point) in points.enumerated() {
        data += (index == 0 ? "M" : " L")
        data += TextFormatting.coordinate(point.x) + " " + TextFormatting.coordinate(point.y)
    }
    return data
}

/// Path data for a closed polygon: `M … L … Z`.
func polygonPathData(_ points: [(x: Double, y: Double)]) -> String {
    points.isEmpty ? "" : polylinePathData(points) + " Z"
}
