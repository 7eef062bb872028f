import Foundation

/// Cyclical learning rates (Smith, "Cyclical Learning Rates for Training Neural Networks",
/// WACV 2017), computed exactly as PyTorch's `CyclicLR`, with cyclical momentum moving
/// against the rate.
///
/// With `up` and `down` the half-cycle lengths, `T = up + down` and `r = up / T`, the value
/// for iteration `t` is
///
///     cycle = ⌊1 + t/T⌋                      (1-based)
///     x     = 1 + t/T − cycle                (position in the cycle, in [0, 1))
///     s     = x/r             if x ≤ r       (rising: 0 → 1)
///           = (x − 1)/(r − 1) otherwise      (falling: 1 → 0)
///     lr    = base + (max − base) · s · a
///     μ     = μmax − (μmax − μbase) · s · a
///
/// where the amplitude factor `a` is 1 (`triangular`), `1/2^(cycle−1)` (`triangular2`),
/// `gamma^t` (`exp_range`, evaluated per iteration as PyTorch does), or `1/cycle`
/// (`caffeTriangular`, the decaying variant found in Smith's Caffe patch, which contradicts
/// the paper's triangular and is offered only under its own name). With `up == down` this
/// is the bckenstler formula `x = |t/step − 2·cycle + 1|`, `lr = base + (max−base)·max(0, 1−x)`.
///
/// Cycles end at multiples of `T`: `value(at: k·T)` is the base rate.
public struct CyclicalSchedule: LearningRateSchedule, Equatable, Sendable {
    /// How the amplitude of a cycle shrinks.
    public enum Mode: Equatable, Sendable {
        /// Constant amplitude.
        case triangular
        /// Amplitude halved each cycle: `1/2^(cycle−1)`.
        case triangular2
        /// Amplitude times `gamma^t`, `t` the iteration.
        case exponentialRange(gamma: Double)
        /// Amplitude divided by the 1-based cycle index (Smith's Caffe patch).
        case caffeTriangular

        /// The name used in specifications: `triangular`, `triangular2`, `exp_range`,
        /// `caffe_triangular`.
        public var name: String {
            switch self {
            case .triangular: "triangular"
            case .triangular2: "triangular2"
            case .exponentialRange: "exp_range"
            case .caffeTriangular: "caffe_triangular"
            }
        }
    }

    public var mode: Mode
    public var baseLearningRate: Double
    public var maximumLearningRate: Double
    /// Iterations from the base rate to the peak (PyTorch `step_size_up`).
    public var stepUpIterations: Int
    /// Iterations from the peak back to the base rate (PyTorch `step_size_down`).
    public var stepDownIterations: Int
    /// Momentum at the base rate (PyTorch `max_momentum`).
    public var momentumAtBase: Double
    /// Momentum at the peak rate (PyTorch `base_momentum`); equal to `momentumAtBase` for
    /// a constant momentum (PyTorch `cycle_momentum=False`).
    public var momentumAtPeak: Double

    /// PyTorch's defaults: `step_size_up=2000`, `step_size_down=step_size_up`,
    /// momentum 0.9 at the base rate and 0.8 at the peak.
    /// - Precondition: `stepUpIterations > 0` and `stepDownIterations > 0`.
    public init(
        mode: Mode = .triangular, baseLearningRate: Double, maximumLearningRate: Double,
        stepUpIterations: Int = 2000, stepDownIterations: Int? = nil,
        momentumAtBase: Double = 0.9, momentumAtPeak: Double = 0.8
    ) {
        let down = stepDownIterations ?? stepUpIterations
        precondition(
            stepUpIterations > 0 && down > 0,
            "CLR half-cycles must be positive, got up \(stepUpIterations), down \(down)")
        self.mode = mode
        self.baseLearningRate = baseLearningRate
        self.maximumLearningRate = maximumLearningRate
        self.stepUpIterations = stepUpIterations
        self.stepDownIterations = down
        self.momentumAtBase = momentumAtBase
        self.momentumAtPeak = momentumAtPeak
    }

    /// `up + down`, the iterations in one cycle.
    public var cycleIterations: Int { stepUpIterations + stepDownIterations }

    public func value(at iteration: Int) -> (learningRate: Double, momentum: Double) {
        precondition(iteration >= 0, "iteration \(iteration) is negative")

        // Position in the cycle and the triangle height there, as PyTorch computes them.
        let total = Double(cycleIterations)
        let stepRatio = Double(stepUpIterations) / total
        let cycle = (1 + Double(iteration) / total).rounded(.down)
        let x = 1 + Double(iteration) / total - cycle
        let height = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1)

        // Amplitude decay of the mode.
        let amplitude: Double
        switch mode {
        case .triangular: amplitude = 1
        case .triangular2: amplitude = 1 / pow(2, cycle - 1)
        case .exponentialRange(let gamma): amplitude = pow(gamma, Double(iteration))
        case .caffeTriangular: amplitude = 1 / cycle
        }

        let learningRate =
            baseLearningRate + (maximumLearningRate - baseLearningRate) * height * amplitude
        let momentum = momentumAtBase - (momentumAtBase - momentumAtPeak) * height * amplitude
        return (learningRate, momentum)
    }

    public var totalIterations: Int? { nil }
    public var cycleLengthIterations: Int? { cycleIterations }

    public func cycleEndIterations(upTo limit: Int) -> [Int] {
        multiples(of: cycleIterations, upTo: limit)
    }

    public var specification: String {
        var text = "clr:mode=\(mode.name),base=\(formatNumber(baseLearningRate))"
        text += ",max=\(formatNumber(maximumLearningRate))"
        text += ",up=\(stepUpIterations),down=\(stepDownIterations)"
        if case .exponentialRange(let gamma) = mode { text += ",gamma=\(formatNumber(gamma))" }
        text += ",momentum=\(formatMomentum(start: momentumAtBase, end: momentumAtPeak))"
        return text
    }
}
