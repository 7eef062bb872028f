import BasinAnalysis
import BasinCheckpoint
import BasinData
import BasinKernels
import BasinNetwork
import Foundation

/// The options that choose the fixed training sample on which a Hessian is taken
/// (`curvature`, `hvp`, `trajectory`).
struct HessianSampleOptions: OptionGroup {
    let data = Option<String?>(
        "--data", valueName: "SPEC",
        help: "Data set: embedded, fashion-mnist, cifar10:PATH, idx:PATH or a folder "
            + "(default: the one recorded in the checkpoint or run.json, else embedded).")
    let samples = Option<Int>(
        "--samples", valueName: "N", default: 1024,
        help: "Training images in the fixed, unaugmented sample the Hessian is taken on.",
        parser: positiveCount)
    let batchSize = Option<Int>(
        "--batch-size", valueName: "N", default: 256,
        help: "Images per batch; each product H·v is the size-weighted mean over batches.",
        parser: positiveCount)
    let batchNorm = Option<BatchNormMode>(
        "--bn", valueName: "MODE", default: .running,
        help: "BatchNorm statistics: running (eval mode, as PyHessian) or batch (each "
            + "batch's own, train mode).", parser: .cases)
    let seed = Option<UInt64>(
        "--seed", valueName: "N", default: 0,
        help: "Seed of the sample and of every random vector (probes, start vectors).")
    let threads = Option<Int?>(
        "--threads", valueName: "N", help: "Threads to use (default: every core).",
        parser: positiveCount)
}

/// `--pass-memory` of the commands that take many products on one sample.
func passMemoryOption() -> Option<Int> {
    Option<Int>(
        "--pass-memory", valueName: "MIB",
        default: SampleHessianOperator.defaultRetainedPassByteLimit >> 20,
        help: "Memory for the batches' forward and backward passes kept between products, "
            + "in MiB; 0 recomputes them for every product.",
        parser: TrainingValues.nonNegativeInteger)
}

/// Bytes in `mebibytes` MiB, saturating instead of overflowing.
func bytes(mebibytes: Int) -> Int {
    min(mebibytes, Int.max >> 20) << 20
}

/// A positive `Int`.
let positiveCount = Int.argumentParser.checked("a positive integer", reason: "must be ≥ 1") {
    $0 >= 1
}

/// A checkpoint read and loaded into a model built from its metadata.
struct LoadedCheckpoint {
    var url: URL
    /// The file name without `.safetensors`: `cycle-003`.
    var name: String
    var checkpoint: Checkpoint
    var model: Model

    /// - Throws: `CheckpointError` naming the file: unreadable, not safetensors, without
    ///   model metadata, or with tensors that do not fit the model.
    init(contentsOf url: URL) throws {
        let checkpoint = try Checkpoint(contentsOf: url)
        let specification = try checkpoint.modelSpecification()
        // Every parameter is overwritten by the file; the draw only fills the model once.
        var unused = SeededGenerator(seed: 0)
        let model = Model(
            architecture: specification.architecture, inputShape: specification.inputShape,
            classCount: specification.classCount, generator: &unused)
        try checkpoint.load(into: model)
        self.url = url
        self.name = url.deletingPathExtension().lastPathComponent
        self.checkpoint = checkpoint
        self.model = model
    }

    var metadata: CheckpointMetadata { checkpoint.metadata }
}

/// The fixed training sample of a Hessian: which data, how normalised, cut into batches.
struct HessianSample {
    var batches: [HessianBatch]
    var mode: BatchNormMode
    var record: HessianSampleRecord
    /// The memory the kept passes of `hessian(of:)` may take.
    var retainedPassByteLimit = SampleHessianOperator.defaultRetainedPassByteLimit

    /// Loads the data set (`--data`, else the checkpoint's, else `run.json`'s, else
    /// `embedded`), its normalisation (`run.json` beside the checkpoint, else the training
    /// split's statistics) and the first `--samples` images of a seeded permutation of the
    /// training split.
    /// - Throws: `DataError` for data that cannot be read, `AnalysisError.unusableInput`
    ///   when the images do not fit the model.
    init(
        for checkpoint: LoadedCheckpoint, options: HessianSampleOptions, context: CommandContext
    ) throws {
        try self.init(
            for: checkpoint, data: context[options.data], sampleCount: context[options.samples],
            batchSize: context[options.batchSize], mode: context[options.batchNorm],
            seed: context[options.seed])
    }

