/// A learning-rate and momentum schedule: a pure function of the 0-based iteration.
///
/// Iteration `t` is the index of the optimizer step the value is used for: the first step
/// of training uses `value(at: 0)`. This is PyTorch's indexing, where a scheduler's
/// `last_epoch` is 0 before the first `scheduler.step()`. For Adam-type optimizers the
/// momentum is used as β1.
///
/// Cycle ends are counted in completed iterations: a cycle "ends at n" when, after `n`
/// optimizer steps have run (steps 0..<n), the learning rate has come down to the cycle's
/// minimum. That `n` is also the first iteration of the next cycle, so for a CLR schedule
/// `value(at: n)` is the base rate. A trainer saves the cycle's checkpoint after step
/// `n − 1` has been applied.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate and momentum (β1 for Adam) for the optimizer step `iteration`.
    /// Defined for every `iteration ≥ 0`; past the end of a finite schedule it holds the
    /// value of its last iteration.
    func value(at iteration: Int) -> (learningRate: Double, momentum: Double)

    /// The number of iterations the schedule is defined for, or nil when it goes on
    /// forever (constant, step, CLR, SGDR).
    var totalIterations: Int? { get }

    /// The length of one cycle in iterations (the first one for SGDR, whose cycles
    /// grow), or nil for schedules without cycles.
    var cycleLengthIterations: Int? { get }

    /// The completed-iteration counts `n` with `1 ≤ n ≤ limit` at which a cycle ends,
    /// ascending. Empty for schedules without cycles.
    func cycleEndIterations(upTo limit: Int) -> [Int]

    /// The canonical text of the schedule, with every key written and every length in
    /// iterations; `Schedule(parsing:)` reads it back to an equal schedule.
    var specification: String { get }
}

/// Every schedule Basin knows, as one value that the trainer, the LR range test and the
/// sweep pass around. Parse one from text with `Schedule(parsing:iterationsPerEpoch:)`.
public enum Schedule: LearningRateSchedule, Equatable, Sendable {
    case constant(ConstantSchedule)
    case step(StepSchedule)
    case multiStep(MultiStepSchedule)
    case cyclical(CyclicalSchedule)
    case oneCycle(OneCycleSchedule)
    case smithOneCycle(SmithOneCycleSchedule)
    case warmRestarts(WarmRestartsSchedule)
    case rangeTestRamp(RangeTestRamp)

    /// The schedule behind the case.
    public var policy: any LearningRateSchedule {
        switch self {
        case .constant(let schedule): schedule
        case .step(let schedule): schedule
        case .multiStep(let schedule): schedule
        case .cyclical(let schedule): schedule
        case .oneCycle(let schedule): schedule
        case .smithOneCycle(let schedule): schedule
        case .warmRestarts(let schedule): schedule
        case .rangeTestRamp(let schedule): schedule
        }
    }

    public func value(at iteration: Int) -> (learningRate: Double, momentum: Double) {
        policy.value(at: iteration)
    }

    public var totalIterations: Int? { policy.totalIterations }

    public var cycleLengthIterations: Int? { policy.cycleLengthIterations }

    public func cycleEndIterations(upTo limit: Int) -> [Int] {
        policy.cycleEndIterations(upTo: limit)
    }

    public var specification: String { policy.specification }
}

extension LearningRateSchedule {
    /// The values for iterations `0..<iterationCount`.
    public func values(count iterationCount: Int) -> [(learningRate: Double, momentum: Double)] {
        precondition(iterationCount >= 0, "iteration count \(iterationCount) is negative")
        return (0..<iterationCount).map { value(at: $0) }
    }
}

/// The multiples of `period` in `1...limit`: the cycle ends of a schedule whose cycles all
/// have the same length.
func multiples(of period: Int, upTo limit: Int) -> [Int] {
    precondition(period > 0, "cycle length \(period) must be positive")
    guard limit >= period else { return [] }
    return Array(stride(from: period, through: limit, by: period))
}

/// Writes a number for a specification: the shortest text that reads back to the same
/// Double (`0.1`, `1e-05`, `2000`).
func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 {
        return String(Int64(value))
    }
    return "\(value)"
}

/// Writes a momentum range `start-end`, or a single number when it does not move.
func formatMomentum(start: Double, end: Double) -> String {
    start == end ? formatNumber(start) : "\(formatNumber(start))-\(formatNumber(end))"
}
