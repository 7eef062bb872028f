import BasinCheckpoint
import BasinData
import BasinKernels
import BasinNetwork
import BasinTraining
import Foundation

/// `basin train`: trains a zoo model and writes a run folder with checkpoints at the start,
/// at every cycle end, at snapshots and at the end.
struct TrainCommand: Command {
    static let configuration = CommandConfiguration(
        name: "train",
        abstract: "Train a model with a learning-rate schedule and keep its checkpoints.",
        discussion: """
            Trains --model on --data with --optimizer and --schedule (see 'basin schedule
            --help' for every kind) for --epochs or --iterations; a one-cycle schedule
            without 'total' lasts the whole run. Each step uses one shuffled batch in
            BatchNorm's training mode. At every epoch end the test split (and the
            validation split of --val) is evaluated with running statistics.

            The run folder (default checkpoints/MODEL-DATA-KIND-sSEED) receives:
              run.json                   the settings, the data and its normalisation,
                                         the tool version and the list of checkpoints
              metrics.csv                per step: lr, momentum, batch loss and accuracy;
                                         per evaluation: train, test, validation metrics
              init.safetensors           the weights before the first step
              cycle-NNN.safetensors      the weights where cycle NNN ends
              snapshot-NNNNNN.safetensors  every --save-every steps or epochs
              final.safetensors          the weights after the last step
              training.svg               loss, accuracy and rate against the step
            Beside each checkpoint, NAME.optimizer.safetensors holds the optimizer and
            batch-stream state: --resume RUN continues from the latest one and, with the
            same thread count, writes the files a run that never stopped would have.

            Training stops with status 1 when the batch loss is NaN, infinite or above
            --max-loss (default 20·ln K for K classes), naming the step and its learning
            rate; the last checkpoint written is the last good one.
            """,
        examples: [
            "basin train --model mlp --data embedded --schedule onecycle:max=0.1 --epochs 2",
            "basin train --model cnn --data fashion-mnist --schedule clr:base=0.01,max=0.1,"
                + "step=2ep --epochs 12 --save-every 0.5ep",
            "basin train --resume checkpoints/mlp-embedded-onecycle-s1",
        ])

    let inputs = ModelDataOptions()
    let optimizer = OptimizerOptions()
    let schedule = Option<String>(
        "--schedule", valueName: "SPEC", default: "onecycle:max=0.1",
        help: "Learning-rate and momentum schedule; lengths in iterations or epochs (2ep).")
    let epochs = Option<Double?>(
        "--epochs", valueName: "N", help: "Length of the run in epochs (may be fractional).",
        parser: TrainingValues.positiveNumber)
    let iterations = Option<Int?>(
        "--iterations", valueName: "N", help: "Length of the run in steps.",
        parser: TrainingValues.positiveInteger)
    let saveEvery = Option<String?>(
        "--save-every", valueName: "LENGTH",
        help: "Also save a snapshot every LENGTH: steps (500) or epochs (1ep, 0.25ep).")
    let evaluationBatchSize = Option<Int>(
        "--eval-batch-size", valueName: "N", default: 1000,
        help: "Images per evaluation batch.", parser: TrainingValues.positiveInteger)
    let maxLoss = Option<Double?>(
        "--max-loss", valueName: "NATS",
        help: "Stop as diverged when a batch loss exceeds this (default 20·ln K).",
        parser: TrainingValues.positiveNumber)
    let name = Option<String?>(
        "--name", valueName: "NAME", help: "Run name; the folder is checkpoints/NAME.")
    let output = Option<URL?>(
        "--out", valueName: "PATH", help: "Run folder (overrides --name).")
    let force = Flag("--force", help: "Replace an existing run folder.")
    let resume = Option<URL?>(
        "--resume", valueName: "RUN",
        help: "Continue the run in folder RUN from its latest checkpoint, with its settings.")
    let stopAfter = Option<Int?>(
        "--stop-after", valueName: "N",
        help: "Stop after N steps in all, saving a snapshot to resume from.",
        parser: TrainingValues.positiveInteger)

    func run(_ context: CommandContext) throws {
        if let folder = context[resume] {
            try resumeRun(in: folder, context)
        } else {
            try startRun(context)
        }
    }

    private func startRun(_ context: CommandContext) throws {
        applyThreadCount(context[inputs.threads])
        if context[epochs] != nil && context[iterations] != nil {
            throw UsageError.conflict("give --epochs or --iterations, not both")
        }
        let data = try PreparedData.load(
            context[inputs.data], validationCount: context[inputs.validation],
            seed: context[inputs.seed])
        let settings = try makeSettings(context, data: data)
        let runName =
            context[name]
            ?? "\(settings.architecture.rawValue)-\(data.shortName)-"
            + "\(TrainingLengths.kindName(settings.schedule))-s\(settings.seed)"
        let folder =
            context[output] ?? URL(fileURLWithPath: "checkpoints").appendingPathComponent(runName)
        let session = try TrainingSession.create(
            settings: settings, data: data, folder: folder, overwrite: context[force],
            commandLine: (["basin"] + context.arguments).joined(separator: " "))
        context.progress.note(
            "training \(settings.architecture.rawValue) on \(data.dataset.name) "
                + "(\(data.dataset.train.count) images, \(session.trainer.iterationsPerEpoch) "
                + "steps per epoch) for \(settings.iterationCount) steps into "
                + folder.relativePath)
        try execute(session, stopAfter: context[stopAfter], context)
    }

