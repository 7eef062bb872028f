import BasinData
import BasinKernels
import BasinNetwork
import Foundation

/// Everything that decides what a `Trainer` does, apart from the model and the data.
///
/// Lengths are in iterations (optimizer steps). The command line converts epochs with the
/// batcher's `batchesPerEpoch` (⌊N/B⌋, the last partial batch dropped), so epoch `e` ends
/// after `e · batchesPerEpoch` iterations.
public struct TrainingConfiguration: Equatable, Sendable {
    /// The learning rate and momentum of every step.
    public var schedule: Schedule
    /// The update rule and its constants.
    public var optimizer: OptimizerConfiguration
    /// Training examples per step, B.
    public var batchSize: Int
    /// The number of optimizer steps of the whole run.
    public var iterationCount: Int
    /// The `--seed` from which the model's initial weights, the batch order, the
    /// augmentation draws and the validation split are derived (see `TrainingSeeds`).
    public var seed: UInt64
    /// Augmentation of training batches; evaluation never augments.
    public var augmentation: Augmentation
    /// Examples per evaluation batch (fixed, unaugmented batches in stored order).
    public var evaluationBatchSize: Int
    /// How the training passes update BatchNorm's running statistics.
    public var statisticsUpdate: RunningStatisticsUpdate
    /// A snapshot is due every this many iterations (nil: no snapshots).
    public var snapshotPeriodIterations: Int?
    /// When training counts as diverged.
    public var divergence: DivergenceGuard

    /// - Precondition: positive batch sizes and iteration count, a positive snapshot
    ///   period when given.
    public init(
        schedule: Schedule, optimizer: OptimizerConfiguration = OptimizerConfiguration(),
        batchSize: Int, iterationCount: Int, seed: UInt64,
        augmentation: Augmentation = .none, evaluationBatchSize: Int = 1000,
        statisticsUpdate: RunningStatisticsUpdate = .exponential,
        snapshotPeriodIterations: Int? = nil, divergence: DivergenceGuard = DivergenceGuard()
    ) {
        precondition(batchSize > 0, "batch size must be positive, got \(batchSize)")
        precondition(iterationCount > 0, "iteration count must be positive, got \(iterationCount)")
        precondition(
            evaluationBatchSize > 0,
            "evaluation batch size must be positive, got \(evaluationBatchSize)")
        precondition(
            (snapshotPeriodIterations ?? 1) > 0,
            "snapshot period must be positive, got \(snapshotPeriodIterations as Any)")
        self.schedule = schedule
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.iterationCount = iterationCount
        self.seed = seed
        self.augmentation = augmentation
        self.evaluationBatchSize = evaluationBatchSize
        self.statisticsUpdate = statisticsUpdate
        self.snapshotPeriodIterations = snapshotPeriodIterations
        self.divergence = divergence
    }
}

/// The random streams of a run, all derived from its one `--seed`, so that each consumer
/// draws from its own stream and adding draws to one never shifts another.
public enum TrainingSeeds {
    /// The generator that draws the model's initial weights.
    public static func model(seed: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed)
    }

    /// The generator of the training batcher: epoch shuffles and augmentation draws.
    public static func batcher(seed: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed).derived(stream: 1)
    }

    /// The generator that picks the validation examples held out of the training split.
    public static func validationSplit(seed: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed).derived(stream: 2)
    }
}

/// The rule that stops a run whose loss has blown up.
///
/// Training stops before the step whose batch loss is NaN, ±∞, or above `lossBound`
/// nats. The default bound, 20·ln K for K classes (46 nats for ten classes), is twenty
/// times the loss of a uniform prediction: a network that far from chance is diverging,
/// while the transient rises of a large learning rate stay well below it.
public struct DivergenceGuard: Equatable, Sendable {
    /// The largest acceptable batch loss in nats; nil means 20·ln K.
    public var lossBound: Double?

    /// - Precondition: a given bound is positive.
    public init(lossBound: Double? = nil) {
        precondition((lossBound ?? 1) > 0, "loss bound must be positive, got \(lossBound!)")
        self.lossBound = lossBound
    }

    /// The bound in force for `classCount` classes.
    public func bound(classCount: Int) -> Double {
        lossBound ?? 20 * log(Double(max(classCount, 2)))
    }

    /// Whether `loss` means the run has diverged.
    public func hasDiverged(loss: Double, classCount: Int) -> Bool {
        !loss.isFinite || loss > bound(classCount: classCount)
    }
}
