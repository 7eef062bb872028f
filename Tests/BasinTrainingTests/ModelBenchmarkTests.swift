import BasinKernels
import BasinNetwork
import BasinTestSupport
import Testing

@testable import BasinTraining

@Suite("Model benchmark")
struct ModelBenchmarkTests {
    /// A small mlp on 1 × 2 × 2 images, so that every phase takes milliseconds.
    let configuration = ModelBenchmarkConfiguration(
        architecture: .mlp, inputShape: InputShape(channels: 1, height: 2, width: 2),
        classCount: 3, trainingBatchSize: 4, evaluationBatchSize: 10, seed: 7)
    let policy = TimingPolicy(warmUpCount: 1, minimumSeconds: 0, minimumRepeatCount: 3)

    @Test("images/s, products/s and the H·v to gradient ratio follow from the run times")
    func arithmetic() {
        // Three runs per phase, in phase order: training, evaluation, gradient, H·v,
        // repeated H·v.
        let clock = ScriptedClock(durations: [
            0.5, 0.25, 1,  // training: median 0.5 s, best 0.25 s for 4 images
            2, 2, 2,  // evaluation: 2 s for 10 images
            0.25, 0.125, 0.5,  // gradient: median 0.25 s, best 0.125 s
            1, 0.625, 0.75,  // H·v: median 0.75 s, best 0.625 s
            0.5, 0.5, 0.25,  // repeated H·v: median 0.5 s
        ])
        var phases: [ModelBenchmarkPhase] = []
        let result = ModelBenchmark.run(
            configuration, policy: policy, clock: clock.read, progress: { phases.append($0) })

        #expect(phases == ModelBenchmarkPhase.allCases)
        #expect(clock.remainingCount == 0)
        let tolerance = 1e-12
        expectClose(result.training.medianPerSecond, 8, absoluteTolerance: tolerance)
        expectClose(result.training.bestPerSecond, 16, absoluteTolerance: tolerance)
        expectClose(result.evaluation.medianPerSecond, 5, absoluteTolerance: tolerance)
        expectClose(result.gradient.medianPerSecond, 4, absoluteTolerance: tolerance)
        expectClose(
            result.hessianVectorProduct.medianPerSecond, 4.0 / 3, absoluteTolerance: tolerance)
        expectClose(result.hessianVectorProduct.bestPerSecond, 1.6, absoluteTolerance: tolerance)
        expectClose(result.hessianToGradientRatio, 3, absoluteTolerance: tolerance)
        expectClose(result.bestHessianToGradientRatio, 5, absoluteTolerance: tolerance)
        expectClose(
            result.repeatedHessianVectorProduct?.medianPerSecond ?? 0, 2,
            absoluteTolerance: tolerance)
        expectClose(result.repeatedHessianToGradientRatio ?? 0, 2, absoluteTolerance: tolerance)
    }

    @Test("the result names the model it measured and counts its parameters")
    func description() {
        let clock = ScriptedClock(durations: Array(repeating: 0.125, count: 15))
        let result = ModelBenchmark.run(configuration, policy: policy, clock: clock.read)
        // fc1 4·512 + 512, fc2 512·512 + 512, fc3 512·3 + 3.
        #expect(result.parameterCount == 2560 + 262_656 + 1539)
        #expect(result.configuration == configuration)
        #expect(result.threadCount >= 1)
    }

    @Test("synthetic images lie in [0, 1) and labels in 0..<K, the same for the same seed")
    func syntheticBatch() {
        var generator = SeededGenerator(seed: 3)
        let batch = ModelBenchmark.syntheticBatch(configuration, size: 50, generator: &generator)
        #expect(batch.images.count == 200)
        #expect(batch.images.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(batch.labels.count == 50)
        #expect(batch.labels.allSatisfy { (0..<3).contains($0) })
        #expect(Set(batch.labels).count == 3)
        var again = SeededGenerator(seed: 3)
        #expect(ModelBenchmark.syntheticBatch(configuration, size: 50, generator: &again) == batch)
    }
}
