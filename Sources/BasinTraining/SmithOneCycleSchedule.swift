/// Smith's own 1cycle, as the Caffe `lr_policy: "1cycle"` behind "A disciplined approach
/// to neural network hyper-parameters" (arXiv 1803.09820) ran it; reconstructed from the
/// learning rates logged in `lnsmith54/hyperParam1`.
///
/// With `S` the half-cycle length:
///
///     t < S       lr = base + (max − base)·t/S          μ = μmax − (μmax − μmin)·t/S
///     S ≤ t < 2S  lr = max·(1 − (t − S)/S)               μ = μmin + (μmax − μmin)·(t − S)/S
///     t ≥ 2S      lr = base / finalDiv (1000)           μ = μmax
///
/// The second half falls toward zero, not toward `base` (slope `max/S`; at 6800 of a
/// 3417-step half-cycle with max 1.2 the logs show 0.0119). The tail starts at `2S`, where
/// the falling line would reach exactly 0. Past `total` the last value is held; the single
/// cycle, tail included, ends at `total`.
public struct SmithOneCycleSchedule: LearningRateSchedule, Equatable, Sendable {
    public var baseLearningRate: Double
    public var maximumLearningRate: Double
    /// `S`, the iterations of each half of the cycle.
    public var stepIterations: Int
    public var totalIterationCount: Int
    /// The tail's rate is `base / finalDivFactor`.
    public var finalDivFactor: Double
    /// Momentum at the start and in the tail.
    public var momentumAtBase: Double
    /// Momentum at the peak rate.
    public var momentumAtPeak: Double

    /// - Precondition: `stepIterations > 0`, `totalIterations > 0`.
    public init(
        baseLearningRate: Double, maximumLearningRate: Double, stepIterations: Int,
        totalIterations: Int, finalDivFactor: Double = 1000, momentumAtBase: Double = 0.95,
        momentumAtPeak: Double = 0.85
    ) {
        precondition(stepIterations > 0, "1cycle step \(stepIterations) must be positive")
        precondition(totalIterations > 0, "1cycle total \(totalIterations) must be positive")
        self.baseLearningRate = baseLearningRate
        self.maximumLearningRate = maximumLearningRate
        self.stepIterations = stepIterations
        self.totalIterationCount = totalIterations
        self.finalDivFactor = finalDivFactor
        self.momentumAtBase = momentumAtBase
        self.momentumAtPeak = momentumAtPeak
    }

    public func value(at iteration: Int) -> (learningRate: Double, momentum: Double) {
        precondition(iteration >= 0, "iteration \(iteration) is negative")
        let t = min(iteration, totalIterationCount - 1)
        let step = Double(stepIterations)
        let momentumSpan = momentumAtBase - momentumAtPeak
        if t < stepIterations {
            let fraction = Double(t) / step
            return (
                baseLearningRate + (maximumLearningRate - baseLearningRate) * fraction,
                momentumAtBase - momentumSpan * fraction
            )
        }
        if t < 2 * stepIterations {
            let fraction = Double(t - stepIterations) / step
            return (
                maximumLearningRate * (1 - fraction),
                momentumAtPeak + momentumSpan * fraction
            )
        }
        return (baseLearningRate / finalDivFactor, momentumAtBase)
    }

    public var totalIterations: Int? { totalIterationCount }
    public var cycleLengthIterations: Int? { totalIterationCount }

    public func cycleEndIterations(upTo limit: Int) -> [Int] {
        limit >= totalIterationCount ? [totalIterationCount] : []
    }

    public var specification: String {
        "smith1cycle:base=\(formatNumber(baseLearningRate)),"
            + "max=\(formatNumber(maximumLearningRate)),step=\(stepIterations),"
            + "total=\(totalIterationCount),final_div=\(formatNumber(finalDivFactor)),"
            + "momentum=\(formatMomentum(start: momentumAtBase, end: momentumAtPeak))"
    }
}
