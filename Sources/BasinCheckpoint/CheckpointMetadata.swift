/// Why a checkpoint was saved.
public enum CheckpointKind: String, Sendable, Codable, CaseIterable {
    /// The weights before the first step.
    case initial = "init"
    /// The end of a learning-rate cycle (`cycle-NNN.safetensors`).
    case cycle
    /// Any other point along training (every few epochs, a trajectory sample).
    case snapshot
    /// The end of training.
    case final
}

/// What a Basin checkpoint says about itself, stored as strings in the safetensors
/// `__metadata__` map so the file stays self-describing and readable by any safetensors tool.
///
/// Every field is optional: a file saved from PyTorch has no metadata at all, and decoding it
/// gives all nils. A value that is present but does not parse as its field's type is an
/// error naming the key. Numbers are written in Swift's shortest round-trip form
/// (`0.1`, `1e-05`, `nan`), so decoding gives back the identical `Double`. Keys Basin does
/// not know are kept in `extra` and written back unchanged.
public struct CheckpointMetadata: Sendable, Equatable {
    /// The version of this metadata layout that Basin writes.
    public static let currentFormatVersion = 1

    /// The metadata layout version; nil for a file Basin did not write.
    public var formatVersion: Int?
    public var kind: CheckpointKind?
    /// The zoo architecture's name, as the model registry knows it.
    public var architecture: String?
    /// One example's shape, `[channels, height, width]`.
    public var inputShape: [Int]?
    public var classCount: Int?
    /// Optimizer steps taken before this checkpoint.
    public var iteration: Int?
    /// Epochs completed before this checkpoint.
    public var epoch: Int?
    /// Learning-rate cycles completed (1 for `cycle-001`).
    public var cycle: Int?
    /// The learning rate of the last step taken.
    public var learningRate: Double?
    /// The momentum (SGD μ, or Adam β₁) of the last step taken.
    public var momentum: Double?
    public var weightDecay: Double?
    /// The optimizer's name (`sgd`, `adamw`).
    public var optimizer: String?
    /// The `--seed` of the run.
    public var seed: UInt64?
    /// The data set's name (`embedded`, `fashion-mnist`, a path).
    public var dataset: String?
    /// Mean cross-entropy over the training set (or the last epoch's running mean).
    public var trainLoss: Double?
    /// Fraction of training examples classified correctly, in [0, 1].
    public var trainAccuracy: Double?
    /// Mean cross-entropy over the test set.
    public var testLoss: Double?
    /// Fraction of test examples classified correctly, in [0, 1].
    public var testAccuracy: Double?
    /// Any other keys, written and read as they are.
    public var extra: [String: String]

    public init(
        kind: CheckpointKind? = nil, architecture: String? = nil, inputShape: [Int]? = nil,
        classCount: Int? = nil, iteration: Int? = nil, epoch: Int? = nil, cycle: Int? = nil,
        learningRate: Double? = nil, momentum: Double? = nil, weightDecay: Double? = nil,
        optimizer: String? = nil, seed: UInt64? = nil, dataset: String? = nil,
        trainLoss: Double? = nil, trainAccuracy: Double? = nil, testLoss: Double? = nil,
        testAccuracy: Double? = nil, extra: [String: String] = [:]
    ) {
        self.formatVersion = Self.currentFormatVersion
        self.kind = kind
        self.architecture = architecture
        self.inputShape = inputShape
        self.classCount = classCount
        self.iteration = iteration
        self.epoch = epoch
        self.cycle = cycle
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.optimizer = optimizer
        self.seed = seed
        self.dataset = dataset
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.testLoss = testLoss
        self.testAccuracy = testAccuracy
        self.extra = extra
    }
}

/// The `__metadata__` keys of `CheckpointMetadata`.
public enum CheckpointMetadataKey {
    public static let formatVersion = "basin_format_version"
    public static let kind = "kind"
    public static let architecture = "architecture"
    public static let inputShape = "input_shape"
    public static let classCount = "class_count"
    public static let iteration = "iteration"
    public static let epoch = "epoch"
    public static let cycle = "cycle"
    public static let learningRate = "learning_rate"
    public static let momentum = "momentum"
    public static let weightDecay = "weight_decay"
    public static let optimizer = "optimizer"
    public static let seed = "seed"
    public static let dataset = "dataset"
    public static let trainLoss = "train_loss"
    public static let trainAccuracy = "train_accuracy"
    public static let testLoss = "test_loss"
    public static let testAccuracy = "test_accuracy"

    /// Every key above; `extra` may not use them.
    public static let all: Set<String> = [
        formatVersion, kind, architecture, inputShape, classCount, iteration, epoch, cycle,
        learningRate, momentum, weightDecay, optimizer, seed, dataset, trainLoss,
        trainAccuracy, testLoss, testAccuracy,
    ]
}

