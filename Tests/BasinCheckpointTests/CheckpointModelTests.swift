import BasinKernels
import BasinNetwork
import Foundation
import Testing

@testable import BasinCheckpoint

@Suite("Checkpoints of zoo models")
struct CheckpointModelTests {
    func mlp(seed: UInt64) -> Model {
        var generator = SeededGenerator(seed: seed)
        return Model(
            architecture: .mlp, inputShape: InputShape(channels: 1, height: 4, width: 4),
            classCount: 3, generator: &generator)
    }

    @Test("a model saved and loaded into a fresh one gives back its state_dict exactly")
    func roundTrip() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("final.safetensors")
        let saved = mlp(seed: 1)
        try Checkpoint(model: saved, metadata: CheckpointMetadata(kind: .final, seed: 1))
            .write(to: url)

        let read = try Checkpoint(contentsOf: url)
        let specification = try read.modelSpecification()
        #expect(
            specification
                == ModelSpecification(
                    architecture: .mlp, inputShape: InputShape(channels: 1, height: 4, width: 4),
                    classCount: 3))
        let loaded = mlp(seed: 2)
        #expect(loaded.parameters != saved.parameters)
        try read.load(into: loaded)
        #expect(loaded.stateDict() == saved.stateDict())
    }

    @Test("loading into a model of another shape names the file and leaves the model as it was")
    func mismatch() throws {
        let checkpoint = Checkpoint(model: mlp(seed: 1), metadata: CheckpointMetadata())
        var generator = SeededGenerator(seed: 3)
        let other = Model(
            architecture: .mlp, inputShape: InputShape(channels: 1, height: 4, width: 4),
            classCount: 5, generator: &generator)
        let before = other.stateDict()
        do {
            try checkpoint.load(into: other)
            Issue.record("a model with 5 classes accepted a 3-class checkpoint")
        } catch let error as CheckpointError {
            guard case .layoutMismatch("<memory>", let problems) = error else {
                Issue.record("expected layoutMismatch, got \(error)")
                return
            }
            #expect(problems.allSatisfy { if case .shapeMismatch = $0 { true } else { false } })
            #expect(!problems.isEmpty)
        }
        #expect(other.stateDict() == before)
    }

    @Test("a file without model metadata, or with a wrong one, says which key")
    func specificationErrors() {
        let bare = Checkpoint(tensors: [], metadata: CheckpointMetadata())
        #expect(
            throws: CheckpointError.missingMetadata(
                path: "<memory>", key: "architecture", purpose: "building the model")
        ) { try bare.modelSpecification() }
        let unknown = Checkpoint(
            tensors: [],
            metadata: CheckpointMetadata(
                architecture: "vgg16", inputShape: [1, 2, 2], classCount: 2))
        #expect(throws: CheckpointError.self) { try unknown.modelSpecification() }
        let flat = Checkpoint(
            tensors: [],
            metadata: CheckpointMetadata(architecture: "mlp", inputShape: [784], classCount: 10))
        #expect(
            throws: CheckpointError.malformedMetadataValue(
                path: "<memory>", key: "input_shape", value: "[784]",
                expected: "[channels, height, width], all positive")
        ) { try flat.modelSpecification() }
    }
}
