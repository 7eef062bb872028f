/// What a `Trainer` reports to its observer, in the order it happens. The library never
/// prints or writes files: a command turns these into a progress bar, and a run writer
/// into checkpoints and `metrics.csv`.
///
/// After step `t` (0-based) has been applied, the events of that step come in this order:
/// `iterationCompleted`, then `evaluated` when the step ended an epoch, then `cycleEnded`
/// when `t + 1` is a cycle end of the schedule, then `snapshotDue` when `t + 1` is a
/// multiple of the snapshot period. A checkpoint written on `cycleEnded` or `snapshotDue`
/// therefore sees the metrics of an evaluation made at the same iteration.
public enum TrainingEvent: Sendable {
    /// Training is about to take its first step (not sent when resuming): the weights are
    /// the initial ones.
    case started(iterationCount: Int)
    /// Training continues from a restored state after `iteration` steps.
    case resumed(iteration: Int)
    /// One optimizer step was applied.
    case iterationCompleted(IterationRecord)
    /// The model was evaluated (at every epoch end, and at the end of a run that does not
    /// end on an epoch boundary).
    case evaluated(EvaluationRecord)
    /// A learning-rate cycle ended: the rate has come down to the cycle's minimum.
    case cycleEnded(CycleEnd)
    /// `iteration` steps have been taken and the snapshot period divides it.
    case snapshotDue(iteration: Int)
    /// The divergence guard stopped training; the model holds the weights whose loss blew
    /// up, the last good ones are those of the last checkpoint written.
    case diverged(DivergenceReport)
    /// `run(until:)` reached its stopping iteration before the end of the run; the state
    /// can be saved and resumed.
    case paused(iteration: Int)
    /// The run took all its steps.
    case finished(iteration: Int)
}

/// One optimizer step.
public struct IterationRecord: Equatable, Sendable {
    /// The 0-based index of the step; the schedule's `value(at: iteration)` was used.
    public var iteration: Int
    /// The epoch of the step's batch, from 0.
    public var epoch: Int
    public var learningRate: Double
    /// SGD's μ, or Adam's β1.
    public var momentum: Double
    /// The mean cross-entropy of the batch at the weights before the step, in nats.
    public var loss: Double
    /// The fraction of the batch classified correctly before the step.
    public var accuracy: Double

    public init(
        iteration: Int, epoch: Int, learningRate: Double, momentum: Double, loss: Double,
        accuracy: Double
    ) {
        self.iteration = iteration
        self.epoch = epoch
        self.learningRate = learningRate
        self.momentum = momentum
        self.loss = loss
        self.accuracy = accuracy
    }
}

/// The loss and accuracy of a model on a set of examples.
public struct SplitMetrics: Equatable, Sendable, Codable {
    /// Mean cross-entropy per example, in nats.
    public var loss: Double
    /// Fraction of examples classified correctly, in [0, 1].
    public var accuracy: Double
    /// The number of examples.
    public var exampleCount: Int

    public init(loss: Double, accuracy: Double, exampleCount: Int) {
        self.loss = loss
        self.accuracy = accuracy
        self.exampleCount = exampleCount
    }
}

/// The metrics of one evaluation during training.
public struct EvaluationRecord: Equatable, Sendable {
    /// Steps completed when the evaluation was made.
    public var iteration: Int
    /// Epochs completed (an evaluation at the end of a partial epoch counts only the
    /// complete ones).
    public var epoch: Int
    /// Whether the evaluation closes an epoch.
    public var endsEpoch: Bool
    /// The batch losses and accuracies of the steps since the previous evaluation,
    /// averaged over their examples: the training metrics as they were measured during
    /// the epoch, in training mode, not a second pass over the training split.
    public var train: SplitMetrics
    /// The test split, in BatchNorm's running-statistics mode.
    public var test: SplitMetrics
    /// The held-out validation split, when there is one.
    public var validation: SplitMetrics?

    public init(
        iteration: Int, epoch: Int, endsEpoch: Bool, train: SplitMetrics, test: SplitMetrics,
        validation: SplitMetrics? = nil
    ) {
        self.iteration = iteration
        self.epoch = epoch
        self.endsEpoch = endsEpoch
        self.train = train
        self.test = test
        self.validation = validation
    }
}

/// The end of one learning-rate cycle.
public struct CycleEnd: Equatable, Sendable {
    /// 1 for the first cycle.
    public var cycle: Int
    /// Steps completed at the cycle's end.
    public var iteration: Int
    /// The rate and momentum of the last step of the cycle.
    public var learningRate: Double
    public var momentum: Double

    public init(cycle: Int, iteration: Int, learningRate: Double, momentum: Double) {
        self.cycle = cycle
        self.iteration = iteration
        self.learningRate = learningRate
        self.momentum = momentum
    }
}

/// Why and where training stopped on divergence.
public struct DivergenceReport: Equatable, Sendable, CustomStringConvertible {
    /// The index of the step whose batch loss blew up (that step was not applied).
    public var iteration: Int
    /// The offending loss: NaN, ±∞ or above the bound.
    public var loss: Double
    /// The bound of the divergence guard.
    public var lossBound: Double
    /// The learning rate of the last step applied, which produced the weights; nil when
    /// the loss of the initial weights already failed.
    public var learningRate: Double?

    public init(iteration: Int, loss: Double, lossBound: Double, learningRate: Double? = nil) {
        self.iteration = iteration
        self.loss = loss
        self.lossBound = lossBound
        self.learningRate = learningRate
    }

    public var description: String {
        let what = loss.isFinite ? "loss \(loss) exceeds the bound \(lossBound)" : "loss is \(loss)"
        let rate = learningRate.map { " after a step at learning rate \($0)" } ?? " at the start"
        return "training diverged at iteration \(iteration)\(rate): \(what)"
    }
}
