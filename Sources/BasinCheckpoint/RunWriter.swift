import BasinData
import BasinNetwork
import BasinTraining
import Foundation

/// Turns a trainer's events into a run folder (see `RunFileName`):
///
/// - `init.safetensors` on `.started`, `cycle-NNN.safetensors` on `.cycleEnded`,
///   `snapshot-NNNNNN.safetensors` on `.snapshotDue` and `.paused`, `final.safetensors` on
///   `.finished`; each with its training state beside it (`*.optimizer.safetensors`), so
///   any of them can be resumed;
/// - `run.json`, rewritten with the list of checkpoints after each one;
/// - `metrics.csv`, rewritten after every evaluation, checkpoint, pause and divergence.
///
/// Every file is written atomically, so a run killed at any moment leaves complete files,
/// and the last checkpoint is the last good one: on `.diverged` nothing is written but the
/// metrics and the manifest.
public final class RunWriter {
    public let folder: URL
    public private(set) var manifest: RunManifest
    public private(set) var metrics: MetricsLog
    /// The training and test metrics of the latest evaluation, written into each
    /// checkpoint's metadata.
    public private(set) var latestTrain: SplitMetrics?
    public private(set) var latestTest: SplitMetrics?

    private init(folder: URL, manifest: RunManifest, metrics: MetricsLog) {
        self.folder = folder
        self.manifest = manifest
        self.metrics = metrics
    }

