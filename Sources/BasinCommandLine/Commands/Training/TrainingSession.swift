import BasinCheckpoint
import BasinData
import BasinKernels
import BasinNetwork
import BasinTraining
import Foundation

/// A training run wired to its run folder: the trainer and the writer that turns its events
/// into checkpoints, `run.json` and `metrics.csv`. `basin train` uses it, and so can any
/// command that trains runs of its own (a sweep, the demo).
struct TrainingSession {
    let trainer: Trainer
    let writer: RunWriter
    let settings: TrainSettings

    /// A new run of `settings` on `data` in `folder`.
    /// - Parameter commandLine: recorded in `run.json` under `command_line`.
    /// - Throws: `RunError.folderExists` unless `overwrite`, and the trainer's and writer's
    ///   errors.
    static func create(
        settings: TrainSettings, data: PreparedData, folder: URL, overwrite: Bool,
        commandLine: String
    ) throws -> TrainingSession {
        let model = data.makeModel(settings.architecture, seed: settings.seed)
        let trainer = try Trainer(
            model: model, dataset: data.dataset, normalization: data.normalization,
            configuration: try settings.trainingConfiguration())
        var configuration = settings.record
        configuration["command_line"] = commandLine
        let manifest = RunManifest(
            toolVersion: BasinCommandLine.version, architecture: settings.architecture.rawValue,
            configuration: configuration,
            dataset: DatasetRecord(dataset: data.dataset, normalization: data.normalization),
            seed: settings.seed, threadCount: Parallelism.threadCount)
        let writer = try RunWriter.create(folder: folder, manifest: manifest, overwrite: overwrite)
        return TrainingSession(trainer: trainer, writer: writer, settings: settings)
    }

    /// The run in `folder`, restored to its latest resumable checkpoint. Sets the thread
    /// count to `threads`, or to the run's own when nil.
    /// - Returns: the session and the name of the checkpoint it continues from.
    static func resume(folder: URL, threads: Int?) throws -> (TrainingSession, String) {
        let (writer, checkpoint) = try RunWriter.resume(folder: folder)
        let settings = try TrainSettings(
            record: writer.manifest.configuration,
            path: folder.appendingPathComponent(RunManifest.fileName).path)
        applyThreadCount(threads ?? writer.manifest.threadCount)
        let data = try PreparedData.load(
            settings.data, flag: "run.json data", validationCount: settings.validationCount,
            seed: settings.seed)
        let model = data.makeModel(settings.architecture, seed: settings.seed)
        let trainer = try Trainer(
            model: model, dataset: data.dataset, normalization: data.normalization,
            configuration: try settings.trainingConfiguration())
        try trainer.restore(RunWriter.resumeState(checkpoint: checkpoint, model: model))
        return (
            TrainingSession(trainer: trainer, writer: writer, settings: settings),
            checkpoint.lastPathComponent
        )
    }

    /// Trains until the end or `stopIteration`, writing the run folder and showing
    /// progress on `reporter` (nil: silent).
    /// - Returns: the last event: `.finished`, `.paused` or `.diverged`.
    @discardableResult
    func run(until stopIteration: Int? = nil, reporter: ProgressReporter?) throws
        -> TrainingEvent
    {
        let display = reporter.map {
            TrainingProgressDisplay(
                reporter: $0, total: trainer.configuration.iterationCount,
                completed: trainer.iteration)
        }
        return try trainer.run(until: stopIteration) { event in
            try writer.handle(event, from: trainer)
            display?.show(event, writer: writer)
        }
    }
}
