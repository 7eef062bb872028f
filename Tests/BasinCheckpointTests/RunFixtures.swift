import BasinCheckpoint
import BasinData
import BasinKernels
import BasinNetwork
import BasinTraining
import Foundation

/// A small run for the run-folder tests: an mlp on three classes of 1×4×4 images (a bright
/// pattern per class plus noise, one label in eight wrong), 96 training and 30 test
/// images, batch 8 (12 steps per epoch).
enum TinyRun {
    static func split(count: Int, seed: UInt64, mislabelsEvery: Int?) -> DataSplit {
        let shape = ImageShape(channels: 1, height: 4, width: 4)
        var generator = SeededGenerator(seed: seed)
        var images: [UInt8] = []
        var labels: [Int32] = []
        for index in 0..<count {
            let label = index % 3
            for pixel in 0..<shape.elementCount {
                images.append(
                    UInt8((pixel % 3 == label ? 180 : 60) + generator.nextIndex(below: 60)))
            }
            let wrong = mislabelsEvery.map { index % $0 == $0 - 1 } ?? false
            labels.append(Int32(wrong ? (label + 1) % 3 : label))
        }
        return DataSplit(shape: shape, images: images, labels: labels)
    }

    static let dataset = Dataset(
        name: "tiny", source: "generated", classCount: 3, classNames: nil,
        train: split(count: 96, seed: 11, mislabelsEvery: 8),
        test: split(count: 30, seed: 12, mislabelsEvery: nil))

    static let normalization = ChannelNormalization(statisticsOf: dataset.train)

    static func trainer(
        schedule: String = "clr:base=0.01,max=0.1,step=5", iterations: Int = 30,
        snapshotEvery: Int? = nil
    ) throws -> Trainer {
        var generator = TrainingSeeds.model(seed: 5)
        let model = Model(
            architecture: .mlp, inputShape: InputShape(channels: 1, height: 4, width: 4),
            classCount: 3, generator: &generator)
        let configuration = TrainingConfiguration(
            schedule: try Schedule(parsing: schedule),
            optimizer: OptimizerConfiguration(algorithm: .sgd, weightDecay: 5e-4),
            batchSize: 8, iterationCount: iterations, seed: 5, augmentation: .crop,
            evaluationBatchSize: 16, snapshotPeriodIterations: snapshotEvery)
        return try Trainer(
            model: model, dataset: dataset, normalization: normalization,
            configuration: configuration)
    }

    static func manifest() -> RunManifest {
        RunManifest(
            toolVersion: "test", architecture: "mlp", configuration: ["model": "mlp"],
            dataset: DatasetRecord(dataset: dataset, normalization: normalization), seed: 5,
            threadCount: Parallelism.threadCount)
    }
}