extension CheckpointMetadata {
    /// The string map to store as `__metadata__`; absent fields are left out.
    /// - Precondition: no key of `extra` is one of `CheckpointMetadataKey.all`.
    public func encoded() -> [String: String] {
        typealias Key = CheckpointMetadataKey
        for key in extra.keys {
            precondition(!Key.all.contains(key), "extra metadata key \(key) is a reserved key")
        }
        var map = extra
        map[Key.formatVersion] = formatVersion.map(String.init)
        map[Key.kind] = kind?.rawValue
        map[Key.architecture] = architecture
        map[Key.inputShape] = inputShape.map(encodeShape)
        map[Key.classCount] = classCount.map(String.init)
        map[Key.iteration] = iteration.map(String.init)
        map[Key.epoch] = epoch.map(String.init)
        map[Key.cycle] = cycle.map(String.init)
        map[Key.learningRate] = learningRate.map(String.init(describing:))
        map[Key.momentum] = momentum.map(String.init(describing:))
        map[Key.weightDecay] = weightDecay.map(String.init(describing:))
        map[Key.optimizer] = optimizer
        map[Key.seed] = seed.map(String.init)
        map[Key.dataset] = dataset
        map[Key.trainLoss] = trainLoss.map(String.init(describing:))
        map[Key.trainAccuracy] = trainAccuracy.map(String.init(describing:))
        map[Key.testLoss] = testLoss.map(String.init(describing:))
        map[Key.testAccuracy] = testAccuracy.map(String.init(describing:))
        return map
    }

    /// Reads the fields from a `__metadata__` map: missing keys give nil, unknown keys go to
    /// `extra`.
    /// - Parameter path: the file the map came from, for error messages.
    /// - Throws: `CheckpointError.malformedMetadataValue` naming the key whose value does not
    ///   parse (an integer field holding `1.5`, an unknown kind, a shape like `[1, x]`).
    public init(decoding map: [String: String], path: String) throws {
        typealias Key = CheckpointMetadataKey
        let reader = MetadataReader(map: map, path: path)
        self.init(extra: map.filter { !Key.all.contains($0.key) })
        formatVersion = try reader.parse(Key.formatVersion, "an integer") { Int($0) }
        kind = try reader.parse(
            Key.kind, "one of " + CheckpointKind.allCases.map(\.rawValue).joined(separator: ", ")
        ) { CheckpointKind(rawValue: $0) }
        architecture = map[Key.architecture]
        inputShape = try reader.parse(
            Key.inputShape, "a shape of positive integers such as [1, 28, 28]", parseShape)
        classCount = try reader.parse(Key.classCount, "an integer") { Int($0) }
        iteration = try reader.parse(Key.iteration, "an integer") { Int($0) }
        epoch = try reader.parse(Key.epoch, "an integer") { Int($0) }
        cycle = try reader.parse(Key.cycle, "an integer") { Int($0) }
        learningRate = try reader.number(Key.learningRate)
        momentum = try reader.number(Key.momentum)
        weightDecay = try reader.number(Key.weightDecay)
        optimizer = map[Key.optimizer]
        seed = try reader.parse(Key.seed, "an unsigned 64-bit integer") { UInt64($0) }
        dataset = map[Key.dataset]
        trainLoss = try reader.number(Key.trainLoss)
        trainAccuracy = try reader.number(Key.trainAccuracy)
        testLoss = try reader.number(Key.testLoss)
        testAccuracy = try reader.number(Key.testAccuracy)
    }
}

/// Parses optional values out of a metadata map, naming the key when one does not parse.
struct MetadataReader {
    var map: [String: String]
    var path: String

    func parse<Value>(_ key: String, _ expected: String, _ parse: (String) -> Value?) throws
        -> Value?
    {
        guard let text = map[key] else { return nil }
        guard let value = parse(text) else {
            throw CheckpointError.malformedMetadataValue(
                path: path, key: key, value: text, expected: expected)
        }
        return value
    }

    /// A `Double` in Swift's or Python's notation (`0.1`, `1e-05`, `nan`, `inf`).
    func number(_ key: String) throws -> Double? {
        try parse(key, "a number") { Double($0) }
    }
}

/// `[1, 28, 28]`, the way Python prints a list.
func encodeShape(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}

/// The inverse of `encodeShape`; spaces around the numbers are optional. Nil for anything
/// else, including zero or negative dimensions.
func parseShape(_ text: String) -> [Int]? {
    guard text.hasPrefix("["), text.hasSuffix("]"), text.count >= 2 else { return nil }
    let inner = text.dropFirst().dropLast().trimming(" ")
    if inner.isEmpty { return [] }
    var shape: [Int] = []
    for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
        guard let dimension = Int(part.trimming(" ")), dimension > 0 else {
            return nil
        }
        shape.append(dimension)
    }
    return shape
}

extension StringProtocol {
    /// The text without leading and trailing copies of `character`.
    fileprivate func trimming(_ character: Character) -> Substring {
        let text = Substring(self)
        guard let first = text.firstIndex(where: { $0 != character }) else { return "" }
        let last = text.lastIndex(where: { $0 != character })!
        return text[first...last]
    }
}