    /// The sample for explicit values of the options (`data` nil: the recorded data set).
    init(
        for checkpoint: LoadedCheckpoint, data: String?, sampleCount: Int, batchSize: Int,
        mode: BatchNormMode, seed: UInt64
    ) throws {
        let manifest = try Self.manifest(besides: checkpoint.url)
        let dataText =
            data ?? checkpoint.metadata.dataset ?? manifest?.dataset.name ?? "embedded"
        let dataset = try DatasetSpecification(parsing: dataText).load()
        let shape = dataset.inputShape
        let expected = checkpoint.model.inputShape
        guard
            shape.channels == expected.channels && shape.height == expected.height
                && shape.width == expected.width
        else {
            throw AnalysisError.unusableInput(
                "\(checkpoint.url.path): the model takes \(expected) images, data set "
                    + "\(dataText) has \(shape) (choose the data with --data)")
        }

        // Normalisation as in training.
        let normalization: ChannelNormalization
        let normalizationSource: String
        if let record = manifest?.dataset, record.normalizationMean.count == shape.channels,
            record.normalizationStandardDeviation.count == shape.channels,
            record.normalizationStandardDeviation.allSatisfy({ $0 > 0 && $0.isFinite })
        {
            normalization = ChannelNormalization(
                mean: record.normalizationMean.map(Float.init),
                standardDeviation: record.normalizationStandardDeviation.map(Float.init))
            normalizationSource = "run.json"
        } else {
            normalization = ChannelNormalization(statisticsOf: dataset.train)
            normalizationSource = "training split"
        }

        // The fixed sample, cut into batches.
        var generator = SeededGenerator(seed: seed).derived(stream: 1)
        let subset = dataset.train.fixedSubset(count: sampleCount, generator: &generator)
        let batcher = try EvaluationBatcher(
            split: subset, batchSize: batchSize, normalization: normalization)
        var batches: [HessianBatch] = []
        batcher.forEachBatch { _, batch in
            let floats = batch.count * subset.shape.elementCount
            batches.append(
                HessianBatch(
                    images: Array(batch.images.prefix(floats)),
                    labels: Array(batch.labels.prefix(batch.count))))
        }
        self.batches = batches
        self.mode = mode
        record = HessianSampleRecord(
            dataset: dataText, split: "train", exampleCount: subset.count,
            batchSize: batchSize, batchCount: batches.count,
            batchNormMode: mode.rawValue, normalizationSource: normalizationSource,
            normalizationMean: normalization.mean.map(Double.init),
            normalizationStandardDeviation: normalization.standardDeviation.map(Double.init),
            seed: seed)
    }

    /// The Hessian of `model` on this sample.
    func hessian(of model: Model) -> SampleHessianOperator {
        SampleHessianOperator(
            model: model, batches: batches, mode: mode,
            retainedPassByteLimit: retainedPassByteLimit)
    }

    /// The run manifest in the checkpoint's folder, if there is one.
    static func manifest(besides checkpoint: URL) throws -> RunManifest? {
        let url = checkpoint.deletingLastPathComponent().appendingPathComponent(
            RunManifest.fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try RunManifest(contentsOf: url)
    }
}

/// What a curvature output records about its sample.
struct HessianSampleRecord: Codable, Equatable {
    var dataset: String
    var split: String
    var exampleCount: Int
    var batchSize: Int
    var batchCount: Int
    var batchNormMode: String
    var normalizationSource: String
    var normalizationMean: [Double]
    var normalizationStandardDeviation: [Double]
    var seed: UInt64
}

/// The host, for reports: the CPU model from /proc/cpuinfo and the core count.
func machineDescription() -> String {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let cpu =
        (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n")
        .first { $0.hasPrefix("model name") }
        .flatMap { $0.split(separator: ":", maxSplits: 1).last }
        .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    return "\(cpu), \(cores) core\(cores == 1 ? "" : "s")"
}

/// Now as `2026-12-03 17:00 UTC`.
func utcTimestamp() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
    return formatter.string(from: Date())
}

/// Seconds on a monotonic clock, for timings reported in outputs.
func elapsedSeconds(since start: Double) -> Double {
    monotonicSeconds() - start
}
