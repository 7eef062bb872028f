import Foundation
import Testing

@testable import BasinCheckpoint

@Suite("The run manifest")
struct RunManifestTests {
    static let manifest = RunManifest(
        toolVersion: "0.1.0", architecture: "resnet20",
        configuration: ["schedule": "triangular", "batch-size": "128", "epochs": "30"],
        dataset: DatasetRecord(
            name: "embedded", trainingExampleCount: 10_000, testExampleCount: 2_000,
            normalizationMean: [0.2860], normalizationStandardDeviation: [0.3530]),
        seed: UInt64.max, threadCount: 2,
        checkpoints: [
            CheckpointRecord(
                file: "init.safetensors", kind: .initial, iteration: 0, epoch: 0,
                learningRate: 0.001, momentum: 0.95),
            CheckpointRecord(
                file: "cycle-001.safetensors", kind: .cycle, iteration: 800, epoch: 10, cycle: 1,
                learningRate: 0.1 + 0.2, momentum: 0.85),
        ])

    @Test("the manifest round-trips through run.json exactly")
    func roundTrip() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(RunManifest.fileName)
        try Self.manifest.write(to: url)
        #expect(try RunManifest(contentsOf: url) == Self.manifest)
    }

    @Test("run.json is pretty-printed with sorted snake_case keys")
    func layout() throws {
        let text = Self.manifest.encodedJSON()
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\"format_version\" : 1"))
        #expect(text.contains("\"seed\" : 18446744073709551615"))
        #expect(text.contains("\"learning_rate\" : 0.30000000000000004"))
        let keys = ["architecture", "checkpoints", "configuration", "dataset", "format_version"]
        let positions = keys.map { text.range(of: "\"\($0)\"")!.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test("a malformed manifest names the file and the field")
    func malformed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("run.json")
        var text = Self.manifest.encodedJSON()
        text = text.replacingOccurrences(
            of: "\"thread_count\" : 2", with: "\"thread_count\" : \"two\"")
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect(
            throws: CheckpointError.malformedManifest(
                path: url.path, reason: "thread_count: expected Int")
        ) { try RunManifest(contentsOf: url) }

        try "{\"format_version\": 1}".write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try RunManifest(contentsOf: url)
            Issue.record("an incomplete manifest was accepted")
        } catch {
            #expect("\(error)".contains("missing field"))
            #expect("\(error)".contains(url.path))
        }
        try "not json".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: CheckpointError.malformedManifest(path: url.path, reason: "not valid JSON"))
        {
            try RunManifest(contentsOf: url)
        }
    }
}
