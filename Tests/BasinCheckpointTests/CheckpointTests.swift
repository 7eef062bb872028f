import BasinNetwork
import Foundation
import Testing

@testable import BasinCheckpoint

@Suite("Checkpoints")
struct CheckpointTests {
    @Test("a checkpoint round-trips through a file with its metadata")
    func roundTrip() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("cycle-002.safetensors")
        let checkpoint = Checkpoint(
            tensors: SafetensorsWriterTests.interopTensors,
            metadata: CheckpointMetadata(
                kind: .cycle, iteration: 200, cycle: 2, learningRate: 0.004))
        try checkpoint.write(to: url)
        let read = try Checkpoint(contentsOf: url)
        #expect(read.metadata == checkpoint.metadata)
        for tensor in checkpoint.tensors {
            #expect(read.tensor(named: tensor.name) == tensor)
        }
        #expect(read.tensors.count == checkpoint.tensors.count)
    }

    /// `Fixtures/python-written.safetensors` was written by `safetensors.torch.save` from a
    /// PyTorch module (`fc: Linear(3, 2)`, `bn: BatchNorm1d(2)`) with the values set in
    /// `scripts/check-safetensors-interop.py` (`python_fixture_tensors`).
    @Test("a file written by safetensors.torch from a state_dict reads with every dtype")
    func pythonWritten() throws {
        let checkpoint = try Checkpoint(contentsOf: fixtureURL("python-written.safetensors"))
        #expect(checkpoint.metadata.formatVersion == nil)
        #expect(checkpoint.metadata.architecture == "interop-mlp")
        #expect(checkpoint.metadata.learningRate == 0.1)
        #expect(checkpoint.metadata.extra == ["format": "pt"])

        let expected: [String: TensorValues] = [
            "fc.weight": .float32([-0.75, -0.375, 0, 0.375, 0.75, 1.125]),
            "fc.bias": .float32([0.25, -1]),
            "bn.weight": .float32([2, 0.5]),
            "bn.bias": .float32([0, -0.125]),
            "bn.running_mean": .float32([0.25, -0.5]),
            "bn.running_var": .float32([2, 0.5]),
            "bn.num_batches_tracked": .int64([3]),
            "extra.half": .float32([0.5, -2, 65504, 0x1p-24]),
            "extra.bfloat": .float32([1.5, -0.15625]),
            // F64 0.1 rounds to the nearest Float; −1e300 is beyond Float's range.
            "extra.double": .float32([Float(0.1), -.infinity, 2.5]),
            "extra.int32": .int64([-7, 9]),
            "extra.uint8": .int64([0, 128, 255]),
            "extra.empty": .float32([]),
        ]
        #expect(Set(checkpoint.tensors.map(\.name)) == Set(expected.keys))
        for tensor in checkpoint.tensors {
            #expect(tensor.values == expected[tensor.name], "\(tensor.name)")
        }
        #expect(checkpoint.tensor(named: "fc.weight")?.shape == [2, 3])
        #expect(checkpoint.tensor(named: "bn.num_batches_tracked")?.shape == [])
        #expect(checkpoint.tensor(named: "extra.empty")?.shape == [0, 3])

        // The state_dict part matches the layout the Basin model would declare.
        let layout = SafetensorsWriterTests.interopTensors.map(TensorLayout.init(of:))
        let modelTensors = checkpoint.tensors.filter { !$0.name.hasPrefix("extra.") }
        #expect(try matchLayout(modelTensors, to: layout, path: "fixture").count == 7)
    }

    @Test("matching a read checkpoint to a model names the file in the error")
    func matchingNamesFile() throws {
        let url = fixtureURL("python-written.safetensors")
        let checkpoint = try Checkpoint(contentsOf: url)
        let layout = SafetensorsWriterTests.interopTensors.map(TensorLayout.init(of:))
        #expect(checkpoint.path == url.path)
        do {
            _ = try checkpoint.tensors(matching: layout)
            Issue.record("the extra tensors were not reported")
        } catch let error as CheckpointError {
            guard case .layoutMismatch(let path, let problems) = error else {
                Issue.record("expected layoutMismatch, got \(error)")
                return
            }
            #expect(path == url.path)
            #expect(problems.contains(.unexpected(name: "extra.half", foundShape: [4])))
            #expect(problems.count == 6)
        }
        let twin = Checkpoint(tensors: SafetensorsWriterTests.interopTensors, metadata: .init())
        #expect(Set(twin.layout.map(\.name)).isSubset(of: Set(checkpoint.layout.map(\.name))))
    }
}
