import BasinData
import BasinKernels
import BasinNetwork
import BasinTraining
import Foundation

/// The training state beside a checkpoint (`NAME.optimizer.safetensors`): with the
/// checkpoint's weights it is a whole `TrainingResumeState`.
///
/// | entry | kind | holds |
/// | --- | --- | --- |
/// | `iteration`, `last_evaluation_iteration` | I64 scalar | steps completed, last evaluation |
/// | `optimizer.step_count` | I64 scalar | the optimizer's steps |
/// | `optimizer.NAME` | F32 [P] | each state vector (`momentum_buffer`, `exp_avg`, …) |
/// | `metrics.counts` | I64 [2] | correct and seen examples since the last evaluation |
/// | metadata `optimizer` | string | the optimizer's name |
/// | metadata `batcher` | JSON | `BatcherState`: position, sizes, generator words in hex |
/// | metadata `metrics.loss_sum` | number | Σ n·L since the last evaluation, exactly |
public enum TrainingStateArchive {
    /// The archive of everything in `state` except the model's vectors.
    public static func archive(_ state: TrainingResumeState) -> StateArchive {
        var archive = StateArchive()
        archive.setString("1", named: "basin_state_version")
        archive.setInteger(Int64(state.iteration), named: "iteration")
        archive.setInteger(
            Int64(state.lastEvaluationIteration), named: "last_evaluation_iteration")
        archive.setString(state.optimizer.optimizerName, named: "optimizer")
        archive.setInteger(Int64(state.optimizer.stepCount), named: "optimizer.step_count")
        for (name, values) in state.optimizer.vectors {
            archive.setFloats(values, named: "optimizer." + name)
        }
        archive.setString(encodeBatcherState(state.batcher), named: "batcher")
        archive.setIntegers(
            [Int64(state.sinceEvaluation.correctCount), Int64(state.sinceEvaluation.exampleCount)],
            named: "metrics.counts")
        archive.setDouble(state.sinceEvaluation.lossSum, named: "metrics.loss_sum")
        return archive
    }

    /// The state saved in `archive` beside the checkpoint whose weights `model` now holds.
    /// - Throws: `CheckpointError.missingStateEntry` or `.malformedMetadataValue` naming the
    ///   entry, `RunError.incompatibleState` for values that cannot be a state.
    public static func resumeState(from archive: StateArchive, model: Model) throws
        -> TrainingResumeState
    {
        let path = archive.path
        func integer(_ name: String) throws -> Int { Int(try archive.integer(named: name)) }

        // The optimizer's vectors are the tensors under `optimizer.`.
        var vectors: [String: [Float]] = [:]
        for name in archive.tensorNames where name.hasPrefix("optimizer.") {
            guard name != "optimizer.step_count" else { continue }
            vectors[String(name.dropFirst("optimizer.".count))] = try archive.floats(named: name)
        }
        let optimizer = OptimizerState(
            optimizerName: try archive.string(named: "optimizer"),
            stepCount: try integer("optimizer.step_count"), vectors: vectors)

        let batcherText = try archive.string(named: "batcher")
        guard let batcher = decodeBatcherState(batcherText) else {
            throw CheckpointError.malformedMetadataValue(
                path: path, key: "batcher", value: batcherText,
                expected: "the JSON of a batcher state")
        }

        let counts = try archive.integers(named: "metrics.counts")
        guard counts.count == 2 else {
            throw RunError.incompatibleState(
                path: path, reason: "metrics.counts holds \(counts.count) integers, expected 2")
        }
        return TrainingResumeState(
            iteration: try integer("iteration"), parameters: model.parameters,
            runningStatistics: model.runningStatistics, batchesTracked: model.batchesTracked,
            optimizer: optimizer, batcher: batcher,
            sinceEvaluation: MetricsAccumulator(
                lossSum: try archive.double(named: "metrics.loss_sum"),
                correctCount: Int(counts[0]), exampleCount: Int(counts[1])),
            lastEvaluationIteration: try integer("last_evaluation_iteration"))
    }
}

/// The batcher state as compact JSON with sorted keys (generator words as hex strings, so
/// nothing is rounded).
private func encodeBatcherState(_ state: BatcherState) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Integers, strings and booleans always encode.
    return String(decoding: try! encoder.encode(state), as: UTF8.self)
}

private func decodeBatcherState(_ text: String) -> BatcherState? {
    try? JSONDecoder().decode(BatcherState.self, from: Data(text.utf8))
}
