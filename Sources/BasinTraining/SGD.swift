/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay added
/// to the gradient.
///
/// With `g` the gradient, `λ` the weight decay (0 on exempt parameters), `μ` the momentum
/// and `η` the learning rate of the step:
///
/// **PyTorch** (`torch.optim.SGD`, the default):
///
///     d = g + λθ
///     v = d                       on the first step with μ ≠ 0
///     v = μv + (1 − dampening)·d  afterwards
///     θ ← θ − η·(d + μv)          Nesterov
///     θ ← θ − η·v                 otherwise
///
/// A step with μ = 0 uses `d` directly and leaves the buffer as it is, as PyTorch does.
///
/// **Caffe** (Smith's experiments; `v ← μv − ε∇L, θ ← θ + v` in the papers' notation), with
/// the buffer starting at zero:
///
///     v' = μv + η·(g + λθ)
///     θ ← θ − v'                  plain
///     θ ← θ − ((1 + μ)·v' − μ·v)  Nesterov (Caffe's NesterovSolver)
///
/// The two agree for a constant rate up to the scaling `v_caffe = η·v_pytorch`; when η
/// changes between steps, Caffe's velocity keeps the old rates.
public struct SGD: Optimizer {
    /// Whose update rule to follow.
    public enum Convention: String, Equatable, Sendable, CaseIterable {
        case pytorch
        case caffe
    }

    public let parameterCount: Int
    public let convention: Convention
    public let nesterov: Bool
    /// L2 coefficient λ, added to the gradient as λθ.
    public let weightDecay: Double
    /// PyTorch's dampening (0 by default); the Caffe rule has none.
    public let dampening: Double
    public let weightDecayMask: WeightDecayMask
    public private(set) var stepCount = 0
    /// The momentum buffer `v`; all zeros until created.
    public private(set) var velocity: [Float]
    /// Whether `v` exists: PyTorch creates it on the first step with μ ≠ 0 (Caffe's starts
    /// at zero and counts as created).
    public private(set) var hasVelocity: Bool

    /// - Precondition: `parameterCount ≥ 0`, the mask covers `parameterCount`
    ///   parameters, Nesterov has zero dampening (as in PyTorch), `dampening` is 0 for the
    ///   Caffe rule.
    public init(
        parameterCount: Int, convention: Convention = .pytorch, nesterov: Bool = false,
        weightDecay: Double = 0, dampening: Double = 0, weightDecayMask: WeightDecayMask? = nil
    ) {
        let mask = weightDecayMask ?? .decayAll(parameterCount: parameterCount)
        precondition(
            mask.parameterCount == parameterCount,
            "weight-decay mask covers \(mask.parameterCount) parameters, not \(parameterCount)")
        precondition(!nesterov || dampening == 0, "Nesterov needs zero dampening")
        precondition(
            convention == .pytorch || dampening == 0, "the Caffe rule has no dampening")
        self.parameterCount = parameterCount
        self.convention = convention
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.dampening = dampening
        self.weightDecayMask = mask
        self.velocity = [Float](repeating: 0, count: parameterCount)
        self.hasVelocity = convention == .caffe
    }

    public mutating func step(
        parameters: inout [Float], gradient: [Float], learningRate: Double, momentum: Double
    ) {
        precondition(
            parameters.count == parameterCount && gradient.count == parameterCount,
            "SGD for \(parameterCount) parameters got \(parameters.count) parameters and "
                + "\(gradient.count) gradient values")
        stepCount += 1
        let rule: SGDRule
        switch convention {
        case .pytorch:
            if momentum == 0 {
                rule = .plain
            } else if !hasVelocity {
                rule = nesterov ? .pytorchNesterovFirst : .pytorchFirst
            } else {
                rule = nesterov ? .pytorchNesterov : .pytorchMomentum
            }
            hasVelocity = hasVelocity || momentum != 0
        case .caffe:
            rule = nesterov ? .caffeNesterov : .caffeMomentum
        }
        let coefficients = SGDCoefficients(
            learningRate: Float(learningRate), momentum: Float(momentum),
            gradientScale: Float(1 - dampening))
        let decay = Float(weightDecay)
        let segments = weightDecayMask.segments
        gradient.withUnsafeBufferPointer { g in
            parameters.withUnsafeMutableBufferPointer { theta in
                velocity.withUnsafeMutableBufferPointer { v in
                    for segment in segments {
                        rule.apply(
                            range: segment.range, theta: theta, gradient: g, velocity: v,
                            decay: segment.isDecayed ? decay : 0, coefficients)
                    }
                }
            }
        }
    }

    public var state: OptimizerState {
        OptimizerState(
            optimizerName: "sgd", stepCount: stepCount,
            vectors: hasVelocity ? ["momentum_buffer": velocity] : [:])
    }

    public mutating func restore(_ state: OptimizerState) throws {
        try state.validate(
            optimizerName: "sgd", count: parameterCount,
            required: convention == .caffe ? ["momentum_buffer"] : [],
            optional: ["momentum_buffer"])
        stepCount = state.stepCount
        if let saved = state.vectors["momentum_buffer"] {
            velocity = saved
            hasVelocity = true
        } else {
            velocity = [Float](repeating: 0, count: parameterCount)
            hasVelocity = false
        }
    }
}

/// The per-step scalars of an SGD update, in Float as the vectors are.
struct SGDCoefficients {
    var learningRate: Float
    var momentum: Float
    var gradientScale: Float
}

/// One SGD update rule, applied to a range of the vectors with a fixed decay.
enum SGDRule {
    case plain
    case pytorchFirst
    case pytorchMomentum
    case pytorchNesterovFirst
    case pytorchNesterov
    case caffeMomentum
    case caffeNesterov

    func apply(
        range: Range<Int>, theta: UnsafeMutableBufferPointer<Float>,
        gradient: UnsafeBufferPointer<Float>, velocity: UnsafeMutableBufferPointer<Float>,
        decay: Float, _ c: SGDCoefficients
    ) {
        let (eta, mu, scale) = (c.learningRate, c.momentum, c.gradientScale)
        switch self {
        case .plain:
            for i in range { theta[i] -= eta * (gradient[i] + decay * theta[i]) }
        case .pytorchFirst:
            for i in range {
                let d = gradient[i] + decay * theta[i]
                velocity[i] = d
                theta[i] -= eta * d
            }
        case .pytorchNesterovFirst:
            for i in range {
                let d = gradient[i] + decay * theta[i]
                velocity[i] = d
                theta[i] -= eta * (d + mu * d)
            }
        case .pytorchMomentum:
            for i in range {
                let d = gradient[i] + decay * theta[i]
                velocity[i] = mu * velocity[i] + scale * d
                theta[i] -= eta * velocity[i]
            }
        case .pytorchNesterov:
            for i in range {
                let d = gradient[i] + decay * theta[i]
                velocity[i] = mu * velocity[i] + scale * d
                theta[i] -= eta * (d + mu * velocity[i])
            }
        case .caffeMomentum:
            for i in range {
                velocity[i] = mu * velocity[i] + eta * (gradient[i] + decay * theta[i])
                theta[i] -= velocity[i]
            }
        case .caffeNesterov:
            for i in range {
                let previous = velocity[i]
                velocity[i] = mu * previous + eta * (gradient[i] + decay * theta[i])
                theta[i] -= (1 + mu) * velocity[i] - mu * previous
            }
        }
    }
}
