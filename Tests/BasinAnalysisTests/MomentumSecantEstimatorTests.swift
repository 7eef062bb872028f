import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

/// Runs the estimator over a whole trajectory and returns its steps.
private func momentumSteps(
    _ snapshots: [[Double]], convention: MomentumConvention, learningRate: (Int) -> Double,
    momentum: (Int) -> Double
) throws -> [MomentumSecantStep] {
    var estimator = MomentumSecantEstimator(convention: convention)
    var steps: [MomentumSecantStep] = []
    for (t, snapshot) in snapshots.enumerated() {
        if let step = try estimator.append(
            parameters: asFloat(snapshot), iteration: t, learningRate: learningRate(t),
            momentum: momentum(t))
        {
            steps.append(step)
        }
    }
    return steps
}

@Suite("Momentum-corrected secant")
struct MomentumSecantEstimatorTests {
    private let problem = QuadraticProblem(
        eigenvalues: [4, 2, 1, 0.5, 0.3, 0.2, 0.1, 0.05], seed: 61)

    @Test("heavy ball along an eigenvector gives 1/λ where Smith's form does not")
    func eigenDirection() throws {
        let (eta, mu) = (0.05, 0.5)
        let snapshots = problem.pytorchTrajectory(
            from: problem.eigenvector(2), steps: 30, learningRate: { _ in eta },
            momentum: { _ in mu })
        let steps = try momentumSteps(
            snapshots, convention: .pytorch, learningRate: { _ in eta }, momentum: { _ in mu })
        #expect(steps.count == 28 && steps[0].iteration == 1)
        for step in steps {
            expectClose(step.curvatureAlongStep, 1, absoluteTolerance: 0, relativeTolerance: 1e-4)
            expectClose(
                step.learningRateAlongStep ?? 0, 1, absoluteTolerance: 0, relativeTolerance: 1e-4)
            expectClose(step.l1LearningRate ?? 0, 1, absoluteTolerance: 0, relativeTolerance: 1e-4)
        }
    }

    @Test(
        "from any start and a cyclical schedule it is the Rayleigh quotient along the step",
        arguments: [MomentumConvention.pytorch, .caffe])
    func generalStart(convention: MomentumConvention) throws {
        var generator = SeededGenerator(seed: 62)
        let start = (0..<problem.dimension).map { _ in generator.nextGaussian() }
        let learningRate = { (t: Int) in 0.05 + 0.1 * Double(t % 6) / 5 }
        let momentum = { (t: Int) in 0.95 - 0.1 * Double(t % 6) / 5 }
        let snapshots =
            convention == .pytorch
            ? problem.pytorchTrajectory(
                from: start, steps: 12, learningRate: learningRate, momentum: momentum)
            : problem.caffeTrajectory(
                from: start, steps: 12, learningRate: learningRate, momentum: momentum)
        let steps = try momentumSteps(
            snapshots, convention: convention, learningRate: learningRate, momentum: momentum)
        for step in steps {
            let i = step.iteration
            let s = zip(snapshots[i + 1], snapshots[i]).map { $0 - $1 }
            expectClose(
                step.curvatureAlongStep, problem.rayleighQuotient(s), absoluteTolerance: 0,
                relativeTolerance: 2e-3, "step \(i)")
            #expect(step.learningRate == learningRate(i) && step.momentum == momentum(i))
        }
    }

    @Test("with μ = 0 and a constant rate its L1 form is Smith's estimate")
    func reducesToSmith() throws {
        var generator = SeededGenerator(seed: 63)
        let start = (0..<problem.dimension).map { _ in generator.nextGaussian() }
        let snapshots = problem.pytorchTrajectory(
            from: start, steps: 8, learningRate: { _ in 0.1 }, momentum: { _ in 0 })
        let corrected = try momentumSteps(
            snapshots, convention: .pytorch, learningRate: { _ in 0.1 }, momentum: { _ in 0 })
        let smith = try SmithSecantEstimator.estimates(
            snapshots: snapshots.map(asFloat), iterations: Array(0...8),
            learningRates: [Double](repeating: 0.1, count: 9))
        // Corrected step i uses θᵢ₋₁…θᵢ₊₂; Smith's step i uses θᵢ…θᵢ₊₂.
        for step in corrected {
            expectClose(
                step.l1LearningRate ?? 0, smith[step.iteration].estimate ?? 0,
                absoluteTolerance: 0, relativeTolerance: 1e-9)
        }
    }

    @Test("weight decay in the gradient is removed when given")
    func weightDecay() throws {
        // SGD on f + (λ_wd/2)‖θ‖² has curvature λ + λ_wd along an eigenvector.
        let decay = 0.5
        let shifted = QuadraticProblem(
            eigenvalues: problem.eigenvalues.map { $0 + decay }, seed: 61)
        let snapshots = shifted.pytorchTrajectory(
            from: shifted.eigenvector(2), steps: 6, learningRate: { _ in 0.1 },
            momentum: { _ in 0.9 })
        var estimator = MomentumSecantEstimator(convention: .pytorch, weightDecay: decay)
        var last: MomentumSecantStep?
        for (t, snapshot) in snapshots.enumerated() {
            last =
                try estimator.append(
                    parameters: asFloat(snapshot), iteration: t, learningRate: 0.1, momentum: 0.9)
                ?? last
        }
        expectClose(try #require(last).curvatureAlongStep, 1, absoluteTolerance: 1e-4)
    }

    @Test("snapshots must be consecutive iterations of equal length")
    func errors() throws {
        var estimator = MomentumSecantEstimator(convention: .caffe)
        _ = try estimator.append(
            parameters: [0, 1], iteration: 5, learningRate: 0.1, momentum: 0.9)
        #expect(
            throws: CurvatureError.nonConsecutiveSnapshots(previousIteration: 5, nextIteration: 7)
        ) {
            try estimator.append(
                parameters: [0, 1], iteration: 7, learningRate: 0.1, momentum: 0.9)
        }
        #expect(throws: CurvatureError.self) {
            try estimator.append(parameters: [0], iteration: 6, learningRate: 0.1, momentum: 0.9)
        }
    }
}
