import BasinTestSupport
import Foundation
import Testing

@testable import BasinTraining

@Suite("SGD with momentum")
struct SGDTests {
    let mask = WeightDecayMask(
        parameterCount: 6, exemptRanges: GoldenOptimizerProblem.exemptRanges)

    // Expected values: scripts/golden/optimizers.py (torch 2.15.0, torch.optim.SGD).
    @Test("momentum and exempt weight decay equal torch.optim.SGD after five steps")
    func pytorchMomentum() {
        var sgd = SGD(parameterCount: 6, weightDecay: 0.01, weightDecayMask: mask)
        let parameters = GoldenOptimizerProblem.run(&sgd)
        expectClose(
            parameters,
            [
                -0.3227637708187103, 1.4251312017440796, -1.8188730478286743, 0.21200323104858398,
                0.7431040406227112, -0.18614812195301056,
            ], absoluteTolerance: 1e-7, relativeTolerance: 1e-6)
        expectClose(
            sgd.velocity,
            [
                1.5884523391723633, -6.655596733093262, 8.179927825927734, -0.4687960743904114,
                -2.5278401374816895, 2.4030802249908447,
            ], absoluteTolerance: 1e-7, relativeTolerance: 1e-6)
    }

    @Test("Nesterov equals torch.optim.SGD(nesterov=True) after five steps")
    func pytorchNesterov() {
        var sgd = SGD(parameterCount: 6, nesterov: true, weightDecay: 0.01, weightDecayMask: mask)
        let parameters = GoldenOptimizerProblem.run(&sgd)
        expectClose(
            parameters,
            [
                -0.5560245513916016, 2.4186339378356934, -3.0329999923706055, 0.2848885655403137,
                1.1244375705718994, -0.5431612730026245,
            ], absoluteTolerance: 1e-7, relativeTolerance: 1e-6)
        expectClose(
            sgd.velocity,
            [
                1.5843539237976074, -6.640313148498535, 8.160333633422852, -0.46805959939956665,
                -2.5278401374816895, 2.4030802249908447,
            ], absoluteTolerance: 1e-7, relativeTolerance: 1e-6)
    }

    @Test("dampening equals torch.optim.SGD(dampening=0.2) after five steps")
    func pytorchDampening() {
        var sgd = SGD(parameterCount: 6, dampening: 0.2)
        let parameters = GoldenOptimizerProblem.run(&sgd)
        expectClose(
            parameters,
            [
                -0.19018203020095825, 0.9104781150817871, -1.1707100868225098, 0.1849830001592636,
                0.5601480603218079, -0.0002480417024344206,
            ], absoluteTolerance: 1e-7, relativeTolerance: 1e-6)
    }

    /// θ after `k` steps of heavy-ball SGD with constant gradient `g` from θ₀ = 1:
    /// the velocity is `v_j = g(1 − μ^j)/(1 − μ)` (PyTorch, v₁ = g), so
    /// `θ_k = 1 − η Σ_{j=1..k} v_j`. Caffe's velocity is η times PyTorch's.
    func heavyBall(steps k: Int, gradient g: Double, rate eta: Double, momentum mu: Double)
        -> Double
    {
        var theta = 1.0
        for j in 1...k { theta -= eta * g * (1 - pow(mu, Double(j))) / (1 - mu) }
        return theta
    }

    @Test("PyTorch and Caffe momentum both follow the closed form with a constant rate")
    func closedFormMomentum() {
        for convention in SGD.Convention.allCases {
            var sgd = SGD(parameterCount: 1, convention: convention)
            var theta: [Float] = [1]
            for _ in 0..<10 {
                sgd.step(parameters: &theta, gradient: [0.5], learningRate: 0.1, momentum: 0.9)
            }
            let expected = heavyBall(steps: 10, gradient: 0.5, rate: 0.1, momentum: 0.9)
            expectClose(
                Double(theta[0]), expected, absoluteTolerance: 1e-6, "\(convention)")
            let velocityScale = convention == .caffe ? 0.1 : 1
            expectClose(
                Double(sgd.velocity[0]), velocityScale * 0.5 * (1 - pow(0.9, 10)) / 0.1,
                absoluteTolerance: 1e-6, "\(convention)")
        }
    }

    @Test("Caffe's Nesterov rule takes (1 + μ)v' − μv and agrees with PyTorch's at a fixed rate")
    func nesterovConventionsAgree() {
        var pytorch = SGD(parameterCount: 1, nesterov: true)
        var caffe = SGD(parameterCount: 1, convention: .caffe, nesterov: true)
        var (thetaPyTorch, thetaCaffe): ([Float], [Float]) = ([1], [1])
        var expected = 1.0
        var velocity = 0.0
        for step in 0..<8 {
            // A gradient that depends on the parameter: f = θ²/2.
            pytorch.step(
                parameters: &thetaPyTorch, gradient: thetaPyTorch, learningRate: 0.05,
                momentum: 0.9)
            caffe.step(
                parameters: &thetaCaffe, gradient: thetaCaffe, learningRate: 0.05, momentum: 0.9)
            let newVelocity = 0.9 * velocity + 0.05 * expected
            expected -= 1.9 * newVelocity - 0.9 * velocity
            velocity = newVelocity
            expectClose(Double(thetaCaffe[0]), expected, absoluteTolerance: 1e-6, "step \(step)")
            expectClose(
                Double(thetaPyTorch[0]), Double(thetaCaffe[0]), absoluteTolerance: 1e-6,
                "step \(step)")
        }
    }

