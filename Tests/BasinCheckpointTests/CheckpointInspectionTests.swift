import BasinNetwork
import BasinTestSupport
import Foundation
import Testing

@testable import BasinCheckpoint

@Suite("Inspecting a checkpoint")
struct CheckpointInspectionTests {
    /// Tensors whose statistics are known in closed form: ‖(3, −4)‖ = 5; ‖(1, 2, 2)‖ = 3.
    static func sampleFile() throws -> SafetensorsFile {
        let tensors = [
            floatTensor("layer10.weight", [2], [3, -4]),
            floatTensor("layer2.weight", [1, 3], [1, 2, 2]),
            floatTensor("diverged", [3], [.nan, 1, .infinity]),
            floatTensor("empty", [0], []),
            NamedTensor(name: "layer2.num_batches_tracked", shape: [], values: .int64([7])),
        ]
        let metadata = CheckpointMetadata(
            kind: .cycle, architecture: "mlp", iteration: 100, cycle: 1, learningRate: 0.01)
        return try SafetensorsFile(
            bytes: encodeSafetensors(tensors, metadata: metadata.encoded()),
            path: "run/cycle-001.safetensors")
    }

    @Test("statistics: L2 norm, extremes ignoring NaN, non-finite count")
    func statistics() throws {
        let inspection = CheckpointInspection(try Self.sampleFile())
        let byName = Dictionary(uniqueKeysWithValues: inspection.tensors.map { ($0.name, $0) })
        expectClose(byName["layer10.weight"]!.l2Norm!, 5, absoluteTolerance: 1e-12)
        expectClose(byName["layer2.weight"]!.l2Norm!, 3, absoluteTolerance: 1e-12)
        #expect(byName["layer10.weight"]!.minimum == -4)
        #expect(byName["layer10.weight"]!.maximum == 3)
        #expect(byName["diverged"]!.l2Norm!.isNaN)
        #expect(byName["diverged"]!.minimum == 1)
        #expect(byName["diverged"]!.maximum == .infinity)
        #expect(byName["diverged"]!.nonFiniteCount == 2)
        #expect(byName["empty"]!.minimum == nil)
        #expect(byName["empty"]!.l2Norm == 0)
        #expect(byName["layer2.num_batches_tracked"]!.maximum == 7)
        #expect(inspection.floatElementCount == 8)
    }

    @Test("tensors are listed in natural name order")
    func order() throws {
        let inspection = CheckpointInspection(try Self.sampleFile())
        #expect(
            inspection.tensors.map(\.name) == [
                "diverged", "empty", "layer2.num_batches_tracked", "layer2.weight",
                "layer10.weight",
            ])
        #expect(naturalPrecedes("a9", "a10"))
        #expect(!naturalPrecedes("a10", "a9"))
        #expect(naturalPrecedes("a.0.b", "a.0.c"))
    }

    @Test("a dtype Basin does not convert is listed without statistics")
    func unconverted() throws {
        let header = "{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}"
        let file = try SafetensorsFile(bytes: rawSafetensors(header: header, data: [1, 2]))
        let summary = CheckpointInspection(file).tensors[0]
        #expect(summary.dtype == "F8_E4M3")
        #expect(summary.elementCount == 2)
        #expect(summary.l2Norm == nil && summary.minimum == nil)
    }

    @Test("the text table matches its snapshot")
    func table() throws {
        let text = CheckpointInspection(try Self.sampleFile()).table()
        try expectSnapshot(
            text, named: "inspection-table.txt",
            in: fixturesSourceFolder())
    }

    @Test("the JSON form parses and carries metadata and statistics")
    func json() throws {
        let text = CheckpointInspection(try Self.sampleFile()).json()
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(object["path"] as? String == "run/cycle-001.safetensors")
        let metadata = object["metadata"] as! [String: String]
        #expect(metadata["learning_rate"] == "0.01")
        let tensors = object["tensors"] as! [[String: Any]]
        #expect(tensors.count == 5)
        let diverged = tensors.first { $0["name"] as? String == "diverged" }!
        #expect(diverged["l2_norm"] as? String == "nan")
        #expect(diverged["max"] as? String == "inf")
        #expect(text.contains("\"shape\" : [\n"))
    }
}
