import BasinCheckpoint
import BasinData
import BasinKernels
import BasinNetwork
import Foundation
import Testing

@testable import BasinAnalysis

@Suite("Analysis inputs: evaluation sets, checkpoints, metric checks")
struct AnalysisInputsTests {
    @Test("an evaluation set keeps every example once, in order, with a partial last batch")
    func evaluationSetFromSplit() throws {
        let split = DataSplit(
            shape: ImageShape(channels: 1, height: 2, width: 2),
            images: (0..<(5 * 4)).map { UInt8($0) }, labels: [0, 1, 2, 3, 4])
        let set = try EvaluationSet(
            name: "test", split: split, batchSize: 2, normalization: .unit(channels: 1))
        #expect(set.batches.map(\.labels.count) == [2, 2, 1])
        #expect(set.labels == [0, 1, 2, 3, 4])
        // Unit normalisation maps byte p to p/255.
        #expect(set.batches[2].images == (16..<20).map { Float($0) / 255 })
        #expect(throws: AnalysisError.self) {
            try EvaluationSet(
                name: "t", split: split, batchSize: 0, normalization: .unit(channels: 1))
        }
    }

    @Test("zoo architectures are recognised from their state_dict names")
    func inferArchitecture() {
        #expect(ModelHints.inferArchitecture(names: ["fc1.weight", "fc3.weight"]) == .mlp)
        #expect(ModelHints.inferArchitecture(names: ["conv3.weight", "fc.weight"]) == .cnn)
        #expect(
            ModelHints.inferArchitecture(names: ["conv1.weight", "layer1.2.conv1.weight"])
                == .resnet20)
        #expect(ModelHints.inferArchitecture(names: ["layer1.8.bn2.weight"]) == .resnet56)
        #expect(ModelHints.inferArchitecture(names: ["weight"]) == nil)
    }

    @Test("a file without metadata is loaded with the architecture and classes it implies")
    func checkpointWithoutMetadata() throws {
        var generator = SeededGenerator(seed: 4)
        let shape = InputShape(channels: 1, height: 3, width: 3)
        let model = Model(
            architecture: .mlp, inputShape: shape, classCount: 4, generator: &generator)
        // As PyTorch would save it: the tensors and no model description.
        let checkpoint = Checkpoint(tensors: model.stateDict(), metadata: CheckpointMetadata())
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "basin-hints-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try checkpoint.write(to: url)
        let loaded = try AnalysisCheckpoint(contentsOf: url, hints: ModelHints(inputShape: shape))
        #expect(loaded.model.classCount == 4)
        #expect(loaded.specificationSource == "tensor names")
        #expect(loaded.model.parameters == model.parameters)
        #expect(throws: AnalysisError.self) { try AnalysisCheckpoint(contentsOf: url) }
    }

    @Test("recorded test metrics are matched within tolerance and a far-off loss is flagged")
    func metricCheck() {
        let recorded = CheckpointMetadata(testLoss: 0.5, testAccuracy: 0.9)
        let close = MetricCheck(
            metadata: recorded, evaluatedTest: LossAndError(loss: 0.5002, error: 0.1),
            testExampleCount: 2000)
        #expect(close.status == .match)
        let far = MetricCheck(
            metadata: recorded, evaluatedTest: LossAndError(loss: 0.61, error: 0.1),
            testExampleCount: 2000)
        #expect(far.status == .mismatch)
        let wrongError = MetricCheck(
            metadata: recorded, evaluatedTest: LossAndError(loss: 0.5, error: 0.2),
            testExampleCount: 2000)
        #expect(wrongError.status == .mismatch)
        #expect(
            MetricCheck(metadata: CheckpointMetadata(), evaluatedTest: nil, testExampleCount: 1)
                .status == .notRecorded)
        #expect(
            MetricCheck(metadata: recorded, evaluatedTest: nil, testExampleCount: 1).status
                == .notComparable)
    }
}
