import BasinData

/// Everything a `Trainer` needs to continue a run exactly where it stopped, between two
/// steps: with the same configuration, data and thread count, a run restored from this
/// state produces bit for bit the weights, losses and checkpoints of a run that never
/// stopped.
///
/// A plain value: the checkpoint layer stores the model part as the checkpoint itself and
/// the rest in a sibling state file.
public struct TrainingResumeState: Equatable, Sendable {
    /// Steps completed.
    public var iteration: Int
    /// The model's flat vectors (`Model.parameters`, `runningStatistics`,
    /// `batchesTracked`).
    public var parameters: [Float]
    public var runningStatistics: [Float]
    public var batchesTracked: [Int64]
    /// The optimizer's buffers and step count.
    public var optimizer: OptimizerState
    /// The batch stream's position and random state.
    public var batcher: BatcherState
    /// The training metrics of the steps since the last evaluation.
    public var sinceEvaluation: MetricsAccumulator
    /// The iteration of the last evaluation (0 before the first).
    public var lastEvaluationIteration: Int

    public init(
        iteration: Int, parameters: [Float], runningStatistics: [Float],
        batchesTracked: [Int64], optimizer: OptimizerState, batcher: BatcherState,
        sinceEvaluation: MetricsAccumulator, lastEvaluationIteration: Int
    ) {
        self.iteration = iteration
        self.parameters = parameters
        self.runningStatistics = runningStatistics
        self.batchesTracked = batchesTracked
        self.optimizer = optimizer
        self.batcher = batcher
        self.sinceEvaluation = sinceEvaluation
        self.lastEvaluationIteration = lastEvaluationIteration
    }
}

/// A saved training state that does not fit the trainer it is given to.
public enum TrainingStateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A model vector has the wrong length.
    case wrongVectorLength(vector: String, expected: Int, found: Int)
    /// The iteration lies outside the run.
    case iterationOutsideRun(iteration: Int, iterationCount: Int)
    /// The batcher's position disagrees with the iteration.
    case batcherPositionMismatch(
        iteration: Int, expectedEpoch: Int, expectedBatch: Int,
        foundEpoch: Int, foundBatch: Int)
    /// The optimizer's step count disagrees with the iteration.
    case optimizerStepMismatch(iteration: Int, stepCount: Int)
    /// The optimizer or the batcher refused the state.
    case rejected(component: String, reason: String)

    public var description: String {
        switch self {
        case .wrongVectorLength(let vector, let expected, let found):
            return "training state: \(vector) holds \(found) values, the model needs \(expected)"
        case .iterationOutsideRun(let iteration, let count):
            return "training state: iteration \(iteration) lies outside the run of "
                + "\(count) iterations"
        case .batcherPositionMismatch(
            let iteration, let epoch, let batch, let foundEpoch,
            let foundBatch):
            return "training state: after \(iteration) iterations the batcher should be at "
                + "epoch \(epoch), batch \(batch); found epoch \(foundEpoch), batch \(foundBatch)"
        case .optimizerStepMismatch(let iteration, let stepCount):
            return "training state: iteration \(iteration) but the optimizer has taken "
                + "\(stepCount) steps"
        case .rejected(let component, let reason):
            return "training state: the \(component) state does not fit: \(reason)"
        }
    }
}
