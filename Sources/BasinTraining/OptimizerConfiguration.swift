/// The choice of optimizer and its constant hyper-parameters, as the command line and the
/// run manifest name them. The learning rate and momentum (β1) come from the schedule.
public struct OptimizerConfiguration: Equatable, Sendable {
    /// The update rule.
    public enum Algorithm: String, Equatable, Sendable, CaseIterable {
        /// PyTorch SGD with heavy-ball momentum.
        case sgd
        /// PyTorch SGD with Nesterov momentum.
        case nesterov
        /// Caffe's SGD (`v = μv + ηg; θ −= v`), as in Smith's experiments.
        case sgdCaffe = "sgd-caffe"
        /// Caffe's Nesterov solver.
        case nesterovCaffe = "nesterov-caffe"
        /// PyTorch AdamW; the schedule's momentum is β1.
        case adamw
    }

    public var algorithm: Algorithm
    /// L2 coefficient for SGD (added to the gradient), decoupled decay for AdamW.
    public var weightDecay: Double
    /// Leave biases and BatchNorm parameters out of weight decay.
    public var exemptBiasAndNormalization: Bool
    /// AdamW's β2.
    public var beta2: Double
    /// AdamW's ε.
    public var epsilon: Double

    public init(
        algorithm: Algorithm = .sgd, weightDecay: Double = 0,
        exemptBiasAndNormalization: Bool = false, beta2: Double = 0.999, epsilon: Double = 1e-8
    ) {
        self.algorithm = algorithm
        self.weightDecay = weightDecay
        self.exemptBiasAndNormalization = exemptBiasAndNormalization
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// A fresh optimizer for `parameterCount` parameters. `exemptRanges` (the bias and
    /// BatchNorm slices of the model's layout) are used only when
    /// `exemptBiasAndNormalization` is set.
    /// - Precondition: the ranges lie inside `0..<parameterCount`.
    public func makeOptimizer(parameterCount: Int, exemptRanges: [Range<Int>] = [])
        -> any Optimizer
    {
        let mask = WeightDecayMask(
            parameterCount: parameterCount,
            exemptRanges: exemptBiasAndNormalization ? exemptRanges : [])
        switch algorithm {
        case .sgd, .nesterov, .sgdCaffe, .nesterovCaffe:
            return SGD(
                parameterCount: parameterCount,
                convention: [.sgdCaffe, .nesterovCaffe].contains(algorithm) ? .caffe : .pytorch,
                nesterov: [.nesterov, .nesterovCaffe].contains(algorithm),
                weightDecay: weightDecay, weightDecayMask: mask)
        case .adamw:
            return AdamW(
                parameterCount: parameterCount, beta2: beta2, epsilon: epsilon,
                weightDecay: weightDecay, weightDecayMask: mask)
        }
    }
}

extension OptimizerConfiguration.Algorithm {
    /// Reads an algorithm name (`sgd`, `nesterov`, `sgd-caffe`, `nesterov-caffe`, `adamw`),
    /// ignoring case.
    /// - Throws: `OptimizerError.unknownAlgorithm` listing the known names.
    public init(named name: String) throws {
        guard let algorithm = Self(rawValue: name.lowercased()) else {
            throw OptimizerError.unknownAlgorithm(name, known: Self.allCases.map(\.rawValue))
        }
        self = algorithm
    }
}
