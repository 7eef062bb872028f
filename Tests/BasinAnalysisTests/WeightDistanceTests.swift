import BasinTestSupport
import Foundation
import Testing

@testable import BasinAnalysis

@Suite("Weight distance")
struct WeightDistanceTests {
    @Test("distance, cosine and per-tensor relative distance match hand computation")
    func handComputed() {
        // a = (3, 4 | 1, 0), b = (3, 4 | 0, 1): the first tensor is unchanged, the second
        // turns by 90 degrees; ‖b − a‖ = √2, ‖a‖ = √26.
        let a: [Float] = [3, 4, 1, 0]
        let b: [Float] = [3, 4, 0, 1]
        let result = WeightDistance(a, b, slices: [("w", 0..<2), ("v", 2..<4)])
        expectClose(result.distance, 2.0.squareRoot(), absoluteTolerance: 1e-12)
        expectClose(result.cosineSimilarity, 25.0 / 26, absoluteTolerance: 1e-12)
        expectClose(result.relativeDistance, (2.0 / 26).squareRoot(), absoluteTolerance: 1e-12)
        #expect(result.layers.map(\.name) == ["w", "v"])
        #expect(result.layers[0].distance == 0)
        #expect(result.layers[0].cosineSimilarity == 1)
        expectClose(result.layers[1].relativeDistance, 2.0.squareRoot(), absoluteTolerance: 1e-12)
        #expect(result.layers[1].cosineSimilarity == 0)
    }

    @Test("a zero vector has an undefined cosine rather than a made-up one")
    func zeroVector() {
        let result = WeightDistance([0, 0], [1, 2], slices: [])
        #expect(result.cosineSimilarity.isNaN)
        #expect(result.relativeDistance == .infinity)
    }
}

@Suite("Prediction comparison")
struct PredictionComparisonTests {
    let logits: [Float] = [
        2, 1, 0,
        0, 3, 1,
        1, 1, 5,
        0, 0, 0,
    ]

    @Test("predicted classes take the first largest logit")
    func predicted() {
        #expect(
            PredictionComparison.predictedClasses(logits: logits, classCount: 3) == [0, 1, 2, 0])
    }

    @Test("a model's disagreement with itself is zero, and counts differing labels otherwise")
    func disagreement() {
        let predictions = PredictionComparison.predictedClasses(logits: logits, classCount: 3)
        #expect(PredictionComparison.disagreement(predictions, predictions) == 0)
        #expect(PredictionComparison.disagreement(predictions, [0, 1, 1, 1]) == 0.5)
    }

    @Test("the ensemble of probabilities gives the loss of the averaged softmax")
    func ensembleLoss() {
        let probabilities = PredictionComparison.probabilities(logits: [0, 0], classCount: 2)
        let result = PredictionComparison.lossAndError(
            probabilities: probabilities, labels: [1], classCount: 2)
        expectClose(result.loss, log(2.0), absoluteTolerance: 1e-12)
        #expect(result.error == 1)  // a tie predicts the first class
    }
}
