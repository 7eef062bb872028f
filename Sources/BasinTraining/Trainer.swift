import BasinData
import BasinKernels
import BasinNetwork

// Dimension letters: N training examples, B batch size, P parameters.

/// Trains a model with a schedule and an optimizer, step by step, and reports what happens
/// to an observer (`TrainingEvent`).
///
/// One step t (0-based) draws the next shuffled, augmented batch, computes the mean loss
/// and its gradient in BatchNorm's batch mode (updating the running statistics), checks
/// the divergence guard, and applies the optimizer with the schedule's rate and momentum
/// for t:
///
///     g_t = ∇_θ L(θ_t; batch_t),   θ_{t+1} = optimizer(θ_t, g_t, η_t, μ_t)
///
/// The batch buffers and the gradient vector are allocated once, so a step allocates
/// nothing. At every epoch end the model is evaluated on the test split (and the
/// validation split when the data set has one) in running-statistics mode, with fixed,
/// unaugmented batches.
///
/// Given the same model, data, configuration and `Parallelism.threadCount`, a run is
/// deterministic; `resumeState` and `restore(_:)` split it anywhere between two steps
/// without changing a bit.
public final class Trainer {
    public let model: Model
    public let configuration: TrainingConfiguration
    /// The optimizer built from `configuration.optimizer`, with biases and BatchNorm
    /// parameters exempt from decay when the configuration says so.
    public private(set) var optimizer: any Optimizer
    public private(set) var batcher: TrainingBatcher
    public let testBatches: EvaluationBatcher
    public let validationBatches: EvaluationBatcher?
    /// Steps completed.
    public private(set) var iteration = 0
    /// Cycle ends of the schedule within the run, ascending (completed-step counts).
    public let cycleEndIterations: [Int]

    private var batch: Batch
    private var gradient: [Float]
    /// The schedule's rate and momentum for every step, computed once: reading them through
    /// the schedule's existential would box a value on the heap at every step.
    private let stepValues: [(learningRate: Double, momentum: Double)]
    private var sinceEvaluation = MetricsAccumulator()
    private var lastEvaluationIteration = 0

    /// - Parameters:
    ///   - dataset: the training split feeds the steps, the test split (and the validation
    ///     split if held out) the evaluations.
    ///   - normalization: the per-channel standardisation of every input (computed on the
    ///     training split by the caller).
    /// - Throws: `DataError.invalidBatchSize` when the training split holds fewer than
    ///   `batchSize` examples.
    /// - Precondition: the model's input shape and class count match the data set.
    public init(
        model: Model, dataset: Dataset, normalization: ChannelNormalization,
        configuration: TrainingConfiguration
    ) throws {
        let shape = dataset.inputShape
        precondition(
            model.inputShape.channels == shape.channels
                && model.inputShape.height == shape.height
                && model.inputShape.width == shape.width,
            "model input \(model.inputShape) does not match the data's \(shape)")
        precondition(
            model.classCount == dataset.classCount,
            "model has \(model.classCount) classes, the data \(dataset.classCount)")
        self.model = model
        self.configuration = configuration
        batcher = try TrainingBatcher(
            split: dataset.train, batchSize: configuration.batchSize,
            normalization: normalization, augmentation: configuration.augmentation,
            generator: TrainingSeeds.batcher(seed: configuration.seed))
        testBatches = try EvaluationBatcher(
            split: dataset.test, batchSize: configuration.evaluationBatchSize,
            normalization: normalization)
        validationBatches = try dataset.evaluationBatches(
            .validation, batchSize: configuration.evaluationBatchSize,
            normalization: normalization)
        let exempt = model.parameterLayout.filter(\.role.isExemptFromWeightDecay).map(\.range)
        optimizer = configuration.optimizer.makeOptimizer(
            parameterCount: model.parameterCount, exemptRanges: exempt)
        cycleEndIterations = configuration.schedule.cycleEndIterations(
            upTo: configuration.iterationCount)
        batch = batcher.makeBatch()
        gradient = [Float](repeating: 0, count: model.parameterCount)
        stepValues = configuration.schedule.values(count: configuration.iterationCount)
    }

    /// Training steps per epoch, ⌊N/B⌋.
    public var iterationsPerEpoch: Int { batcher.batchesPerEpoch }

    /// Cycles completed so far.
    public var completedCycles: Int { cycleEndIterations.prefix { $0 <= iteration }.count }

    /// Whether every step of the run has been taken.
    public var isFinished: Bool { iteration >= configuration.iterationCount }

    /// The rate and momentum of the last step taken (of step 0 before any).
    public var lastStepValue: (learningRate: Double, momentum: Double) {
        stepValues[max(iteration - 1, 0)]
    }

    /// Runs steps until the run is complete or `stopIteration` steps have been taken,
    /// whichever comes first, sending every event to `observer`. An error thrown by the
    /// observer stops training and is rethrown.
    ///
    /// - Returns: the last event: `.finished`, `.paused` or `.diverged`.
    @discardableResult
    public func run(
        until stopIteration: Int? = nil, observer: (TrainingEvent) throws -> Void = { _ in }
    ) throws -> TrainingEvent {
        let end = min(stopIteration ?? configuration.iterationCount, configuration.iterationCount)
        if iteration == 0 {
            try observer(.started(iterationCount: configuration.iterationCount))
        } else {
            try observer(.resumed(iteration: iteration))
        }
        var cycleIndex = completedCycles
        while iteration < end {
            if let report = try step(observer: observer) {
                let event = TrainingEvent.diverged(report)
                try observer(event)
                return event
            }
            while cycleIndex < cycleEndIterations.count,
                cycleEndIterations[cycleIndex] == iteration
            {
                cycleIndex += 1
                let (rate, momentum) = lastStepValue
                try observer(
                    .cycleEnded(
                        CycleEnd(
                            cycle: cycleIndex, iteration: iteration, learningRate: rate,
                            momentum: momentum)))
            }
            if let period = configuration.snapshotPeriodIterations, iteration % period == 0 {
                try observer(.snapshotDue(iteration: iteration))
            }
        }
        guard isFinished else {
            try observer(.paused(iteration: iteration))
            return .paused(iteration: iteration)
        }
        if lastEvaluationIteration != iteration {
            try observer(.evaluated(evaluate(endsEpoch: false)))
        }
        try observer(.finished(iteration: iteration))
        return .finished(iteration: iteration)
    }

