import Foundation

/// The one-cycle policy as PyTorch's `OneCycleLR` computes it, or as fastai v2's
/// `fit_one_cycle` does.
///
/// With `T` the total iterations, `initial = max/div` and `p = pctStart`:
///
/// **PyTorch, two phases** (default): phase ends at iteration `p·T − 1` and `T − 1`;
/// phase 1 anneals `initial → max` (momentum `μmax → μmin`), phase 2 anneals
/// `max → initial/finalDiv` (momentum `μmin → μmax`). Inside a phase from `s` to `e`,
/// `pct = (t − s)/(e − s)`. **Three phases**: ends at `p·T − 1`, `2p·T − 2`, `T − 1`; phase 2
/// comes back `max → initial` (momentum `μmin → μmax`), phase 3 anneals
/// `initial → initial/finalDiv` with momentum held at `μmax`.
///
/// **fastai**: `pos = t/T`; for `pos < p`, anneal `initial → max` over `pos/p`, else
/// `max → max/finalDiv` over `(pos − p)/(1 − p)`; momentum `μmax → μmin → μmax`. Note that
/// fastai's final divisor divides the peak (`div_final=1e5`), PyTorch's divides the
/// initial rate (`final_div_factor=1e4`, floor `max/2.5e5`).
///
/// Annealing is cosine, `end + (start − end)·(1 + cos(π·pct))/2`, or linear,
/// `start + (end − start)·pct`.
///
/// Past the end (`t ≥ T`) the value of iteration `T − 1` is held. PyTorch instead
/// extrapolates the last phase at `t = T` and raises an error for `t > T`.
/// A zero-length phase (e.g. `p·T = 1`, which PyTorch turns into 0/0 = NaN) takes its end
/// value. The single cycle ends at `T`.
public struct OneCycleSchedule: LearningRateSchedule, Equatable, Sendable {
    /// Whose formula to follow.
    public enum Style: String, Equatable, Sendable, CaseIterable {
        case pytorch
        case fastai
    }

    /// The shape of each phase's interpolation.
    public enum Annealing: String, Equatable, Sendable, CaseIterable {
        case cosine = "cos"
        case linear

        /// The value at fraction `pct` of the way from `start` to `end`.
        func interpolate(from start: Double, to end: Double, fraction pct: Double) -> Double {
            switch self {
            case .cosine: end + (start - end) / 2 * (cos(Double.pi * pct) + 1)
            case .linear: (end - start) * pct + start
            }
        }
    }

    public var style: Style
    public var maximumLearningRate: Double
    public var totalIterationCount: Int
    /// Fraction of the iterations spent rising (PyTorch 0.3, fastai 0.25).
    public var pctStart: Double
    public var annealing: Annealing
    /// `initial = max / divFactor`.
    public var divFactor: Double
    /// PyTorch: `min = initial / finalDivFactor` (default 1e4); fastai: `min = max /
    /// finalDivFactor` (default 1e5).
    public var finalDivFactor: Double
    /// PyTorch's `three_phase`; fastai has only two phases.
    public var threePhase: Bool
    /// Momentum at the start and end (PyTorch `max_momentum`, 0.95).
    public var momentumAtBase: Double
    /// Momentum at the peak rate (PyTorch `base_momentum`, 0.85).
    public var momentumAtPeak: Double

    /// Defaults are PyTorch's, or fastai's for `pctStart` and `finalDivFactor` when they are
    /// nil and the style is `.fastai`.
    /// - Precondition: `totalIterations > 0`, `0 ≤ pctStart ≤ 1`, no three phases in the
    ///   fastai style.
    public init(
        style: Style = .pytorch, maximumLearningRate: Double, totalIterations: Int,
        pctStart: Double? = nil, annealing: Annealing = .cosine, divFactor: Double = 25,
        finalDivFactor: Double? = nil, threePhase: Bool = false,
        momentumAtBase: Double = 0.95, momentumAtPeak: Double = 0.85
    ) {
        let pct = pctStart ?? (style == .pytorch ? 0.3 : 0.25)
        precondition(totalIterations > 0, "one-cycle length \(totalIterations) must be positive")
        precondition((0...1).contains(pct), "pct_start \(pct) must lie in [0, 1]")
        precondition(!(threePhase && style == .fastai), "fastai's one-cycle has two phases")
        self.style = style
        self.maximumLearningRate = maximumLearningRate
        self.totalIterationCount = totalIterations
        self.pctStart = pct
        self.annealing = annealing
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor ?? (style == .pytorch ? 1e4 : 1e5)
        self.threePhase = threePhase
        self.momentumAtBase = momentumAtBase
        self.momentumAtPeak = momentumAtPeak
    }

