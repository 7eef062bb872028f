import BasinKernels
import BasinTestSupport
import Foundation
import Testing

@testable import BasinAnalysis

@Suite("Smith's secant estimate, as published")
struct SmithSecantEstimatorTests {
    private let problem = QuadraticProblem(
        eigenvalues: [4, 2, 1, 0.5, 0.3, 0.2, 0.1, 0.05], seed: 51)

    @Test("plain SGD along an eigenvector gives 1/λ, and the moving average its closed form")
    func eigenDirection() throws {
        // θₜ₊₁ = (1 − ηλ)θₜ along q (λ = 2, η = 0.1): Δᵢ₊₁ = (1 − ηλ)Δᵢ, so
        // ε·|Δᵢ|/|Δᵢ − Δᵢ₊₁| = 1/λ = 0.5 for every weight, and m_k = 1/λ + (0.1 − 1/λ)·0.9^k.
        let snapshots = problem.pytorchTrajectory(
            from: problem.eigenvector(1), steps: 12, learningRate: { _ in 0.1 },
            momentum: { _ in 0 })
        let steps = try SmithSecantEstimator.estimates(
            snapshots: snapshots.map(asFloat), iterations: Array(0...12),
            learningRates: [Double](repeating: 0.1, count: 13))
        #expect(steps.count == 11)
        for (k, step) in steps.enumerated() {
            #expect(step.iteration == k && step.learningRate == 0.1)
            expectClose(step.estimate ?? 0, 0.5, absoluteTolerance: 0, relativeTolerance: 1e-4)
            let closedForm = 0.5 + (0.1 - 0.5) * pow(0.9, Double(k + 1))
            expectClose(step.movingAverage, closedForm, absoluteTolerance: 1e-5)
        }
    }

    @Test("reproduces the scripts' arithmetic on hand-made snapshots")
    func handComputed() throws {
        // θ₀ = (0, 0), θ₁ = (1, −2), θ₂ = (1.5, −3): top = 1 + 2 = 3,
        // bot = |2 − 0 − 1.5| + |−4 − 0 + 3| = 0.5 + 1 = 1.5, ε·top/bot = 0.3·2 = 0.6,
        // m = 0.9·0.1 + 0.1·0.6 = 0.15.
        var estimator = SmithSecantEstimator()
        #expect(try estimator.append(parameters: [0, 0], iteration: 10, learningRate: 0.3) == nil)
        #expect(try estimator.append(parameters: [1, -2], iteration: 20, learningRate: 0.4) == nil)
        let step = try #require(
            try estimator.append(parameters: [1.5, -3], iteration: 30, learningRate: 0.5))
        #expect(step.iteration == 10 && step.learningRate == 0.3)
        expectClose(step.firstDifferenceL1, 3, absoluteTolerance: 1e-12)
        expectClose(step.secondDifferenceL1, 1.5, absoluteTolerance: 1e-12)
        expectClose(step.estimate ?? 0, 0.6, absoluteTolerance: 1e-12)
        expectClose(step.movingAverage, 0.15, absoluteTolerance: 1e-12)
    }

    @Test("a zero second difference has no estimate and leaves the average unchanged")
    func zeroSecondDifference() throws {
        var estimator = SmithSecantEstimator()
        _ = try estimator.append(parameters: [0, 1], iteration: 0, learningRate: 0.1)
        _ = try estimator.append(parameters: [1, 2], iteration: 1, learningRate: 0.1)
        let step = try #require(
            try estimator.append(parameters: [2, 3], iteration: 2, learningRate: 0.1))
        #expect(step.estimate == nil && step.secondDifferenceL1 == 0)
        #expect(step.movingAverage == 0.1)
    }

    @Test("ignores momentum: on a heavy-ball trajectory it returns ε/(1 − z_slow), not 1/λ")
    func momentumBias() throws {
        // Heavy ball along q with λ = 1, η = 0.05, μ = 0.5: θₜ follows the roots of
        // z² − (1 + μ − ηλ)z + μ, here z = 0.8851 and 0.5649 (real). Once the fast mode has
        // died out, Δᵢ₊₁ = z_slow·Δᵢ and the ratio is η/(1 − z_slow) ≈ 0.435, not 1.
        let (eta, mu) = (0.05, 0.5)
        let b = 1 + mu - eta * 1
        let slowRoot = (b + (b * b - 4 * mu).squareRoot()) / 2
        let snapshots = problem.pytorchTrajectory(
            from: problem.eigenvector(2), steps: 60, learningRate: { _ in eta },
            momentum: { _ in mu })
        let steps = try SmithSecantEstimator.estimates(
            snapshots: snapshots.map(asFloat), iterations: Array(0...60),
            learningRates: [Double](repeating: eta, count: 61))
        let late = try #require(steps.last?.estimate)
        expectClose(late, eta / (1 - slowRoot), absoluteTolerance: 0, relativeTolerance: 1e-3)
        #expect(abs(late - 1) > 0.5)
    }

    @Test("snapshots of different lengths are an error")
    func mismatch() throws {
        var estimator = SmithSecantEstimator()
        _ = try estimator.append(parameters: [0, 1], iteration: 0, learningRate: 0.1)
        #expect(throws: CurvatureError.self) {
            try estimator.append(parameters: [0, 1, 2], iteration: 1, learningRate: 0.1)
        }
    }
}
