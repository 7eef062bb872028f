import BasinTestSupport
import Foundation
import Testing

@testable import BasinTraining

@Suite("AdamW")
struct AdamWTests {
    // Expected values: scripts/golden/optimizers.py (torch 2.15.0, torch.optim.AdamW with a
    // per-step β1 and weight decay 0.1 on parameters 0..<4).
    @Test("cyclical β1 and exempt decay equal torch.optim.AdamW after five steps")
    func matchesPyTorch() {
        let mask = WeightDecayMask(
            parameterCount: 6, exemptRanges: GoldenOptimizerProblem.exemptRanges)
        var adam = AdamW(parameterCount: 6, weightDecay: 0.1, weightDecayMask: mask)
        let parameters = GoldenOptimizerProblem.run(&adam)
        expectClose(
            parameters,
            [
                -0.37699759006500244, -0.5243471264839172, 0.982441246509552, 0.44354838132858276,
                0.5709340572357178, 0.13370533287525177,
            ], absoluteTolerance: 1e-7, relativeTolerance: 1e-6)
        expectClose(
            adam.firstMoment,
            [
                0.21968600153923035, -0.9135339856147766, 1.1262620687484741, -0.06361900269985199,
                -0.3469240069389343, 0.3330079913139343,
            ], absoluteTolerance: 1e-7, relativeTolerance: 1e-6)
        expectClose(
            adam.secondMoment,
            [
                0.0008237510919570923, 0.014809760265052319, 0.021998971700668335,
                0.00010618753003655002, 0.0021980013698339462, 0.0018974021077156067,
            ], absoluteTolerance: 1e-9, relativeTolerance: 1e-6)
        #expect(adam.stepCount == 5)
    }

    @Test("the first step moves each parameter by η·g/(|g| + ε): bias correction is exact")
    func firstStep() {
        var adam = AdamW(parameterCount: 3, weightDecay: 0)
        var theta: [Float] = [1, 1, 1]
        let gradient: [Float] = [3, -0.002, 1e-9]
        adam.step(parameters: &theta, gradient: gradient, learningRate: 0.01, momentum: 0.9)
        let expected = gradient.map { 1 - 0.01 * Double($0) / (Double(abs($0)) + 1e-8) }
        expectClose(theta.map(Double.init), expected, absoluteTolerance: 1e-6)
    }

    @Test("decay is decoupled: with zero gradient θ shrinks by (1 − ηλ) per step, exempt ones stay")
    func decoupledDecay() {
        let mask = WeightDecayMask(parameterCount: 4, exemptRanges: [1..<2])
        var adam = AdamW(parameterCount: 4, weightDecay: 0.1, weightDecayMask: mask)
        var theta: [Float] = [2, 2, -1, 0.5]
        for _ in 0..<10 {
            adam.step(parameters: &theta, gradient: [0, 0, 0, 0], learningRate: 0.5, momentum: 0.9)
        }
        let factor = pow(0.95, 10.0)
        expectClose(
            theta.map(Double.init), [2 * factor, 2, -factor, 0.5 * factor],
            absoluteTolerance: 1e-6)
    }

    @Test("restoring a saved state continues bit for bit")
    func resume() throws {
        var whole = AdamW(parameterCount: 6)
        let uninterrupted = GoldenOptimizerProblem.run(&whole)
        var first = AdamW(parameterCount: 6)
        var parameters = GoldenOptimizerProblem.initialParameters
        let problem = GoldenOptimizerProblem.self
        for k in 0..<3 {
            first.step(
                parameters: &parameters, gradient: problem.gradient(step: k),
                learningRate: problem.learningRates[k], momentum: problem.momenta[k])
        }
        var second = AdamW(parameterCount: 6)
        try second.restore(first.state)
        for k in 3..<5 {
            second.step(
                parameters: &parameters, gradient: problem.gradient(step: k),
                learningRate: problem.learningRates[k], momentum: problem.momenta[k])
        }
        #expect(parameters == uninterrupted)
        #expect(second.state == whole.state)
        #expect(throws: OptimizerError.missingVector(name: "exp_avg_sq", optimizer: "adamw")) {
            try second.restore(
                OptimizerState(optimizerName: "adamw", stepCount: 1, vectors: ["exp_avg": []]))
        }
    }

    @Test("converges on a quadratic under a one-cycle schedule with cyclical β1")
    func convergence() {
        var adam = AdamW(parameterCount: 8, weightDecay: 0)
        let schedule = OneCycleSchedule(maximumLearningRate: 0.1, totalIterations: 1500)
        let minimum = QuadraticProblem.minimize(with: &adam, schedule: schedule, stepCount: 1500)
        expectClose(minimum, QuadraticProblem.centers, absoluteTolerance: 1e-3)
    }
}