    /// The settings from the flags, with lengths resolved in iterations.
    private func makeSettings(_ context: CommandContext, data: PreparedData) throws
        -> TrainSettings
    {
        let batchSize = context[inputs.batchSize]
        let perEpoch = data.dataset.train.count / batchSize
        guard perEpoch > 0 else {
            throw UsageError.invalidValue(
                option: "--batch-size", expected: "at most the number of training images",
                found: String(batchSize),
                reason: "the training split has "
                    + "\(data.dataset.train.count)")
        }
        var runIterations = context[iterations]
        if let epochs = context[epochs] {
            runIterations = max(1, Int((epochs * Double(perEpoch)).rounded()))
        }
        let parsed = try TrainingLengths.schedule(
            context[schedule], iterationsPerEpoch: perEpoch, runIterations: runIterations)
        guard let total = runIterations ?? parsed.totalIterations else {
            throw UsageError.conflict(
                "the schedule '\(context[schedule])' has no end: give --epochs or --iterations")
        }
        let period = try context[saveEvery].map {
            try TrainingLengths.iterations($0, iterationsPerEpoch: perEpoch, flag: "--save-every")
        }
        return TrainSettings(
            architecture: context[inputs.model], data: data.specification.description,
            validationCount: context[inputs.validation],
            augmentation: context[inputs.augmentation], batchSize: batchSize,
            seed: context[inputs.seed], optimizer: optimizer.configuration(context),
            schedule: parsed.specification, iterationCount: total,
            evaluationBatchSize: context[evaluationBatchSize], snapshotPeriodIterations: period,
            lossBound: context[maxLoss])
    }

    private func resumeRun(in folder: URL, _ context: CommandContext) throws {
        let settingFlags: [String] = [
            "--model", "--data", "--val", "--augment", "--batch-size", "--seed", "--optimizer",
            "--weight-decay", "--schedule", "--epochs", "--iterations", "--save-every",
            "--eval-batch-size", "--max-loss", "--name", "--out",
        ]
        if let given = settingFlags.first(where: { flag in
            context.arguments.contains { $0 == flag || $0.hasPrefix(flag + "=") }
        }) ?? (context[force] ? "--force" : nil)
            ?? (context[optimizer.exemptBiasAndNormalization] ? "--no-decay-bias-bn" : nil)
        {
            throw UsageError.conflict(
                "--resume takes every setting from \(folder.relativePath)/run.json; "
                    + "drop \(given)")
        }
        let (session, checkpoint) = try TrainingSession.resume(
            folder: folder, threads: context[inputs.threads])
        let recorded = session.writer.manifest.threadCount
        if Parallelism.threadCount != recorded {
            context.progress.note(
                "note: the run used \(recorded) threads, this part uses "
                    + "\(Parallelism.threadCount); results will differ in the last bits")
        }
        context.progress.note(
            "resuming \(folder.relativePath) from \(checkpoint) after "
                + "\(session.trainer.iteration) of \(session.settings.iterationCount) steps")
        try execute(session, stopAfter: context[stopAfter], context)
    }

    /// Runs the trainer with progress and the writer, and reports how it ended.
    private func execute(
        _ session: TrainingSession, stopAfter: Int?, _ context: CommandContext
    ) throws {
        let last = try session.run(until: stopAfter, reporter: context.progress)
        let (trainer, writer) = (session.trainer, session.writer)
        let folder = writer.folder.relativePath
        switch last {
        case .diverged(let report):
            let kept =
                writer.lastCheckpoint.map {
                    "; the last good checkpoint is \(folder)/\($0.file)"
                } ?? ""
            throw TrainingFailure(message: report.description + kept)
        case .paused(let iteration):
            context.standardOutput.write(
                "paused after \(iteration) steps; continue with: basin train --resume \(folder)\n")
        default:
            try TrainingCurves.write(in: writer.folder)
            var line = "trained \(trainer.iteration) steps; run folder \(folder)"
            if let test = writer.latestTest {
                line +=
                    "; test loss \(shortNumber(test.loss)), accuracy "
                    + String(format: "%.4f", test.accuracy)
            }
            context.standardOutput.write(line + "\n")
        }
    }
}

/// A run that could not finish (divergence); the message says where and why.
struct TrainingFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
