import Foundation

/// The rising learning rate of an LR range test, over `K` iterations:
///
///     linear       lr(t) = start + (end − start) · t/K        (Smith; Caffe `triangular`
///                                                              with stepsize = K, start 0)
///     exponential  lr(t) = start · (end/start)^(t/K)          (fastai's `lr_find`)
///
/// `lr(K)` is `end`, so a test of `K + 1` iterations samples both ends; after `K` the end
/// value is held. torch-lr-finder starts one step later (`(t + 1)/K`). Momentum is constant.
public struct RangeTestRamp: LearningRateSchedule, Equatable, Sendable {
    /// How the rate grows.
    public enum Shape: String, Equatable, Sendable, CaseIterable {
        case linear
        case exponential
    }

    public var shape: Shape
    public var startLearningRate: Double
    public var endLearningRate: Double
    /// `K`, the iterations from `start` to `end`.
    public var rampIterations: Int
    public var momentum: Double

    /// Defaults: linear from 0 (Smith), exponential from 1e-7 (fastai); K = 100.
    /// - Precondition: `rampIterations > 0`; an exponential ramp needs `start > 0`.
    public init(
        shape: Shape, startLearningRate: Double? = nil, endLearningRate: Double,
        rampIterations: Int = 100, momentum: Double = 0.9
    ) {
        let start = startLearningRate ?? (shape == .linear ? 0 : 1e-7)
        precondition(rampIterations > 0, "ramp length \(rampIterations) must be positive")
        precondition(
            shape == .linear || start > 0, "an exponential ramp must start above 0, got \(start)")
        self.shape = shape
        self.startLearningRate = start
        self.endLearningRate = endLearningRate
        self.rampIterations = rampIterations
        self.momentum = momentum
    }

    public func value(at iteration: Int) -> (learningRate: Double, momentum: Double) {
        precondition(iteration >= 0, "iteration \(iteration) is negative")
        let fraction = Double(min(iteration, rampIterations)) / Double(rampIterations)
        switch shape {
        case .linear:
            return (startLearningRate + (endLearningRate - startLearningRate) * fraction, momentum)
        case .exponential:
            return (
                startLearningRate * pow(endLearningRate / startLearningRate, fraction), momentum
            )
        }
    }

    public var totalIterations: Int? { rampIterations + 1 }
    public var cycleLengthIterations: Int? { nil }
    public func cycleEndIterations(upTo limit: Int) -> [Int] { [] }

    public var specification: String {
        "\(shape == .linear ? "linear-ramp" : "exp-ramp"):"
            + "start=\(formatNumber(startLearningRate)),end=\(formatNumber(endLearningRate)),"
            + "length=\(rampIterations),momentum=\(formatNumber(momentum))"
    }
}
