import Foundation

/// Adam with decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay
/// Regularization", ICLR 2019), computed as PyTorch's `torch.optim.AdamW`.
///
/// With `g` the gradient, `k` the step number (1 on the first step), β1 the momentum the
/// schedule gives for this step, λ the weight decay (0 on exempt parameters):
///
///     θ ← θ·(1 − η·λ)
///     m ← m + (1 − β1)·(g − m)            (PyTorch's lerp form of β1·m + (1 − β1)·g)
///     v ← β2·v + (1 − β2)·g²
///     θ ← θ − (η / (1 − β1^k)) · m / (√v / √(1 − β2^k) + ε)
///
/// As in PyTorch, the bias correction uses the β1 of the current step, so a cyclical β1
/// changes the correction too. Defaults are PyTorch's: β2 = 0.999, ε = 1e-8, λ = 0.01.
/// AMSGrad is not offered.
public struct AdamW: Optimizer {
    public let parameterCount: Int
    public let beta2: Double
    /// ε, added to the denominator.
    public let epsilon: Double
    /// Decoupled decay λ: each step multiplies θ by `1 − η·λ`.
    public let weightDecay: Double
    public let weightDecayMask: WeightDecayMask
    public private(set) var stepCount = 0
    /// First moment `m` (PyTorch `exp_avg`).
    public private(set) var firstMoment: [Float]
    /// Second moment `v` (PyTorch `exp_avg_sq`).
    public private(set) var secondMoment: [Float]

    /// - Precondition: `0 ≤ beta2 < 1`, `epsilon ≥ 0`, the mask covers `parameterCount`.
    public init(
        parameterCount: Int, beta2: Double = 0.999, epsilon: Double = 1e-8,
        weightDecay: Double = 0.01, weightDecayMask: WeightDecayMask? = nil
    ) {
        let mask = weightDecayMask ?? .decayAll(parameterCount: parameterCount)
        precondition(
            mask.parameterCount == parameterCount,
            "weight-decay mask covers \(mask.parameterCount) parameters, not \(parameterCount)")
        precondition((0..<1).contains(beta2), "β2 \(beta2) must lie in [0, 1)")
        precondition(epsilon >= 0, "ε \(epsilon) must be ≥ 0")
        self.parameterCount = parameterCount
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.weightDecayMask = mask
        self.firstMoment = [Float](repeating: 0, count: parameterCount)
        self.secondMoment = [Float](repeating: 0, count: parameterCount)
    }

    /// `momentum` is β1 for this step.
    public mutating func step(
        parameters: inout [Float], gradient: [Float], learningRate: Double, momentum: Double
    ) {
        precondition(
            parameters.count == parameterCount && gradient.count == parameterCount,
            "AdamW for \(parameterCount) parameters got \(parameters.count) parameters and "
                + "\(gradient.count) gradient values")
        precondition((0..<1).contains(momentum), "β1 \(momentum) must lie in [0, 1)")
        stepCount += 1

        // Scalars of this step, computed in Double as PyTorch does, applied in Float.
        let k = Double(stepCount)
        let biasCorrection1 = 1 - pow(momentum, k)
        let biasCorrection2Root = (1 - pow(beta2, k)).squareRoot()
        let decayFactor = Float(1 - learningRate * weightDecay)
        let firstWeight = Float(1 - momentum)
        let beta2Float = Float(beta2)
        let secondWeight = Float(1 - beta2)
        let stepSize = Float(learningRate / biasCorrection1)
        let rootCorrection = Float(biasCorrection2Root)
        let epsilonFloat = Float(epsilon)
        let segments = weightDecayMask.segments

        gradient.withUnsafeBufferPointer { g in
            parameters.withUnsafeMutableBufferPointer { theta in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        for segment in segments where segment.isDecayed && weightDecay != 0 {
                            for i in segment.range { theta[i] *= decayFactor }
                        }
                        for i in 0..<theta.count {
                            m[i] += firstWeight * (g[i] - m[i])
                            v[i] = beta2Float * v[i] + secondWeight * g[i] * g[i]
                            let denominator = v[i].squareRoot() / rootCorrection + epsilonFloat
                            theta[i] -= stepSize * (m[i] / denominator)
                        }
                    }
                }
            }
        }
    }

    public var state: OptimizerState {
        OptimizerState(
            optimizerName: "adamw", stepCount: stepCount,
            vectors: ["exp_avg": firstMoment, "exp_avg_sq": secondMoment])
    }

    public mutating func restore(_ state: OptimizerState) throws {
        try state.validate(
            optimizerName: "adamw", count: parameterCount, required: ["exp_avg", "exp_avg_sq"])
        stepCount = state.stepCount
        firstMoment = state.vectors["exp_avg"]!
        secondMoment = state.vectors["exp_avg_sq"]!
    }
}
