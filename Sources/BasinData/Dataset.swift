// Dimension letters: N examples, C channels, H height, W width.

/// The splits a data set can hold.
public enum SplitName: String, Codable, CaseIterable, Sendable {
    case train
    case validation
    case test
}

/// An image-classification data set: training and test splits, and optionally a validation
/// split held out from the training images.
///
/// All splits share one image shape C×H×W and one set of classes `0..<classCount`.
public struct Dataset: Equatable, Sendable {
    /// A short name: `embedded`, `fashion-mnist`, `cifar10`, or the folder's name.
    public var name: String
    /// Where the data came from: a folder path, or the package resource.
    public var source: String
    public var classCount: Int
    /// Names of the classes in label order, when the format or data set provides them.
    public var classNames: [String]?
    public var train: DataSplit
    public var validation: DataSplit?
    public var test: DataSplit

    /// - Precondition: the splits share one shape, and `classNames` (if given) has
    ///   `classCount` entries.
    public init(
        name: String, source: String, classCount: Int, classNames: [String]?,
        train: DataSplit, validation: DataSplit? = nil, test: DataSplit
    ) {
        precondition(
            train.shape == test.shape && (validation?.shape ?? train.shape) == train.shape,
            "split shapes differ: train \(train.shape), test \(test.shape), "
                + "validation \(validation.map { "\($0.shape)" } ?? "none")")
        precondition(
            classNames == nil || classNames!.count == classCount,
            "\(classNames?.count ?? 0) class names for \(classCount) classes")
        self.name = name
        self.source = source
        self.classCount = classCount
        self.classNames = classNames
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// The input shape (channels, height, width) shared by all splits.
    public var inputShape: ImageShape { train.shape }

    /// The split called `name`, or nil for a validation split that was not held out.
    public func split(_ name: SplitName) -> DataSplit? {
        switch name {
        case .train: return train
        case .validation: return validation
        case .test: return test
        }
    }

    /// A record of this data set for a run manifest.
    public var summary: DatasetSummary {
        DatasetSummary(
            name: name, source: source, inputShape: inputShape, classCount: classCount,
            classNames: classNames, trainCount: train.count,
            validationCount: validation?.count ?? 0, testCount: test.count)
    }
}

/// What a run manifest records about its data set (the images themselves excluded).
public struct DatasetSummary: Codable, Equatable, Sendable {
    public var name: String
    public var source: String
    public var inputShape: ImageShape
    public var classCount: Int
    public var classNames: [String]?
    public var trainCount: Int
    public var validationCount: Int
    public var testCount: Int
}

/// The ten Fashion-MNIST classes in label order (Xiao, Rasul and Vollgraf 2017).
public let fashionMNISTClassNames = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]

/// The ten CIFAR-10 classes in label order, as in its `batches.meta.txt`.
public let cifar10ClassNames = [
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
]
