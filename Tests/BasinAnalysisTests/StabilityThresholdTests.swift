import BasinTestSupport
import Testing

@testable import BasinAnalysis

/// |θ_T| after `steps` iterations on f = λθ²/2 from θ₀ = 1 (PyTorch update rules).
private func finalMagnitude(
    curvature: Double, learningRate: Double, momentum: Double, nesterov: Bool, steps: Int = 4000
) -> Double {
    var theta = 1.0
    var velocity = 0.0
    for _ in 0..<steps {
        let gradient = curvature * theta
        velocity = momentum * velocity + gradient
        theta -= learningRate * (nesterov ? gradient + momentum * velocity : velocity)
    }
    return abs(theta)
}

@Suite("Stability thresholds")
struct StabilityThresholdTests {
    @Test("closed forms")
    func closedForms() {
        expectClose(
            StabilityThreshold.gradientDescent(learningRate: 0.1), 20, absoluteTolerance: 1e-12)
        expectClose(
            StabilityThreshold.heavyBall(learningRate: 0.1, momentum: 0.9), 38,
            absoluteTolerance: 1e-12)
        expectClose(
            StabilityThreshold.nesterov(learningRate: 0.1, momentum: 0.9), 38 / 2.8,
            absoluteTolerance: 1e-12)
        expectClose(
            StabilityThreshold.adamPreconditioned(learningRate: 1, beta1: 0.9), 38,
            absoluteTolerance: 1e-12)
        expectClose(
            StabilityThreshold.sgd(learningRate: 0.1, momentum: 0, nesterov: true), 20,
            absoluteTolerance: 1e-12)
    }

    @Test(
        "a quadratic 1% below the threshold converges and 1% above diverges",
        arguments: [(0.0, false), (0.9, false), (0.9, true), (0.5, true)])
    func simulated(momentum: Double, nesterov: Bool) {
        let learningRate = 0.1
        let threshold = StabilityThreshold.sgd(
            learningRate: learningRate, momentum: momentum, nesterov: nesterov)
        let below = finalMagnitude(
            curvature: 0.99 * threshold, learningRate: learningRate, momentum: momentum,
            nesterov: nesterov)
        let above = finalMagnitude(
            curvature: 1.01 * threshold, learningRate: learningRate, momentum: momentum,
            nesterov: nesterov)
        #expect(below < 1e-3, "below threshold: |θ| = \(below)")
        #expect(above > 1e3, "above threshold: |θ| = \(above)")
    }
}