    @Test("with a changing rate the conventions differ: Caffe's velocity keeps old rates")
    func conventionsDifferUnderSchedule() {
        var pytorch = SGD(parameterCount: 1)
        var caffe = SGD(parameterCount: 1, convention: .caffe)
        var (a, b): ([Float], [Float]) = ([1], [1])
        for (rate, _) in [(0.1, 0), (1.0, 1)] {
            pytorch.step(parameters: &a, gradient: [1], learningRate: rate, momentum: 0.9)
            caffe.step(parameters: &b, gradient: [1], learningRate: rate, momentum: 0.9)
        }
        // PyTorch: 1 − 0.1·1 − 1.0·1.9 = −1.0; Caffe: 1 − 0.1 − (0.09 + 1.0) = −0.19.
        expectClose(Double(a[0]), -1.0, absoluteTolerance: 1e-6)
        expectClose(Double(b[0]), -0.19, absoluteTolerance: 1e-6)
    }

    @Test("a step with zero momentum is plain SGD and leaves the buffer untouched")
    func zeroMomentum() {
        var sgd = SGD(parameterCount: 2, weightDecay: 0.5)
        var theta: [Float] = [1, -2]
        sgd.step(parameters: &theta, gradient: [1, 1], learningRate: 0.1, momentum: 0)
        #expect(!sgd.hasVelocity)
        #expect(sgd.state.vectors.isEmpty)
        // θ − η(g + λθ) = 1 − 0.1·1.5, −2 − 0.1·0
        expectClose(theta, [0.85, -2.0], absoluteTolerance: 1e-7)
        sgd.step(parameters: &theta, gradient: [1, 1], learningRate: 0.1, momentum: 0.9)
        #expect(sgd.hasVelocity)
        expectClose(sgd.velocity, [1.425, 0], absoluteTolerance: 1e-6)
    }

    @Test("restoring a saved state continues bit for bit", arguments: SGD.Convention.allCases)
    func resume(convention: SGD.Convention) throws {
        var whole = SGD(
            parameterCount: 6, convention: convention, nesterov: true, weightDecay: 0.01)
        let uninterrupted = GoldenOptimizerProblem.run(&whole)

        var first = SGD(
            parameterCount: 6, convention: convention, nesterov: true, weightDecay: 0.01)
        var parameters = GoldenOptimizerProblem.initialParameters
        let problem = GoldenOptimizerProblem.self
        for k in 0..<2 {
            first.step(
                parameters: &parameters, gradient: problem.gradient(step: k),
                learningRate: problem.learningRates[k], momentum: problem.momenta[k])
        }
        var second = SGD(
            parameterCount: 6, convention: convention, nesterov: true, weightDecay: 0.01)
        try second.restore(first.state)
        #expect(second.stepCount == 2)
        for k in 2..<5 {
            second.step(
                parameters: &parameters, gradient: problem.gradient(step: k),
                learningRate: problem.learningRates[k], momentum: problem.momenta[k])
        }
        #expect(parameters == uninterrupted)
        #expect(second.state == whole.state)
    }

    @Test("restoring a state that does not fit throws")
    func restoreErrors() {
        var sgd = SGD(parameterCount: 3)
        let adam = AdamW(parameterCount: 3).state
        #expect(throws: OptimizerError.wrongOptimizer(expected: "sgd", found: "adamw")) {
            try sgd.restore(adam)
        }
        let short = OptimizerState(
            optimizerName: "sgd", stepCount: 4, vectors: ["momentum_buffer": [1, 2]])
        #expect(
            throws: OptimizerError.wrongCount(vector: "momentum_buffer", expected: 3, found: 2)
        ) { try sgd.restore(short) }
        let extra = OptimizerState(optimizerName: "sgd", stepCount: 4, vectors: ["v": [1, 2, 3]])
        #expect(throws: OptimizerError.unexpectedVector(name: "v", optimizer: "sgd")) {
            try sgd.restore(extra)
        }
        var caffe = SGD(parameterCount: 3, convention: .caffe)
        let empty = OptimizerState(optimizerName: "sgd", stepCount: 0, vectors: [:])
        #expect(throws: OptimizerError.missingVector(name: "momentum_buffer", optimizer: "sgd")) {
            try caffe.restore(empty)
        }
    }

    @Test(
        "converges on a quadratic in every convention",
        arguments: [
            (SGD.Convention.pytorch, false), (.pytorch, true), (.caffe, false), (.caffe, true),
        ])
    func convergence(convention: SGD.Convention, nesterov: Bool) {
        var sgd = SGD(parameterCount: 8, convention: convention, nesterov: nesterov)
        let schedule = ConstantSchedule(learningRate: 0.05, momentum: 0.9)
        let minimum = QuadraticProblem.minimize(with: &sgd, schedule: schedule, stepCount: 400)
        expectClose(minimum, QuadraticProblem.centers, absoluteTolerance: 1e-4)
    }

    @Test("exempt parameters converge to the unregularized minimum, the rest are shrunk")
    func weightDecayExemption() {
        // With decay λ on coordinate i the minimum of aᵢ(θ − cᵢ)²/2 + λθ²/2 is aᵢcᵢ/(aᵢ + λ).
        let decay: Float = 0.5
        let exempt = [2..<5]
        let mask = WeightDecayMask(parameterCount: 8, exemptRanges: exempt)
        var sgd = SGD(parameterCount: 8, weightDecay: Double(decay), weightDecayMask: mask)
        let schedule = ConstantSchedule(learningRate: 0.05, momentum: 0.9)
        let minimum = QuadraticProblem.minimize(with: &sgd, schedule: schedule, stepCount: 400)
        let expected = (0..<8).map { i in
            let (a, c) = (QuadraticProblem.curvatures[i], QuadraticProblem.centers[i])
            return exempt[0].contains(i) ? c : a * c / (a + decay)
        }
        expectClose(minimum, expected, absoluteTolerance: 1e-4)
    }
}
