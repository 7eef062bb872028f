import Foundation
import Testing

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