    /// `max / divFactor`, the first iteration's rate.
    public var initialLearningRate: Double { maximumLearningRate / divFactor }

    /// The rate the schedule ends at.
    public var minimumLearningRate: Double {
        switch style {
        case .pytorch: initialLearningRate / finalDivFactor
        case .fastai: maximumLearningRate / finalDivFactor
        }
    }

    public func value(at iteration: Int) -> (learningRate: Double, momentum: Double) {
        precondition(iteration >= 0, "iteration \(iteration) is negative")
        let t = Double(min(iteration, totalIterationCount - 1))
        switch style {
        case .pytorch: return pytorchValue(at: t)
        case .fastai: return fastaiValue(at: t)
        }
    }

    /// One phase: where it ends (an iteration, possibly fractional) and the values it
    /// goes between.
    private struct Phase {
        var endStep: Double
        var learningRates: (start: Double, end: Double)
        var momenta: (start: Double, end: Double)
    }

    private var pytorchPhases: [Phase] {
        let total = Double(totalIterationCount)
        let (initial, peak, floor) = (
            initialLearningRate, maximumLearningRate, minimumLearningRate
        )
        let (high, low) = (momentumAtBase, momentumAtPeak)
        let rise = Phase(
            endStep: pctStart * total - 1, learningRates: (initial, peak), momenta: (high, low))
        guard threePhase else {
            return [
                rise,
                Phase(endStep: total - 1, learningRates: (peak, floor), momenta: (low, high)),
            ]
        }
        return [
            rise,
            Phase(
                endStep: 2 * pctStart * total - 2, learningRates: (peak, initial),
                momenta: (low, high)),
            Phase(endStep: total - 1, learningRates: (initial, floor), momenta: (high, high)),
        ]
    }

    private func pytorchValue(at t: Double) -> (learningRate: Double, momentum: Double) {
        let phases = pytorchPhases
        var startStep = 0.0
        for (index, phase) in phases.enumerated() {
            if t <= phase.endStep || index == phases.count - 1 {
                let length = phase.endStep - startStep
                let pct = length == 0 ? 1 : (t - startStep) / length
                return (
                    annealing.interpolate(
                        from: phase.learningRates.start, to: phase.learningRates.end,
                        fraction: pct),
                    annealing.interpolate(
                        from: phase.momenta.start, to: phase.momenta.end, fraction: pct)
                )
            }
            startStep = phase.endStep
        }
        preconditionFailure("unreachable: the last phase always matches")
    }

    private func fastaiValue(at t: Double) -> (learningRate: Double, momentum: Double) {
        let position = t / Double(totalIterationCount)
        if position < pctStart {
            let pct = position / pctStart
            return (
                annealing.interpolate(
                    from: initialLearningRate, to: maximumLearningRate, fraction: pct),
                annealing.interpolate(from: momentumAtBase, to: momentumAtPeak, fraction: pct)
            )
        }
        let pct = pctStart == 1 ? 1 : (position - pctStart) / (1 - pctStart)
        return (
            annealing.interpolate(
                from: maximumLearningRate, to: minimumLearningRate, fraction: pct),
            annealing.interpolate(from: momentumAtPeak, to: momentumAtBase, fraction: pct)
        )
    }

    public var totalIterations: Int? { totalIterationCount }
    public var cycleLengthIterations: Int? { totalIterationCount }

    public func cycleEndIterations(upTo limit: Int) -> [Int] {
        limit >= totalIterationCount ? [totalIterationCount] : []
    }

    public var specification: String {
        var text = "onecycle:style=\(style.rawValue),max=\(formatNumber(maximumLearningRate))"
        text += ",total=\(totalIterationCount),pct=\(formatNumber(pctStart))"
        text += ",anneal=\(annealing.rawValue),div=\(formatNumber(divFactor))"
        text += ",final_div=\(formatNumber(finalDivFactor)),phases=\(threePhase ? 3 : 2)"
        text += ",momentum=\(formatMomentum(start: momentumAtBase, end: momentumAtPeak))"
        return text
    }
}
