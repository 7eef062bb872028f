import BasinData
import BasinNetwork
import Testing

@testable import BasinTraining

@Suite("Split evaluation")
struct SplitEvaluationTests {
    @Test("the example-weighted mean does not depend on the evaluation batch size")
    func batchSizeIndependence() throws {
        let model = TinyProblem.model()
        let normalization = TinyProblem.normalization
        let split = TinyProblem.dataset.test
        let whole = model.evaluate(
            try EvaluationBatcher(split: split, batchSize: 30, normalization: normalization),
            mode: .running)
        // 30 = 4·7 + 2: a partial last batch.
        let pieces = model.evaluate(
            try EvaluationBatcher(split: split, batchSize: 7, normalization: normalization),
            mode: .running)
        #expect(abs(whole.loss - pieces.loss) < 1e-6)
        #expect(whole.accuracy == pieces.accuracy)
        #expect(pieces.exampleCount == 30)
    }

    @Test("the accumulator weights batch means by their sizes")
    func accumulator() {
        var accumulator = MetricsAccumulator()
        #expect(accumulator.metrics.loss.isNaN)
        accumulator.add(BatchResult(loss: 1.0, correctCount: 3, count: 4))
        accumulator.add(BatchResult(loss: 4.0, correctCount: 0, count: 2))
        // (1·4 + 4·2)/6 = 2; 3 correct of 6.
        #expect(accumulator.metrics == SplitMetrics(loss: 2, accuracy: 0.5, exampleCount: 6))
    }
}
