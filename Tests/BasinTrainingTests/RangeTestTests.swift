import BasinData
import BasinKernels
import BasinNetwork
import Foundation
import Testing

@testable import BasinTraining

@Suite("LR range test")
struct RangeTestTests {
    static func batcher() throws -> TrainingBatcher {
        try TrainingBatcher(
            split: TinyProblem.dataset.train, batchSize: 8,
            normalization: TinyProblem.normalization, generator: TrainingSeeds.batcher(seed: 1))
    }

    @Test("an exponential sweep into huge rates stops early and restores the weights")
    func stopsAndRestores() throws {
        let model = TinyProblem.model()
        let before = (model.parameters, model.runningStatistics, model.batchesTracked)
        let ramp = RangeTestRamp(
            shape: .exponential, startLearningRate: 1e-4, endLearningRate: 1e4,
            rampIterations: 80)
        var seen = 0
        let result = runRangeTest(
            model: model, batcher: try Self.batcher(),
            configuration: RangeTestConfiguration(ramp: ramp), observer: { _ in seen += 1 })
        #expect(result.stop != .completed)
        #expect(result.points.count < 80)
        #expect(seen == result.points.count)
        #expect(model.parameters == before.0)
        #expect(model.runningStatistics == before.1)
        #expect(model.batchesTracked == before.2)
        if case .lossExploded(let smoothed, let best) = result.stop {
            #expect(smoothed > 4 * best)
            #expect(result.points.last!.smoothedLoss == smoothed)
        }
        // Rates follow the ramp.
        for point in result.points {
            #expect(abs(point.learningRate - ramp.value(at: point.iteration).learningRate) < 1e-15)
        }
    }

    @Test("the smoothed loss is the debiased moving average of the raw losses")
    func smoothing() throws {
        let ramp = RangeTestRamp(
            shape: .exponential, startLearningRate: 1e-5, endLearningRate: 1e-2,
            rampIterations: 12)
        let result = runRangeTest(
            model: TinyProblem.model(), batcher: try Self.batcher(),
            configuration: RangeTestConfiguration(ramp: ramp, smoothingFactor: 0.9))
        #expect(result.stop == .completed)
        #expect(result.points.count == 12)
        // Closed form: s_n = Σ_k β^(n−k)(1−β)L_k / (1 − βⁿ).
        for n in 1...12 {
            var sum = 0.0
            for k in 1...n {
                sum += pow(0.9, Double(n - k)) * 0.1 * result.points[k - 1].loss
            }
            let expected = sum / (1 - pow(0.9, Double(n)))
            #expect(abs(result.points[n - 1].smoothedLoss - expected) < 1e-12)
        }
    }

    @Test("a linear sweep measures the held-out split every M steps, from step 0")
    func heldOutMeasurements() throws {
        let ramp = RangeTestRamp(shape: .linear, endLearningRate: 0.5, rampIterations: 20)
        let heldOut = try EvaluationBatcher(
            split: TinyProblem.dataset.test, batchSize: 30,
            normalization: TinyProblem.normalization)
        let result = runRangeTest(
            model: TinyProblem.model(), batcher: try Self.batcher(), heldOut: heldOut,
            configuration: RangeTestConfiguration(
                ramp: ramp, stopFactor: nil, evaluationPeriodIterations: 5))
        #expect(result.evaluations.map(\.iteration) == [0, 5, 10, 15, 20])
        // The rate of the last step taken: 0.5·(k − 1)/20.
        let expected = [0, 0.1, 0.225, 0.35, 0.475]
        for (found, rate) in zip(result.evaluations.map(\.learningRate), expected) {
            #expect(abs(found - rate) < 1e-15)
        }
        #expect(result.suggestions.contains { $0.name == "smith-clr-min" })
    }

    @Test("the moving average starts at the first value")
    func movingAverage() {
        var average = DebiasedMovingAverage(smoothingFactor: 0.98)
        #expect(average.adding(3) == 3)
        // (0.98·0.02·3 + 0.02·5) / (1 − 0.98²).
        let expected = (0.98 * 0.02 * 3 + 0.02 * 5) / (1 - 0.98 * 0.98)
        #expect(abs(average.adding(5) - expected) < 1e-12)
    }
}

@Suite("LR range test suggestions")
struct RangeTestSuggestionTests {
    /// Rates 10^x for x from −4 to 1 in 101 steps, smoothed loss (x + 1)² + 1: lowest at
    /// η = 0.1, falling fastest at the smallest rate kept.
    static let points: [RangeTestPoint] = (0...100).map { index in
        let exponent = -4 + 5 * Double(index) / 100
        return RangeTestPoint(
            iteration: index, learningRate: pow(10, exponent), loss: 0,
            smoothedLoss: (exponent + 1) * (exponent + 1) + 1)
    }

    func rate(_ name: String, _ suggestions: [LearningRateSuggestion]) -> Double? {
        suggestions.first { $0.name == name }?.learningRate
    }

    @Test("steepest, valley and minimum/10 on a parabola in log rate")
    func lossCurve() {
        let suggestions = suggestLearningRates(points: Self.points, evaluations: [])
        // The first 10 points are dropped: the steepest slope is at point 10, x = −3.5.
        #expect(abs(rate("steepest", suggestions)! - pow(10, -3.5)) < 1e-12)
        // The minimum is at x = −1 (point 60).
        #expect(abs(rate("minimum/10", suggestions)! - 0.01) < 1e-12)
        // The longest decreasing run covers points 10…60: its middle is point 35, x = −2.25.
        #expect(abs(rate("valley", suggestions)! - pow(10, -2.25)) < 1e-12)
        #expect(suggestions.count == 3)
    }

    @Test("a NaN ends the usable part of the curve")
    func nanTruncates() {
        var points = Array(Self.points.prefix(60))
        points[40].smoothedLoss = .nan
        let suggestions = suggestLearningRates(points: points, evaluations: [])
        // Usable: points 6 ..< 35 (first 6 and last 5 of the 40 before the NaN dropped).
        let minimum = rate("minimum/10", suggestions)!
        #expect(abs(minimum - pow(10, -4 + 5 * 34.0 / 100) / 10) < 1e-12)
    }

    @Test("Smith's bounds come from the held-out peak accuracy and lowest loss")
    func smithBounds() {
        let evaluations = [
            RangeTestEvaluation(iteration: 0, learningRate: 0, loss: 2.3, accuracy: 0.1),
            RangeTestEvaluation(iteration: 10, learningRate: 0.2, loss: 0.9, accuracy: 0.7),
            RangeTestEvaluation(iteration: 20, learningRate: 0.4, loss: 0.6, accuracy: 0.8),
            RangeTestEvaluation(iteration: 30, learningRate: 0.6, loss: 0.7, accuracy: 0.85),
            RangeTestEvaluation(iteration: 40, learningRate: 0.8, loss: 1.5, accuracy: 0.5),
        ]
        let suggestions = suggestLearningRates(points: [], evaluations: evaluations)
        #expect(rate("smith-max-accuracy", suggestions) == 0.6)
        #expect(rate("smith-max-loss", suggestions) == 0.4)
        let clr = suggestions.first { $0.name == "smith-clr-min" }!
        #expect(clr.lowerLearningRate == 0.1)
        #expect(abs(clr.upperLearningRate! - 0.4 / 3) < 1e-15)
        let oneCycle = suggestions.first { $0.name == "smith-onecycle-min" }!
        #expect(abs(oneCycle.lowerLearningRate! - 0.02) < 1e-15)
        #expect(abs(oneCycle.upperLearningRate! - 0.04) < 1e-15)
    }
}
