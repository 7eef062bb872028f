import Foundation

/// Cosine annealing with warm restarts (Loshchilov & Hutter, "SGDR", ICLR 2017), stepped
/// per iteration as PyTorch's `CosineAnnealingWarmRestarts`.
///
/// Cycle `i` (0-based) lasts `T_i = T_0 · T_mult^i` iterations. With `T_cur` the
/// iterations since the last restart,
///
///     lr = η_min + (η_max − η_min) · (1 + cos(π · T_cur / T_i)) / 2
///
/// so each cycle starts at `η_max` and approaches `η_min` on its last iteration. Cycles end
/// (restarts happen) at `T_0`, `T_0 + T_0·T_mult`, …. Momentum is constant.
public struct WarmRestartsSchedule: LearningRateSchedule, Equatable, Sendable {
    public var maximumLearningRate: Double
    public var minimumLearningRate: Double
    /// `T_0`, the first cycle's length.
    public var firstCycleIterations: Int
    /// `T_mult`, the factor by which each cycle is longer than the previous one.
    public var cycleLengthMultiplier: Int
    public var momentum: Double

    /// - Precondition: `firstCycleIterations > 0`, `cycleLengthMultiplier ≥ 1`.
    public init(
        maximumLearningRate: Double, minimumLearningRate: Double = 0, firstCycleIterations: Int,
        cycleLengthMultiplier: Int = 1, momentum: Double = 0.9
    ) {
        precondition(firstCycleIterations > 0, "T_0 \(firstCycleIterations) must be positive")
        precondition(cycleLengthMultiplier >= 1, "T_mult \(cycleLengthMultiplier) must be ≥ 1")
        self.maximumLearningRate = maximumLearningRate
        self.minimumLearningRate = minimumLearningRate
        self.firstCycleIterations = firstCycleIterations
        self.cycleLengthMultiplier = cycleLengthMultiplier
        self.momentum = momentum
    }

    /// `(T_cur, T_i)` for iteration `t`.
    private func position(of iteration: Int) -> (sinceRestart: Int, cycleLength: Int) {
        if cycleLengthMultiplier == 1 {
            return (iteration % firstCycleIterations, firstCycleIterations)
        }
        var sinceRestart = iteration
        var cycleLength = firstCycleIterations
        while sinceRestart >= cycleLength {
            sinceRestart -= cycleLength
            cycleLength *= cycleLengthMultiplier
        }
        return (sinceRestart, cycleLength)
    }

    public func value(at iteration: Int) -> (learningRate: Double, momentum: Double) {
        precondition(iteration >= 0, "iteration \(iteration) is negative")
        let (sinceRestart, cycleLength) = position(of: iteration)
        let phase = Double.pi * Double(sinceRestart) / Double(cycleLength)
        let learningRate =
            minimumLearningRate + (maximumLearningRate - minimumLearningRate) * (1 + cos(phase))
            / 2
        return (learningRate, momentum)
    }

    public var totalIterations: Int? { nil }
    public var cycleLengthIterations: Int? { firstCycleIterations }

    public func cycleEndIterations(upTo limit: Int) -> [Int] {
        if cycleLengthMultiplier == 1 { return multiples(of: firstCycleIterations, upTo: limit) }
        var ends: [Int] = []
        var end = firstCycleIterations
        var length = firstCycleIterations
        while end <= limit {
            ends.append(end)
            length *= cycleLengthMultiplier
            end += length
        }
        return ends
    }

    public var specification: String {
        "sgdr:max=\(formatNumber(maximumLearningRate)),min=\(formatNumber(minimumLearningRate)),"
            + "period=\(firstCycleIterations),mult=\(cycleLengthMultiplier),"
            + "momentum=\(formatNumber(momentum))"
    }
}
