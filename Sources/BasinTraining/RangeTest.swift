import BasinData
import BasinKernels
import BasinNetwork

/// How to run an LR range test.
///
/// Two published forms share this machinery:
/// - **exponential** (fastai's `lr_find`, torch-lr-finder): K = 100 steps with
///   η_t = 1e-7 · (10/1e-7)^(t/K), the training loss smoothed by a debiased moving
///   average, stopped when the smoothed loss exceeds 4× its best value or is NaN.
/// - **linear** (Smith 2017 §3.3, Caffe `triangular` with stepsize = K): η_t from 0 to a
///   maximum over K steps, with the loss and accuracy on a held-out split measured every
///   M steps.
/// Both restore the weights and buffers afterwards.
public struct RangeTestConfiguration: Equatable, Sendable {
    /// The rising rate; steps t = 0 ..< K use `ramp.value(at: t)`.
    public var ramp: RangeTestRamp
    /// The update rule; the ramp's momentum is used as μ (β1 for AdamW).
    public var optimizer: OptimizerConfiguration
    /// β of the moving average s_t = β·s_{t−1} + (1 − β)·L_t, reported as s_t/(1 − β^(t+1)).
    public var smoothingFactor: Double
    /// Stop once the smoothed loss exceeds this multiple of its smallest value so far
    /// (nil: run all K steps unless the loss is NaN or infinite).
    public var stopFactor: Double?
    /// Measure the held-out split every M steps, and before the first (nil: never).
    public var evaluationPeriodIterations: Int?
    /// How the steps update BatchNorm's running statistics.
    public var statisticsUpdate: RunningStatisticsUpdate

    /// - Precondition: β in [0, 1), a stop factor above 1, a positive period.
    public init(
        ramp: RangeTestRamp, optimizer: OptimizerConfiguration = OptimizerConfiguration(),
        smoothingFactor: Double = 0.98, stopFactor: Double? = 4,
        evaluationPeriodIterations: Int? = nil,
        statisticsUpdate: RunningStatisticsUpdate = .exponential
    ) {
        precondition(
            smoothingFactor >= 0 && smoothingFactor < 1,
            "smoothing factor must lie in [0, 1), got \(smoothingFactor)")
        precondition((stopFactor ?? 2) > 1, "stop factor must exceed 1, got \(stopFactor!)")
        precondition(
            (evaluationPeriodIterations ?? 1) > 0,
            "evaluation period must be positive, got \(evaluationPeriodIterations!)")
        self.ramp = ramp
        self.optimizer = optimizer
        self.smoothingFactor = smoothingFactor
        self.stopFactor = stopFactor
        self.evaluationPeriodIterations = evaluationPeriodIterations
        self.statisticsUpdate = statisticsUpdate
    }

    /// The step count K.
    public var iterationCount: Int { ramp.rampIterations }
}

/// One step of a range test.
public struct RangeTestPoint: Equatable, Sendable, Codable {
    /// The 0-based step.
    public var iteration: Int
    public var learningRate: Double
    /// The batch loss before the step, in nats.
    public var loss: Double
    /// The debiased moving average of the losses up to this step.
    public var smoothedLoss: Double

    public init(iteration: Int, learningRate: Double, loss: Double, smoothedLoss: Double) {
        self.iteration = iteration
        self.learningRate = learningRate
        self.loss = loss
        self.smoothedLoss = smoothedLoss
    }
}

/// One measurement on the held-out split during a range test.
public struct RangeTestEvaluation: Equatable, Sendable, Codable {
    /// Steps completed when measured.
    public var iteration: Int
    /// The rate of the last step taken (the ramp's first rate before any step).
    public var learningRate: Double
    public var loss: Double
    public var accuracy: Double

    public init(iteration: Int, learningRate: Double, loss: Double, accuracy: Double) {
        self.iteration = iteration
        self.learningRate = learningRate
        self.loss = loss
        self.accuracy = accuracy
    }
}

/// Why a range test ended.
public enum RangeTestStop: Equatable, Sendable {
    /// All K steps ran.
    case completed
    /// The smoothed loss rose above `stopFactor` times its best value.
    case lossExploded(smoothedLoss: Double, bestSmoothedLoss: Double)
    /// The loss became NaN or infinite (that step was not applied).
    case nonFiniteLoss

    /// A short phrase for reports.
    public var description: String {
        switch self {
        case .completed: return "completed every step"
        case .lossExploded(let smoothed, let best):
            return "stopped: smoothed loss \(smoothed) exceeded the stop factor times the best "
                + "\(best)"
        case .nonFiniteLoss: return "stopped: the loss became NaN or infinite"
        }
    }
}

