import BasinCheckpoint
import BasinData
import BasinKernels
import BasinNetwork
import BasinTraining
import Foundation

/// `basin eval`: the loss and accuracy of a checkpoint on a split of a data set.
struct EvalCommand: Command {
    static let configuration = CommandConfiguration(
        name: "eval",
        abstract: "Print a checkpoint's loss and accuracy on a data set.",
        discussion: """
            Evaluates every image of the split once, in fixed unaugmented batches: the
            mean cross-entropy (nats) and the fraction classified correctly. --bn running
            normalises with BatchNorm's stored statistics (PyTorch eval()); --bn batch
            with each batch's own (PyTorch train(), without updating anything), so the
            result depends on --batch-size.

            Inputs are normalised as in training: with the statistics recorded in the
            run.json beside the checkpoint when there is one, else with those of the
            training split. A checkpoint without Basin's metadata (saved from PyTorch)
            needs --model; --data then gives the input shape and classes.
            """,
        examples: [
            "basin eval checkpoints/mlp-embedded-onecycle-s1/final.safetensors",
            "basin eval model.safetensors --model mlp --data fashion-mnist --bn batch --json",
        ])

    let checkpoint = Argument<URL>("CHECKPOINT", help: "The safetensors file to evaluate.")
    let data = Option<String?>(
        "--data", valueName: "SPEC",
        help: "Data set (default: the one the checkpoint records, else embedded).")
    let split = Option<SplitName>(
        "--split", valueName: "NAME", default: .test, help: "Split to evaluate.",
        parser: .cases)
    let batchNorm = Option<BatchNormMode>(
        "--bn", valueName: "MODE", default: .running,
        help: "BatchNorm statistics: running (stored) or batch (each batch's own).",
        parser: .cases)
    let batchSize = Option<Int>(
        "--batch-size", valueName: "N", default: 1000, help: "Images per evaluation batch.",
        parser: TrainingValues.positiveInteger)
    let model = Option<Architecture?>(
        "--model", valueName: "ARCH", help: "Architecture, for a file without metadata.",
        parser: .cases)
    let json = Flag("--json", help: "Print the result as JSON.")
    let threads = Option<Int?>(
        "--threads", valueName: "N", help: "Threads to use (default: every core).",
        parser: TrainingValues.positiveInteger)

    /// The result, as `--json` prints it.
    struct Result: Encodable {
        var checkpoint: String
        var data: String
        var split: String
        var batchNormMode: String
        var loss: Double
        var accuracy: Double
        var exampleCount: Int

        enum CodingKeys: String, CodingKey {
            case checkpoint, data, split, loss, accuracy
            case batchNormMode = "bn_mode"
            case exampleCount = "examples"
        }
    }

    func run(_ context: CommandContext) throws {
        applyThreadCount(context[threads])
        let url = context[checkpoint]
        let file = try Checkpoint(contentsOf: url)
        let manifest = try manifestBeside(url)
        let spec =
            context[data] ?? manifest?.configuration["data"] ?? file.metadata.dataset
            ?? "embedded"
        let validationCount = manifest.flatMap { Int($0.configuration["val"] ?? "") } ?? 0
        let prepared = try PreparedData.load(
            spec, validationCount: context[split] == .validation ? validationCount : 0,
            seed: manifest?.seed ?? 0)
        let normalization =
            manifest.map {
                ChannelNormalization(
                    mean: $0.dataset.normalizationMean.map(Float.init),
                    standardDeviation: $0.dataset.normalizationStandardDeviation.map(Float.init))
            } ?? prepared.normalization
        let loaded = try file.makeModel(
            architecture: context[model], inputShape: prepared.inputShape,
            classCount: prepared.dataset.classCount)
        guard
            let batches = try prepared.dataset.evaluationBatches(
                context[split], batchSize: context[batchSize], normalization: normalization)
        else {
            throw UsageError.conflict(
                "--split validation needs a run whose run.json records a validation split (--val)")
        }
        let metrics = loaded.evaluate(batches, mode: context[batchNorm])
        let result = Result(
            checkpoint: url.relativePath, data: prepared.specification.description,
            split: context[split].rawValue, batchNormMode: context[batchNorm].rawValue,
            loss: metrics.loss, accuracy: metrics.accuracy, exampleCount: metrics.exampleCount)
        if context[json] {
            context.standardOutput.write(try JSONOutput.text(result))
        } else {
            context.standardOutput.write(
                "\(result.split) loss \(metrics.loss)  accuracy \(metrics.accuracy)  "
                    + "(\(metrics.exampleCount) images of \(result.data), BatchNorm "
                    + "\(result.batchNormMode) statistics)\n")
        }
    }

    /// The `run.json` in the checkpoint's folder, if there is one.
    private func manifestBeside(_ url: URL) throws -> RunManifest? {
        let manifestURL = url.deletingLastPathComponent().appendingPathComponent(
            RunManifest.fileName)
        guard FileManager.default.fileExists(atPath: manifestURL.path) else { return nil }
        return try RunManifest(contentsOf: manifestURL)
    }
}