    /// Starts a new run in `folder` with `manifest` (its checkpoint list is cleared).
    /// - Throws: `RunError.folderExists` when the folder exists and `overwrite` is false;
    ///   `CheckpointError.unwritableFile` when it cannot be replaced or created.
    public static func create(folder: URL, manifest: RunManifest, overwrite: Bool) throws
        -> RunWriter
    {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: folder.path) {
            guard overwrite else { throw RunError.folderExists(path: folder.path) }
            do {
                try fileManager.removeItem(at: folder)
            } catch {
                throw CheckpointError.unwritableFile(
                    path: folder.path, reason: (error as NSError).localizedDescription)
            }
        }
        do {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError.unwritableFile(
                path: folder.path, reason: (error as NSError).localizedDescription)
        }
        var fresh = manifest
        fresh.checkpoints = []
        let writer = RunWriter(folder: folder, manifest: fresh, metrics: MetricsLog())
        try writer.writeManifest()
        return writer
    }

    /// Reopens the run in `folder` at its latest checkpoint that has a training state
    /// beside it. Forgets the checkpoints and metrics rows after it, which the resumed run
    /// writes again.
    /// - Returns: the writer and the checkpoint to resume from.
    /// - Throws: `RunError.nothingToResume`, and every error of reading the manifest, the
    ///   checkpoint and `metrics.csv`.
    public static func resume(folder: URL) throws -> (writer: RunWriter, checkpoint: URL) {
        var manifest = try RunManifest(
            contentsOf: folder.appendingPathComponent(RunManifest.fileName))
        let resumable = manifest.checkpoints.filter {
            FileManager.default.fileExists(
                atPath: folder.appendingPathComponent(
                    RunFileName.optimizerState(besideCheckpoint: $0.file)
                ).path)
        }
        guard let latest = resumable.max(by: { $0.iteration < $1.iteration }) else {
            throw RunError.nothingToResume(path: folder.path)
        }
        manifest.checkpoints.removeAll { $0.iteration > latest.iteration }
        let metricsURL = folder.appendingPathComponent(MetricsLog.fileName)
        var metrics = MetricsLog()
        if FileManager.default.fileExists(atPath: metricsURL.path) {
            metrics = try MetricsLog(contentsOf: metricsURL)
            metrics.truncate(toCompletedIterations: latest.iteration)
        }
        let writer = RunWriter(folder: folder, manifest: manifest, metrics: metrics)
        let checkpointURL = folder.appendingPathComponent(latest.file)
        let metadata = try Checkpoint(contentsOf: checkpointURL).metadata
        if let loss = metadata.trainLoss, let accuracy = metadata.trainAccuracy {
            writer.latestTrain = SplitMetrics(loss: loss, accuracy: accuracy, exampleCount: 0)
        }
        if let loss = metadata.testLoss, let accuracy = metadata.testAccuracy {
            writer.latestTest = SplitMetrics(loss: loss, accuracy: accuracy, exampleCount: 0)
        }
        return (writer, checkpointURL)
    }

    /// The training state saved with the checkpoint at `url`: its weights (loaded into a
    /// copy of `model`, which must be of the same architecture) and the state file beside
    /// it.
    /// - Throws: `CheckpointError` for a missing, damaged or mismatched file.
    public static func resumeState(checkpoint url: URL, model: Model) throws
        -> TrainingResumeState
    {
        let checkpoint = try Checkpoint(contentsOf: url)
        let twin = model.copy()
        try twin.loadStateDict(checkpoint.tensors(matching: model.tensorLayout))
        let stateURL = url.deletingLastPathComponent().appendingPathComponent(
            RunFileName.optimizerState(besideCheckpoint: url.lastPathComponent))
        return try TrainingStateArchive.resumeState(
            from: StateArchive(contentsOf: stateURL), model: twin)
    }

    /// Records one event of `trainer` (see the type's description for what is written).
    public func handle(_ event: TrainingEvent, from trainer: Trainer) throws {
        switch event {
        case .started:
            try writeCheckpoint(.initial, trainer: trainer)
        case .resumed:
            break
        case .iterationCompleted(let record):
            metrics.append(record)
        case .evaluated(let record):
            metrics.append(record)
            latestTrain = record.train
            latestTest = record.test
            try writeMetrics()
        case .cycleEnded(let end):
            try writeCheckpoint(.cycle, cycle: end.cycle, trainer: trainer)
        case .snapshotDue:
            try writeCheckpoint(.snapshot, trainer: trainer)
        case .paused(let iteration):
            if manifest.checkpoints.last?.iteration != iteration {
                try writeCheckpoint(.snapshot, trainer: trainer)
            }
        case .diverged:
            try writeMetrics()
            try writeManifest()
        case .finished:
            try writeCheckpoint(.final, trainer: trainer)
        }
    }

    /// The checkpoint written most recently, if any.
    public var lastCheckpoint: CheckpointRecord? { manifest.checkpoints.last }

    /// Writes the model of `trainer` as a checkpoint of `kind`, its training state beside
    /// it, then the manifest and the metrics.
    @discardableResult
    public func writeCheckpoint(_ kind: CheckpointKind, cycle: Int? = nil, trainer: Trainer)
        throws -> CheckpointRecord
    {
        let iteration = trainer.iteration
        let name = RunFileName.checkpoint(kind: kind, cycle: cycle, iteration: iteration)
        let (rate, momentum) = trainer.lastStepValue
        let record = CheckpointRecord(
            file: name, kind: kind, iteration: iteration,
            epoch: iteration / trainer.iterationsPerEpoch, cycle: cycle, learningRate: rate,
            momentum: momentum)
        let checkpoint = Checkpoint(
            tensors: trainer.model.stateDict(), metadata: metadata(for: record, trainer: trainer))
        try checkpoint.write(to: folder.appendingPathComponent(name))
        try TrainingStateArchive.archive(trainer.resumeState).write(
            to: folder.appendingPathComponent(RunFileName.optimizerState(besideCheckpoint: name)))
        manifest.checkpoints.removeAll { $0.file == name }
        manifest.checkpoints.append(record)
        try writeManifest()
        try writeMetrics()
        return record
    }

    /// The metadata of a checkpoint: what the model is, where training stood, and the
    /// latest evaluation.
    public func metadata(for record: CheckpointRecord, trainer: Trainer) -> CheckpointMetadata {
        let model = trainer.model
        let configuration = trainer.configuration
        return CheckpointMetadata(
            kind: record.kind, architecture: model.architecture.rawValue,
            inputShape: [
                model.inputShape.channels, model.inputShape.height, model.inputShape.width,
            ],
            classCount: model.classCount, iteration: record.iteration, epoch: record.epoch,
            cycle: record.cycle ?? trainer.completedCycles, learningRate: record.learningRate,
            momentum: record.momentum, weightDecay: configuration.optimizer.weightDecay,
            optimizer: configuration.optimizer.algorithm.rawValue, seed: configuration.seed,
            dataset: manifest.dataset.name, trainLoss: latestTrain?.loss,
            trainAccuracy: latestTrain?.accuracy, testLoss: latestTest?.loss,
            testAccuracy: latestTest?.accuracy)
    }

    /// Writes `run.json`.
    public func writeManifest() throws {
        try manifest.write(to: folder.appendingPathComponent(RunManifest.fileName))
    }

    /// Writes `metrics.csv`.
    // Rewrites the whole file each time (atomic, but O(rows) per checkpoint): fine for runs
    // of up to some 10⁵ steps; very long runs with dense snapshots would want an append log.
    public func writeMetrics() throws {
        try metrics.write(to: folder.appendingPathComponent(MetricsLog.fileName))
    }
}

extension DatasetRecord {
    /// The record of `dataset` normalised with `normalization`.
    public init(dataset: Dataset, normalization: ChannelNormalization) {
        self.init(
            name: dataset.name, trainingExampleCount: dataset.train.count,
            testExampleCount: dataset.test.count,
            normalizationMean: normalization.mean.map(Double.init),
            normalizationStandardDeviation: normalization.standardDeviation.map(Double.init))
    }
}
