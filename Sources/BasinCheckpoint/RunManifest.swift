import Foundation

/// `run.json`: how a run was made and which checkpoints it left, so that an analysis can
/// rebuild the model, the data and the schedule from the run folder alone.
///
/// Written as pretty-printed JSON with sorted snake_case keys (stable diffs), atomically.
public struct RunManifest: Codable, Sendable, Equatable {
    /// The file name inside a run folder.
    public static let fileName = "run.json"
    /// The version of this layout that Basin writes.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// The version of the `basin` program that wrote the run.
    public var toolVersion: String
    /// The zoo architecture's name.
    public var architecture: String
    /// Every setting of the run (schedule, optimizer, batch size, epochs…) as flag-style
    /// name/value strings, so any setting round-trips without a schema change.
    public var configuration: [String: String]
    public var dataset: DatasetRecord
    public var seed: UInt64
    /// Threads used; with the seed it determines the checkpoints bit for bit.
    public var threadCount: Int
    /// The checkpoints in the order they were written.
    public var checkpoints: [CheckpointRecord]

    public init(
        toolVersion: String, architecture: String, configuration: [String: String],
        dataset: DatasetRecord, seed: UInt64, threadCount: Int,
        checkpoints: [CheckpointRecord] = []
    ) {
        self.formatVersion = Self.currentFormatVersion
        self.toolVersion = toolVersion
        self.architecture = architecture
        self.configuration = configuration
        self.dataset = dataset
        self.seed = seed
        self.threadCount = threadCount
        self.checkpoints = checkpoints
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case toolVersion = "tool_version"
        case architecture, configuration, dataset, seed
        case threadCount = "thread_count"
        case checkpoints
    }
}

/// The data a run trained on and how its inputs were normalised (`(x − mean) / std` per
/// channel).
public struct DatasetRecord: Codable, Sendable, Equatable {
    /// `embedded`, `fashion-mnist`, or the folder given.
    public var name: String
    public var trainingExampleCount: Int
    public var testExampleCount: Int
    /// Per-channel mean subtracted from inputs scaled to [0, 1].
    public var normalizationMean: [Double]
    /// Per-channel standard deviation divided out after the mean.
    public var normalizationStandardDeviation: [Double]

    public init(
        name: String, trainingExampleCount: Int, testExampleCount: Int,
        normalizationMean: [Double], normalizationStandardDeviation: [Double]
    ) {
        self.name = name
        self.trainingExampleCount = trainingExampleCount
        self.testExampleCount = testExampleCount
        self.normalizationMean = normalizationMean
        self.normalizationStandardDeviation = normalizationStandardDeviation
    }

    enum CodingKeys: String, CodingKey {
        case name
        case trainingExampleCount = "training_example_count"
        case testExampleCount = "test_example_count"
        case normalizationMean = "normalization_mean"
        case normalizationStandardDeviation = "normalization_std"
    }
}

/// One checkpoint of a run, as the manifest lists it.
public struct CheckpointRecord: Codable, Sendable, Equatable {
    /// The file name inside the run folder (`cycle-003.safetensors`).
    public var file: String
    public var kind: CheckpointKind
    /// Optimizer steps taken before the checkpoint.
    public var iteration: Int
    /// Epochs completed before the checkpoint.
    public var epoch: Int
    /// Cycles completed, for a cycle checkpoint.
    public var cycle: Int?
    /// The learning rate and momentum of the last step taken.
    public var learningRate: Double
    public var momentum: Double

    public init(
        file: String, kind: CheckpointKind, iteration: Int, epoch: Int, cycle: Int? = nil,
        learningRate: Double, momentum: Double
    ) {
        self.file = file
        self.kind = kind
        self.iteration = iteration
        self.epoch = epoch
        self.cycle = cycle
        self.learningRate = learningRate
        self.momentum = momentum
    }

    enum CodingKeys: String, CodingKey {
        case file, kind, iteration, epoch, cycle
        case learningRate = "learning_rate"
        case momentum
    }
}

extension RunManifest {
    /// Reads `run.json` (or any manifest file) at `url`.
    /// - Throws: `CheckpointError.unreadableFile`, or `.malformedManifest` with the field at
    ///   fault.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CheckpointError.unreadableFile(
                path: url.path, reason: (error as NSError).localizedDescription)
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            self = try decoder.decode(RunManifest.self, from: data)
        } catch let error as DecodingError {
            throw CheckpointError.malformedManifest(path: url.path, reason: describe(error))
        }
    }

    /// The manifest as pretty-printed JSON with sorted keys and a final newline.
    public func encodedJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Encoding plain strings and numbers with a string strategy for non-finite values
        // cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Writes the manifest to `url` atomically.
    /// - Throws: `CheckpointError.unwritableFile`.
    public func write(to url: URL) throws {
        do {
            try writeAtomically(encodedJSON(), to: url)
        } catch let error as FileWriteError {
            throw CheckpointError.unwritableFile(path: url.path, reason: error.reason)
        }
    }
}

/// A decoding error as one line: the JSON path of the field and what was wrong.
private func describe(_ error: DecodingError) -> String {
    func location(_ path: [any CodingKey]) -> String {
        let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
    }
    switch error {
    case .keyNotFound(let key, let context):
        let parent = context.codingPath.isEmpty ? "" : " in \(location(context.codingPath))"
        return "missing field \(key.stringValue)\(parent)"
    case .typeMismatch(let type, let context):
        return "\(location(context.codingPath)): expected \(type)"
    case .valueNotFound(let type, let context):
        return "\(location(context.codingPath)): expected \(type), found null"
    case .dataCorrupted(let context):
        return context.codingPath.isEmpty
            ? "not valid JSON"
            : "\(location(context.codingPath)): \(context.debugDescription)"
    @unknown default:
        return "\(error)"
    }
}