    /// One step, its `iterationCompleted` event and the evaluation of an epoch end;
    /// returns a report instead when the guard trips (the step is then not applied).
    private func step(observer: (TrainingEvent) throws -> Void) throws -> DivergenceReport? {
        let (rate, momentum) = stepValues[iteration]
        let position = batcher.nextBatch(into: &batch)
        let result = model.gradient(
            images: batch.images, labels: batch.labels, mode: .batch,
            statisticsUpdate: configuration.statisticsUpdate, into: &gradient)
        if configuration.divergence.hasDiverged(loss: result.loss, classCount: model.classCount) {
            return DivergenceReport(
                iteration: iteration, loss: result.loss,
                lossBound: configuration.divergence.bound(classCount: model.classCount),
                learningRate: iteration > 0 ? stepValues[iteration - 1].learningRate : nil)
        }
        optimizer.step(
            parameters: &model.parameters, gradient: gradient, learningRate: rate,
            momentum: momentum)
        sinceEvaluation.add(result)
        iteration += 1
        try observer(
            .iterationCompleted(
                IterationRecord(
                    iteration: iteration - 1, epoch: position.epoch, learningRate: rate,
                    momentum: momentum, loss: result.loss, accuracy: result.accuracy)))
        if position.endsEpoch {
            try observer(.evaluated(evaluate(endsEpoch: true)))
        }
        return nil
    }

    /// Evaluates the test (and validation) split and starts a new training accumulator.
    private func evaluate(endsEpoch: Bool) -> EvaluationRecord {
        let record = EvaluationRecord(
            iteration: iteration, epoch: iteration / iterationsPerEpoch, endsEpoch: endsEpoch,
            train: sinceEvaluation.metrics, test: model.evaluate(testBatches, mode: .running),
            validation: validationBatches.map { model.evaluate($0, mode: .running) })
        sinceEvaluation = MetricsAccumulator()
        lastEvaluationIteration = iteration
        return record
    }
}

extension Trainer {
    /// The state to save for `restore(_:)`.
    public var resumeState: TrainingResumeState {
        TrainingResumeState(
            iteration: iteration, parameters: model.parameters,
            runningStatistics: model.runningStatistics, batchesTracked: model.batchesTracked,
            optimizer: optimizer.state, batcher: batcher.state,
            sinceEvaluation: sinceEvaluation, lastEvaluationIteration: lastEvaluationIteration)
    }

    /// Continues from a saved state: the model's vectors, the optimizer, the batch stream
    /// and the metrics since the last evaluation. Checks everything before changing
    /// anything.
    /// - Throws: `TrainingStateError` naming what does not fit.
    public func restore(_ state: TrainingResumeState) throws {
        try check(state.parameters.count, model.parameters.count, "parameters")
        try check(
            state.runningStatistics.count, model.runningStatistics.count, "runningStatistics")
        try check(state.batchesTracked.count, model.batchesTracked.count, "batchesTracked")
        guard (0...configuration.iterationCount).contains(state.iteration) else {
            throw TrainingStateError.iterationOutsideRun(
                iteration: state.iteration, iterationCount: configuration.iterationCount)
        }
        let perEpoch = iterationsPerEpoch
        let (epoch, batchIndex) = (state.iteration / perEpoch, state.iteration % perEpoch)
        guard state.batcher.epoch == epoch, state.batcher.batchIndex == batchIndex else {
            throw TrainingStateError.batcherPositionMismatch(
                iteration: state.iteration, expectedEpoch: epoch, expectedBatch: batchIndex,
                foundEpoch: state.batcher.epoch, foundBatch: state.batcher.batchIndex)
        }
        guard state.optimizer.stepCount == state.iteration else {
            throw TrainingStateError.optimizerStepMismatch(
                iteration: state.iteration, stepCount: state.optimizer.stepCount)
        }
        var restoredOptimizer = optimizer
        var restoredBatcher = batcher
        do {
            try restoredOptimizer.restore(state.optimizer)
        } catch {
            throw TrainingStateError.rejected(component: "optimizer", reason: "\(error)")
        }
        do {
            try restoredBatcher.restore(state.batcher)
        } catch {
            throw TrainingStateError.rejected(component: "batcher", reason: "\(error)")
        }
        optimizer = restoredOptimizer
        batcher = restoredBatcher
        model.parameters = state.parameters
        model.runningStatistics = state.runningStatistics
        model.batchesTracked = state.batchesTracked
        iteration = state.iteration
        sinceEvaluation = state.sinceEvaluation
        lastEvaluationIteration = state.lastEvaluationIteration
    }

    private func check(_ found: Int, _ expected: Int, _ vector: String) throws {
        guard found == expected else {
            throw TrainingStateError.wrongVectorLength(
                vector: vector, expected: expected, found: found)
        }
    }
}
