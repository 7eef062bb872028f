import BasinAnalysis
import BasinCheckpoint
import BasinData
import BasinKernels
import BasinNetwork
import Foundation

/// The checkpoints and the fixed evaluation data of one analysis, prepared from the
/// command line: the data set (from `--data`, else the checkpoint's metadata or run
/// manifest, else `embedded`), its normalisation (the run's `run.json` beside the first
/// checkpoint when there is one, else computed from the training split), the test split
/// (or a fixed subset), a fixed training subset and the images for BatchNorm resets.
struct AnalysisInputs {
    var checkpoints: [AnalysisCheckpoint]
    var test: EvaluationSet
    var train: EvaluationSet
    var statisticsImages: EvaluationSet
    /// Whether `test` is the whole test split of the data set the checkpoints were
    /// trained on, so that their recorded test metrics can be checked.
    var testIsRecordedSplit: Bool
    var record: AnalysisDataRecord

    init(urls: [URL], options: AnalysisDataOptions, context: CommandContext) throws {
        if let threads = context[options.threads] { Parallelism.threadCount = threads }
        let files = try urls.map { try Checkpoint(contentsOf: $0) }
        let manifest = try Self.manifest(besides: urls[0])

        // The data set and its normalisation.
        let recordedData = files[0].metadata.dataset ?? manifest?.dataset.name
        let dataText = context[options.data] ?? recordedData ?? "embedded"
        let dataset = try DatasetSpecification(parsing: dataText).load()
        let normalization: ChannelNormalization
        let normalizationSource: String
        if let record = manifest?.dataset,
            record.normalizationMean.count == dataset.inputShape.channels,
            record.normalizationStandardDeviation.allSatisfy({ $0 > 0 })
        {
            normalization = ChannelNormalization(
                mean: record.normalizationMean.map(Float.init),
                standardDeviation: record.normalizationStandardDeviation.map(Float.init))
            normalizationSource = "run.json"
        } else {
            normalization = ChannelNormalization(statisticsOf: dataset.train)
            normalizationSource = "training split"
        }

        // The models, from metadata or from hints for files saved without it.
        let shape = dataset.inputShape
        let hints = ModelHints(
            architecture: context[options.model], classCount: context[options.classes],
            inputShape: InputShape(
                channels: shape.channels, height: shape.height, width: shape.width))
        checkpoints = try zip(files, urls).map {
            try AnalysisCheckpoint(checkpoint: $0, url: $1, hints: hints)
        }

        // Fixed subsets: one seed, one stream per subset.
        let batchSize = context[options.batchSize]
        let root = SeededGenerator(seed: context[options.seed])
        var testSplit = dataset.test
        if let count = context[options.testImages], count < dataset.test.count {
            var generator = root.derived(stream: 1)
            testSplit = dataset.test.fixedSubset(count: count, generator: &generator)
        }
        var trainGenerator = root.derived(stream: 2)
        let trainSplit = dataset.train.fixedSubset(
            count: context[options.trainImages], generator: &trainGenerator)
        var statisticsGenerator = root.derived(stream: 3)
        let statisticsSplit = dataset.train.fixedSubset(
            count: context[options.statisticsImages], generator: &statisticsGenerator)
        test = try EvaluationSet(
            name: "test", split: testSplit, batchSize: batchSize, normalization: normalization)
        train = try EvaluationSet(
            name: "train", split: trainSplit, batchSize: batchSize, normalization: normalization)
        statisticsImages = try EvaluationSet(
            name: "bn-images", split: statisticsSplit, batchSize: batchSize,
            normalization: normalization)
        testIsRecordedSplit =
            testSplit.count == dataset.test.count
            && (recordedData == nil || recordedData == dataText)
        record = AnalysisDataRecord(
            dataset: dataText, normalizationSource: normalizationSource,
            normalizationMean: normalization.mean,
            normalizationStandardDeviation: normalization.standardDeviation,
            splits: [
                .init(name: "test", exampleCount: testSplit.count),
                .init(name: "train", exampleCount: trainSplit.count),
            ],
            statisticsImageCount: statisticsSplit.count, batchSize: batchSize,
            seed: context[options.seed])
    }

    /// The run manifest in the checkpoint's folder, if there is one.
    static func manifest(besides checkpoint: URL) throws -> RunManifest? {
        let url = checkpoint.deletingLastPathComponent().appendingPathComponent(
            RunManifest.fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try RunManifest(contentsOf: url)
    }

    /// The endpoint summary of `checkpoint`: its own evaluation on test and train with
    /// its saved running statistics, and the check of its recorded metrics.
    func summary(of checkpoint: AnalysisCheckpoint) -> EndpointSummary {
        let evaluation = [test, train].map {
            SplitResult(split: $0.name, result: checkpoint.model.evaluate($0, mode: .running))
        }
        return EndpointSummary(
            checkpoint: checkpoint, evaluation: evaluation, testComparable: testIsRecordedSplit,
            testExampleCount: test.exampleCount)
    }

    /// One line for the terminal about the data.
    var description: String {
        "data \(record.dataset): test \(test.exampleCount), train subset "
            + "\(train.exampleCount), BatchNorm reset on \(statisticsImages.exampleCount) "
            + "training images; normalisation from the \(record.normalizationSource)"
    }
}
