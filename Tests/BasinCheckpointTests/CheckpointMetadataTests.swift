import Testing

@testable import BasinCheckpoint

@Suite("Checkpoint metadata")
struct CheckpointMetadataTests {
    @Test("every field round-trips through the string map, doubles bit for bit")
    func roundTrip() throws {
        let metadata = CheckpointMetadata(
            kind: .cycle, architecture: "resnet20", inputShape: [3, 32, 32], classCount: 10,
            iteration: 12_345, epoch: 17, cycle: 3, learningRate: 0.1 + 0.2,
            momentum: 0.85, weightDecay: 5e-4, optimizer: "sgd", seed: .max,
            dataset: "fashion-mnist", trainLoss: 1.0 / 3.0, trainAccuracy: 0.9876,
            testLoss: .nan, testAccuracy: 0x1p-1074, extra: ["note": "tuned"])
        let map = metadata.encoded()
        #expect(map["learning_rate"] == "0.30000000000000004")
        #expect(map["input_shape"] == "[3, 32, 32]")
        #expect(map["kind"] == "cycle")
        #expect(map["basin_format_version"] == "1")
        let decoded = try CheckpointMetadata(decoding: map, path: "x")
        #expect(decoded.learningRate?.bitPattern == metadata.learningRate?.bitPattern)
        #expect(decoded.trainLoss?.bitPattern == metadata.trainLoss?.bitPattern)
        #expect(decoded.testAccuracy?.bitPattern == metadata.testAccuracy?.bitPattern)
        #expect(decoded.testLoss?.isNaN == true)
        var comparable = decoded
        comparable.testLoss = metadata.testLoss
        #expect(comparable.encoded() == map)
        #expect(decoded.seed == .max)
        #expect(decoded.extra == ["note": "tuned"])
    }

    @Test("a file without metadata decodes to all nils, and unknown keys land in extra")
    func tolerant() throws {
        let empty = try CheckpointMetadata(decoding: [:], path: "x")
        #expect(empty.formatVersion == nil)
        #expect(empty.kind == nil && empty.learningRate == nil && empty.inputShape == nil)
        let pytorch = try CheckpointMetadata(decoding: ["format": "pt"], path: "x")
        #expect(pytorch.extra == ["format": "pt"])
    }

    @Test(
        "a malformed value is an error naming its key",
        arguments: [
            ("iteration", "1.5"), ("epoch", ""), ("seed", "-1"), ("learning_rate", "fast"),
            ("kind", "best"), ("input_shape", "[1, x]"), ("input_shape", "1, 28, 28"),
            ("input_shape", "[0, 28]"), ("basin_format_version", "one"),
        ])
    func malformed(key: String, value: String) {
        #expect(
            throws: CheckpointError.self
        ) { try CheckpointMetadata(decoding: [key: value], path: "f.safetensors") }
        do {
            _ = try CheckpointMetadata(decoding: [key: value], path: "f.safetensors")
        } catch {
            guard
                case .malformedMetadataValue("f.safetensors", key, value, _) = error
                    as? CheckpointError
            else {
                Issue.record("expected malformedMetadataValue for \(key), got \(error)")
                return
            }
        }
    }

    @Test("shapes parse with or without spaces; the empty shape is []")
    func shapes() {
        #expect(parseShape("[1,28,28]") == [1, 28, 28])
        #expect(parseShape("[ 3, 32 ,32 ]") == [3, 32, 32])
        #expect(parseShape("[]") == [])
        #expect(parseShape("[1,,2]") == nil)
        #expect(encodeShape([1, 28, 28]) == "[1, 28, 28]")
    }
}
