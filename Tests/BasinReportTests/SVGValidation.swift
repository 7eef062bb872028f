import Foundation
import Testing

@testable import BasinReport

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses `text` as XML and records an issue naming the line and column of the first
/// error, if any. Returns the element names in document order.
@discardableResult
func expectWellFormedXML(
    _ text: String, sourceLocation: SourceLocation = #_sourceLocation
) -> [String] {
    let parser = XMLParser(data: Data(text.utf8))
    let collector = ElementCollector()
    parser.delegate = collector
    let parsed = parser.parse()
    let problem = parser.parserError.map(String.init(describing:)) ?? "unknown error"
    #expect(
        parsed,
        "not well-formed XML at \(parser.lineNumber):\(parser.columnNumber): \(problem)",
        sourceLocation: sourceLocation)
    return collector.elements
}

/// Collects element names and the text of `<text>` elements.
final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        elements.append(elementName)
    }
}

/// The number of times `needle` occurs in `text`.
func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

/// The values of attribute `name` on every element, in order (`name="…"`).
func attributeValues(_ name: String, in text: String) -> [String] {
    let parts = text.components(separatedBy: " \(name)=\"").dropFirst()
    return parts.map { String($0.prefix { $0 != "\"" }) }
}

/// Horizontal extents of the unrotated `<text>` elements of an SVG written by this module,
/// estimated with the same width model the layout uses: (text, left, right).
func textExtents(in svg: String) -> [(text: String, left: Double, right: Double)] {
    var extents: [(String, Double, Double)] = []
    for line in svg.split(separator: "\n") where line.contains("<text ") {
        guard !line.contains("transform="),
            let x = attributeValues("x", in: String(line)).first.flatMap(Double.init),
            let size = attributeValues("font-size", in: String(line)).first.flatMap(Double.init),
            let open = line.firstIndex(of: ">"), let close = line.range(of: "</text>")
        else { continue }
        let content = String(line[line.index(after: open)..<close.lowerBound])
            .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(
                of: "&lt;", with: "<"
            )
            .replacingOccurrences(of: "&gt;", with: ">")
        let width = ChartStyle.textWidth(content, fontSize: size)
        let anchor = attributeValues("text-anchor", in: String(line)).first ?? "start"
        let left = anchor == "end" ? x - width : anchor == "middle" ? x - width / 2 : x
        extents.append((content, left, left + width))
    }
    return extents
}
