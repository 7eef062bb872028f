import BasinCheckpoint
import BasinKernels
import BasinNetwork
import Foundation
import Testing

@testable import BasinCommandLine

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A fresh temporary folder for one test.
func temporaryFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("basin-\(name)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A seeded mlp for the embedded data (1×28×28, ten classes).
func embeddedMLP(seed: UInt64) -> Model {
    var generator = SeededGenerator(seed: seed)
    return Model(
        architecture: .mlp, inputShape: InputShape(channels: 1, height: 28, width: 28),
        classCount: 10, generator: &generator)
}

/// Writes `model` as a checkpoint at iteration 100 with η = 0.1, μ = 0.9 on the embedded
/// data and returns its URL.
@discardableResult
func writeCheckpoint(
    _ model: Model, in folder: URL, name: String = "final", iteration: Int? = 100,
    learningRate: Double? = 0.1, momentum: Double? = 0.9
) throws -> URL {
    let url = folder.appendingPathComponent("\(name).safetensors")
    try Checkpoint(
        model: model,
        metadata: CheckpointMetadata(
            kind: .snapshot, iteration: iteration, learningRate: learningRate,
            momentum: momentum, dataset: "embedded")
    ).write(to: url)
    return url
}

/// The JSON object in the file at `url`.
func readJSONObject(_ url: URL) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    return try #require(object as? [String: Any], "\(url.path) is not a JSON object")
}

/// Whether `text` parses as XML with an `svg` root.
func isWellFormedSVG(_ text: String) -> Bool {
    final class RootRecorder: NSObject, XMLParserDelegate {
        var root: String?
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            if root == nil { root = name }
        }
    }
    let parser = XMLParser(data: Data(text.utf8))
    let recorder = RootRecorder()
    parser.delegate = recorder
    return parser.parse() && recorder.root == "svg"
}

/// Checks every JSON, CSV and SVG file of an output folder: each parses, and every CSV
/// has its header and at least one row.
func expectWellFormedOutputs(in folder: URL, sourceLocation: SourceLocation = #_sourceLocation)
    throws
{
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(names.contains("report.md") && names.contains("report.html"))
    for name in names {
        let url = folder.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        if name.hasSuffix(".json") {
            _ = try readJSONObject(url)
        } else if name.hasSuffix(".csv") {
            let table = try CSVTable.read(text)
            #expect(!table.columns.isEmpty && !table.rows.isEmpty, "\(name)")
        } else if name.hasSuffix(".svg") {
            #expect(isWellFormedSVG(text), "\(name) is not well-formed SVG")
        }
    }
}
