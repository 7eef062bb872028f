import Foundation

/// A fixed learning rate and momentum: `lr(t) = lr`, `μ(t) = μ`.
public struct ConstantSchedule: LearningRateSchedule, Equatable, Sendable {
    public var learningRate: Double
    public var momentum: Double

    public init(learningRate: Double, momentum: Double = 0.9) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    public func value(at iteration: Int) -> (learningRate: Double, momentum: Double) {
        precondition(iteration >= 0, "iteration \(iteration) is negative")
        return (learningRate, momentum)
    }

    public var totalIterations: Int? { nil }
    public var cycleLengthIterations: Int? { nil }
    public func cycleEndIterations(upTo limit: Int) -> [Int] { [] }

    public var specification: String {
        "constant:lr=\(formatNumber(learningRate)),momentum=\(formatNumber(momentum))"
    }
}

/// Step decay, PyTorch's `StepLR`: the rate is multiplied by `gamma` every
/// `periodIterations` iterations, `lr(t) = lr · gamma^⌊t / period⌋`. Momentum is constant.
public struct StepSchedule: LearningRateSchedule, Equatable, Sendable {
    public var learningRate: Double
    public var gamma: Double
    public var periodIterations: Int
    public var momentum: Double

    /// - Precondition: `periodIterations > 0`.
    public init(
        learningRate: Double, gamma: Double = 0.1, periodIterations: Int, momentum: Double = 0.9
    ) {
        precondition(periodIterations > 0, "step period \(periodIterations) must be positive")
        self.learningRate = learningRate
        self.gamma = gamma
        self.periodIterations = periodIterations
        self.momentum = momentum
    }

    public func value(at iteration: Int) -> (learningRate: Double, momentum: Double) {
        precondition(iteration >= 0, "iteration \(iteration) is negative")
        let decayCount = iteration / periodIterations
        return (learningRate * pow(gamma, Double(decayCount)), momentum)
    }

    public var totalIterations: Int? { nil }
    public var cycleLengthIterations: Int? { nil }
    public func cycleEndIterations(upTo limit: Int) -> [Int] { [] }

    public var specification: String {
        "step:lr=\(formatNumber(learningRate)),gamma=\(formatNumber(gamma)),"
            + "every=\(periodIterations),momentum=\(formatNumber(momentum))"
    }
}

/// Decay at milestones, PyTorch's `MultiStepLR`: `lr(t) = lr · gamma^k` where `k` is the
/// number of milestones `≤ t` (so the rate changes at the milestone iteration itself).
/// Momentum is constant.
public struct MultiStepSchedule: LearningRateSchedule, Equatable, Sendable {
    public var learningRate: Double
    public var gamma: Double
    /// Strictly increasing positive iterations.
    public var milestoneIterations: [Int]
    public var momentum: Double

    /// - Precondition: `milestoneIterations` is strictly increasing and positive.
    public init(
        learningRate: Double, gamma: Double = 0.1, milestoneIterations: [Int],
        momentum: Double = 0.9
    ) {
        precondition(
            zip(milestoneIterations, milestoneIterations.dropFirst()).allSatisfy { $0 < $1 }
                && (milestoneIterations.first ?? 1) > 0,
            "milestones \(milestoneIterations) must be positive and strictly increasing")
        self.learningRate = learningRate
        self.gamma = gamma
        self.milestoneIterations = milestoneIterations
        self.momentum = momentum
    }

    public func value(at iteration: Int) -> (learningRate: Double, momentum: Double) {
        precondition(iteration >= 0, "iteration \(iteration) is negative")
        let passed = milestoneIterations.prefix { $0 <= iteration }.count
        return (learningRate * pow(gamma, Double(passed)), momentum)
    }

    public var totalIterations: Int? { nil }
    public var cycleLengthIterations: Int? { nil }
    public func cycleEndIterations(upTo limit: Int) -> [Int] { [] }

    public var specification: String {
        let milestones = milestoneIterations.map(String.init).joined(separator: "/")
        return "multistep:lr=\(formatNumber(learningRate)),gamma=\(formatNumber(gamma)),"
            + "milestones=\(milestones),momentum=\(formatNumber(momentum))"
    }
}
