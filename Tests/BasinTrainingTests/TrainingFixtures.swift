import BasinData
import BasinKernels
import BasinNetwork

@testable import BasinTraining

/// A small, learnable classification problem: three classes of 1×4×4 images, each class a
/// fixed bright pattern plus seeded noise, 96 training and 30 test images. One training
/// label in eight is wrong, so the training loss cannot reach zero and large rates blow up.
enum TinyProblem {
    static let shape = ImageShape(channels: 1, height: 4, width: 4)
    static let classCount = 3

    static func split(count: Int, seed: UInt64, mislabelsEvery: Int? = nil) -> DataSplit {
        var generator = SeededGenerator(seed: seed)
        var images: [UInt8] = []
        var labels: [Int32] = []
        for index in 0..<count {
            let label = index % classCount
            for pixel in 0..<shape.elementCount {
                let bright = pixel % classCount == label
                let base = bright ? 180 : 60
                images.append(UInt8(base + generator.nextIndex(below: 60)))
            }
            let wrong = mislabelsEvery.map { index % $0 == $0 - 1 } ?? false
            labels.append(Int32(wrong ? (label + 1) % classCount : label))
        }
        return DataSplit(shape: shape, images: images, labels: labels)
    }

    static let dataset = Dataset(
        name: "tiny", source: "generated", classCount: classCount, classNames: nil,
        train: split(count: 96, seed: 11, mislabelsEvery: 8), test: split(count: 30, seed: 12))

    static var normalization: ChannelNormalization {
        ChannelNormalization(statisticsOf: dataset.train)
    }

    static func model(seed: UInt64 = 7) -> Model {
        var generator = TrainingSeeds.model(seed: seed)
        return Model(
            architecture: .mlp,
            inputShape: InputShape(channels: 1, height: 4, width: 4), classCount: classCount,
            generator: &generator)
    }

    /// A trainer of `iterations` steps (12 per epoch at batch 8) with `schedule`.
    static func trainer(
        schedule: String = "constant:lr=0.05,momentum=0.9", iterations: Int = 30,
        seed: UInt64 = 7, snapshotEvery: Int? = nil, lossBound: Double? = nil,
        augmentation: Augmentation = .none, dataset: Dataset = dataset
    ) throws -> Trainer {
        let configuration = TrainingConfiguration(
            schedule: try Schedule(parsing: schedule, iterationsPerEpoch: 12),
            optimizer: OptimizerConfiguration(algorithm: .sgd, weightDecay: 5e-4),
            batchSize: 8, iterationCount: iterations, seed: seed, augmentation: augmentation,
            evaluationBatchSize: 7, snapshotPeriodIterations: snapshotEvery,
            divergence: DivergenceGuard(lossBound: lossBound))
        return try Trainer(
            model: model(seed: seed), dataset: dataset, normalization: normalization,
            configuration: configuration)
    }
}

/// Collects the events of a run.
final class EventLog {
    var events: [TrainingEvent] = []

    func record(_ event: TrainingEvent) { events.append(event) }

    var iterations: [IterationRecord] {
        events.compactMap { if case .iterationCompleted(let record) = $0 { record } else { nil } }
    }
    var evaluations: [EvaluationRecord] {
        events.compactMap { if case .evaluated(let record) = $0 { record } else { nil } }
    }
    var cycleEnds: [CycleEnd] {
        events.compactMap { if case .cycleEnded(let end) = $0 { end } else { nil } }
    }
    var snapshots: [Int] {
        events.compactMap { if case .snapshotDue(let iteration) = $0 { iteration } else { nil } }
    }
}