/// The record of a range test and the rates it suggests.
public struct RangeTestResult: Equatable, Sendable {
    public var points: [RangeTestPoint]
    public var evaluations: [RangeTestEvaluation]
    public var stop: RangeTestStop
    public var suggestions: [LearningRateSuggestion]
}

/// Runs an LR range test on `model`, drawing batches from a copy of `batcher` and
/// measuring `heldOut` (in running-statistics mode) every M steps when configured.
///
/// The optimizer is a fresh one from `configuration.optimizer`; the model's parameters,
/// running statistics and batch counters are restored bit for bit before returning, and
/// the caller's batcher is a value that does not advance, so the test leaves no trace.
/// `observer` sees every point as it is measured (for progress).
public func runRangeTest(
    model: Model, batcher: TrainingBatcher, heldOut: EvaluationBatcher? = nil,
    configuration: RangeTestConfiguration, observer: (RangeTestPoint) -> Void = { _ in }
) -> RangeTestResult {
    let saved = (model.parameters, model.runningStatistics, model.batchesTracked)
    defer { (model.parameters, model.runningStatistics, model.batchesTracked) = saved }

    var stream = batcher
    var batch = stream.makeBatch()
    var gradient = [Float](repeating: 0, count: model.parameterCount)
    let exempt = model.parameterLayout.filter(\.role.isExemptFromWeightDecay).map(\.range)
    var optimizer = configuration.optimizer.makeOptimizer(
        parameterCount: model.parameterCount, exemptRanges: exempt)
    var average = DebiasedMovingAverage(smoothingFactor: configuration.smoothingFactor)
    var best = Double.infinity
    var points: [RangeTestPoint] = []
    var evaluations: [RangeTestEvaluation] = []
    var stop = RangeTestStop.completed

    func measure(after steps: Int) {
        guard let heldOut, let period = configuration.evaluationPeriodIterations,
            steps % period == 0
        else { return }
        let metrics = model.evaluate(heldOut, mode: .running)
        evaluations.append(
            RangeTestEvaluation(
                iteration: steps,
                learningRate: configuration.ramp.value(at: max(steps - 1, 0)).learningRate,
                loss: metrics.loss, accuracy: metrics.accuracy))
    }

    measure(after: 0)
    for iteration in 0..<configuration.iterationCount {
        // The loss and gradient at the current weights, then the smoothed record.
        let (rate, momentum) = configuration.ramp.value(at: iteration)
        stream.nextBatch(into: &batch)
        let result = model.gradient(
            images: batch.images, labels: batch.labels, mode: .batch,
            statisticsUpdate: configuration.statisticsUpdate, into: &gradient)
        let smoothed = average.adding(result.loss)
        let point = RangeTestPoint(
            iteration: iteration, learningRate: rate, loss: result.loss, smoothedLoss: smoothed)
        points.append(point)
        observer(point)

        // Stop on a blown-up loss before stepping; otherwise step and measure.
        guard result.loss.isFinite, smoothed.isFinite else {
            stop = .nonFiniteLoss
            break
        }
        best = min(best, smoothed)
        if let factor = configuration.stopFactor, smoothed > factor * best {
            stop = .lossExploded(smoothedLoss: smoothed, bestSmoothedLoss: best)
            break
        }
        optimizer.step(
            parameters: &model.parameters, gradient: gradient, learningRate: rate,
            momentum: momentum)
        measure(after: iteration + 1)
    }
    return RangeTestResult(
        points: points, evaluations: evaluations, stop: stop,
        suggestions: suggestLearningRates(points: points, evaluations: evaluations))
}

/// The bias-corrected exponential moving average of Adam and fastai's loss smoothing:
///
///     a_n = β·a_{n−1} + (1 − β)·x_n,  a_0 = 0,   value = a_n / (1 − βⁿ)
///
/// The correction makes the first value x_1 itself rather than (1 − β)·x_1.
public struct DebiasedMovingAverage: Equatable, Sendable {
    public let smoothingFactor: Double
    private var average = 0.0
    private var correction = 1.0
    public private(set) var count = 0

    public init(smoothingFactor: Double) {
        precondition(
            smoothingFactor >= 0 && smoothingFactor < 1,
            "smoothing factor must lie in [0, 1), got \(smoothingFactor)")
        self.smoothingFactor = smoothingFactor
    }

    /// Adds `value` and returns the debiased average including it.
    public mutating func adding(_ value: Double) -> Double {
        average = smoothingFactor * average + (1 - smoothingFactor) * value
        correction *= smoothingFactor
        count += 1
        return average / (1 - correction)
    }
}
