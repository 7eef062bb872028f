@testable import BasinTraining

/// The fixed problem of `scripts/golden/optimizers.py`: six parameters, five steps, the
/// gradient of step k is `base[i]·(1 + 0.5k) − 0.1k`, parameters 4 and 5 exempt from decay.
enum GoldenOptimizerProblem {
    static let initialParameters: [Float] = [0.5, -1.5, 2.0, 0.1, -0.3, 1.0]
    static let gradientBase: [Double] = [0.3, -0.7, 1.1, 0.05, -0.2, 0.4]
    static let learningRates: [Double] = [0.1, 0.2, 0.3, 0.2, 0.1]
    static let momenta: [Double] = [0.9, 0.85, 0.8, 0.85, 0.9]
    static let exemptRanges = [4..<6]

    static func gradient(step k: Int) -> [Float] {
        gradientBase.map { Float($0 * (1 + 0.5 * Double(k)) - 0.1 * Double(k)) }
    }

    /// Runs all five steps and returns the parameters.
    static func run(_ optimizer: inout some Optimizer) -> [Float] {
        var parameters = initialParameters
        for k in learningRates.indices {
            optimizer.step(
                parameters: &parameters, gradient: gradient(step: k),
                learningRate: learningRates[k], momentum: momenta[k])
        }
        return parameters
    }
}

/// f(θ) = ½ Σ aᵢ(θᵢ − cᵢ)², a well-conditioned quadratic with curvatures 1…10.
enum QuadraticProblem {
    static let curvatures: [Float] = [1, 2.5, 4, 7, 10, 1.5, 3, 6]
    static let centers: [Float] = [1, -2, 0.5, 3, -1, 0.25, -0.75, 2]

    static func gradient(at parameters: [Float]) -> [Float] {
        parameters.indices.map { curvatures[$0] * (parameters[$0] - centers[$0]) }
    }

    /// Minimizes from zero with `optimizer` under `schedule` for `stepCount` steps.
    static func minimize(
        with optimizer: inout some Optimizer, schedule: some LearningRateSchedule,
        stepCount: Int
    ) -> [Float] {
        var parameters = [Float](repeating: 0, count: centers.count)
        for iteration in 0..<stepCount {
            let (learningRate, momentum) = schedule.value(at: iteration)
            optimizer.step(
                parameters: &parameters, gradient: gradient(at: parameters),
                learningRate: learningRate, momentum: momentum)
        }
        return parameters
    }
}
