import BasinCheckpoint
import BasinData
import BasinKernels
import BasinNetwork
import BasinTraining
import Foundation

/// The options that choose the model, the data and the batches of a training-like command
/// (`train`, `lr-find`).
struct ModelDataOptions: OptionGroup {
    let model = Option<Architecture>(
        "--model", valueName: "ARCH", default: .mlp, help: "Architecture of the zoo.",
        parser: .cases)
    let data = Option<String>(
        "--data", valueName: "SPEC", default: "embedded",
        help: "Data set: embedded, fashion-mnist, cifar10:PATH, idx:PATH or a folder.")
    let validation = Option<Int>(
        "--val", valueName: "N", default: 0,
        help: "Hold out N training images (stratified, seeded) as a validation split.",
        parser: TrainingValues.nonNegativeInteger)
    let augmentation = Option<Augmentation>(
        "--augment", valueName: "KIND", default: .none,
        help: "Training augmentation: random crop with zero padding, and flip.", parser: .cases)
    let batchSize = Option<Int>(
        "--batch-size", valueName: "N", default: 128, help: "Training images per step.",
        parser: TrainingValues.positiveInteger)
    let seed = Option<UInt64>(
        "--seed", valueName: "N", default: 1,
        help: "Seed of the initial weights, batch order, augmentation and validation split.")
    let threads = Option<Int?>(
        "--threads", valueName: "N", help: "Threads to use (default: every core).",
        parser: TrainingValues.positiveInteger)
}

/// The options that choose the optimizer's update rule and weight decay.
struct OptimizerOptions: OptionGroup {
    let algorithm = Option<OptimizerConfiguration.Algorithm>(
        "--optimizer", valueName: "NAME", default: .sgd,
        help: "Update rule; the schedule's momentum is SGD's μ or AdamW's β1.", parser: .cases)
    let weightDecay = Option<Double>(
        "--weight-decay", valueName: "λ", default: 5e-4,
        help: "L2 added to the gradient (SGD) or decoupled decay (AdamW).",
        parser: TrainingValues.nonNegativeNumber)
    let exemptBiasAndNormalization = Flag(
        "--no-decay-bias-bn", help: "Exempt biases and BatchNorm parameters from weight decay.")
}

/// Value parsers of the training commands.
enum TrainingValues {
    static let positiveInteger = Int.argumentParser.checked(
        "a positive integer", reason: "must be ≥ 1"
    ) { $0 >= 1 }
    static let nonNegativeInteger = Int.argumentParser.checked(
        "an integer ≥ 0", reason: "must not be negative"
    ) { $0 >= 0 }
    static let nonNegativeNumber = Double.argumentParser.checked(
        "a number ≥ 0", reason: "must not be negative"
    ) { $0 >= 0 }
    static let positiveNumber = Double.argumentParser.checked(
        "a positive number", reason: "must be > 0"
    ) { $0 > 0 }
}

/// A data set ready for training: loaded, with its validation split held out and the
/// normalisation of its (remaining) training split.
struct PreparedData {
    var specification: DatasetSpecification
    var dataset: Dataset
    var normalization: ChannelNormalization

    /// Loads `text` and holds out `validationCount` training images with the run's seed.
    /// - Throws: `UsageError.invalidValue` for a specification that does not parse
    ///   (`flag` names the option) or a validation count that does not fit, and the data
    ///   layer's errors for files that cannot be read.
    static func load(
        _ text: String, flag: String = "--data", validationCount: Int = 0, seed: UInt64
    ) throws -> PreparedData {
        let specification: DatasetSpecification
        do {
            specification = try DatasetSpecification(parsing: text)
        } catch {
            throw UsageError.invalidValue(
                option: flag,
                expected: "embedded, fashion-mnist, cifar10:PATH, idx:PATH or a "
                    + "folder", found: text, reason: "\(error)")
        }
        var dataset = try specification.load()
        if validationCount > 0 {
            guard validationCount < dataset.train.count else {
                throw UsageError.invalidValue(
                    option: "--val", expected: "fewer images than the training split holds",
                    found: String(validationCount),
                    reason: "the training split has \(dataset.train.count)")
            }
            var generator = TrainingSeeds.validationSplit(seed: seed)
            dataset = try dataset.holdingOutValidation(
                count: validationCount, generator: &generator)
        }
        return PreparedData(
            specification: specification, dataset: dataset,
            normalization: ChannelNormalization(statisticsOf: dataset.train))
    }

    /// The input shape of the zoo's models for these images.
    var inputShape: InputShape {
        let shape = dataset.inputShape
        return InputShape(channels: shape.channels, height: shape.height, width: shape.width)
    }

    /// A fresh model with the initial weights drawn from the run's seed.
    func makeModel(_ architecture: Architecture, seed: UInt64) -> Model {
        var generator = TrainingSeeds.model(seed: seed)
        return Model(
            architecture: architecture, inputShape: inputShape,
            classCount: dataset.classCount, generator: &generator)
    }

    /// A short name of the data for folder names: `embedded`, `fashion-mnist`, or the last
    /// component of a path.
    var shortName: String {
        switch specification {
        case .embedded, .fashionMNIST: return specification.description
        case .cifar10(let path), .idx(let path), .folder(let path):
            let last = URL(fileURLWithPath: path).lastPathComponent
            return last.isEmpty ? "data" : last
        }
    }
}

extension OptimizerOptions {
    func configuration(_ context: CommandContext) -> OptimizerConfiguration {
        OptimizerConfiguration(
            algorithm: context[algorithm], weightDecay: context[weightDecay],
            exemptBiasAndNormalization: context[exemptBiasAndNormalization])
    }
}

/// Sets the kernels' thread count from `--threads` (every core when absent).
func applyThreadCount(_ threads: Int?) {
    Parallelism.threadCount = threads ?? Parallelism.defaultThreadCount
}

/// Compact numbers for progress lines and tables: four significant digits.
func shortNumber(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    return String(format: "%.4g", value)
}
