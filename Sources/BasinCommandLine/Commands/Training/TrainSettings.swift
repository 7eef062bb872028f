import BasinCheckpoint
import BasinData
import BasinNetwork
import BasinTraining
import Foundation

/// Every setting of a training run, as `basin train` reads it from flags and as `run.json`
/// records it (flag-style names and values), so that `--resume` rebuilds the same run.
struct TrainSettings: Equatable {
    var architecture: Architecture
    var data: String
    var validationCount: Int
    var augmentation: Augmentation
    var batchSize: Int
    var seed: UInt64
    var optimizer: OptimizerConfiguration
    /// The schedule's canonical specification, every length in iterations.
    var schedule: String
    var iterationCount: Int
    var evaluationBatchSize: Int
    var snapshotPeriodIterations: Int?
    var lossBound: Double?

    /// The `configuration` map of `run.json`.
    var record: [String: String] {
        var map = [
            "model": architecture.rawValue, "data": data, "val": String(validationCount),
            "augment": augmentation.rawValue, "batch_size": String(batchSize),
            "seed": String(seed), "optimizer": optimizer.algorithm.rawValue,
            "weight_decay": String(describing: optimizer.weightDecay),
            "no_decay_bias_bn": String(optimizer.exemptBiasAndNormalization),
            "schedule": schedule, "iterations": String(iterationCount),
            "eval_batch_size": String(evaluationBatchSize),
        ]
        map["save_every"] = snapshotPeriodIterations.map(String.init)
        map["max_loss"] = lossBound.map { String(describing: $0) }
        return map
    }

    /// Reads the settings back from a `run.json` configuration map.
    /// - Throws: `RunError.incompatibleState` naming the first key that is missing or does
    ///   not parse.
    init(record map: [String: String], path: String) throws {
        func value<T>(_ key: String, _ parse: (String) -> T?) throws -> T {
            guard let text = map[key], let value = parse(text) else {
                throw RunError.incompatibleState(
                    path: path,
                    reason: "configuration key '\(key)' is missing or malformed "
                        + "('\(map[key] ?? "")')")
            }
            return value
        }
        architecture = try value("model") { Architecture(rawValue: $0) }
        data = try value("data") { $0 }
        validationCount = try value("val") { Int($0) }
        augmentation = try value("augment") { Augmentation(rawValue: $0) }
        batchSize = try value("batch_size") { Int($0) }
        seed = try value("seed") { UInt64($0) }
        optimizer = OptimizerConfiguration(
            algorithm: try value("optimizer") { OptimizerConfiguration.Algorithm(rawValue: $0) },
            weightDecay: try value("weight_decay") { Double($0) },
            exemptBiasAndNormalization: try value("no_decay_bias_bn") { Bool($0) })
        schedule = try value("schedule") { $0 }
        iterationCount = try value("iterations") { Int($0) }
        evaluationBatchSize = try value("eval_batch_size") { Int($0) }
        snapshotPeriodIterations =
            map["save_every"] == nil ? nil : try value("save_every") { Int($0) }
        lossBound = map["max_loss"] == nil ? nil : try value("max_loss") { Double($0) }
    }

    init(
        architecture: Architecture, data: String, validationCount: Int,
        augmentation: Augmentation, batchSize: Int, seed: UInt64,
        optimizer: OptimizerConfiguration, schedule: String, iterationCount: Int,
        evaluationBatchSize: Int, snapshotPeriodIterations: Int?, lossBound: Double?
    ) {
        self.architecture = architecture
        self.data = data
        self.validationCount = validationCount
        self.augmentation = augmentation
        self.batchSize = batchSize
        self.seed = seed
        self.optimizer = optimizer
        self.schedule = schedule
        self.iterationCount = iterationCount
        self.evaluationBatchSize = evaluationBatchSize
        self.snapshotPeriodIterations = snapshotPeriodIterations
        self.lossBound = lossBound
    }

    /// The trainer's configuration.
    /// - Throws: `ScheduleError` if the recorded schedule does not parse.
    func trainingConfiguration() throws -> TrainingConfiguration {
        TrainingConfiguration(
            schedule: try Schedule(parsing: schedule), optimizer: optimizer,
            batchSize: batchSize, iterationCount: iterationCount, seed: seed,
            augmentation: augmentation, evaluationBatchSize: evaluationBatchSize,
            snapshotPeriodIterations: snapshotPeriodIterations,
            divergence: DivergenceGuard(lossBound: lossBound))
    }
}

/// Reading lengths and schedules given in iterations or epochs.
enum TrainingLengths {
    /// `500` (iterations) or `2ep`, `0.25ep` (epochs, rounded to the nearest iteration,
    /// at least one).
    static func iterations(_ text: String, iterationsPerEpoch: Int, flag: String) throws -> Int {
        let expected = "iterations such as 500 or epochs such as 1ep or 0.25ep"
        if text.hasSuffix("ep") {
            guard let epochs = Double(text.dropLast(2)), epochs > 0, epochs.isFinite else {
                throw UsageError.invalidValue(
                    option: flag, expected: expected, found: text, reason: nil)
            }
            return max(1, Int((epochs * Double(iterationsPerEpoch)).rounded()))
        }
        guard let count = Int(text), count > 0 else {
            throw UsageError.invalidValue(
                option: flag, expected: expected, found: text, reason: nil)
        }
        return count
    }

    /// Parses `text`; a one-cycle schedule without `total` gets the run's length when one
    /// is known.
    /// - Throws: `UsageError.invalidValue` for `--schedule` with the parser's message.
    static func schedule(_ text: String, iterationsPerEpoch: Int, runIterations: Int?) throws
        -> Schedule
    {
        do {
            do {
                return try Schedule(parsing: text, iterationsPerEpoch: iterationsPerEpoch)
            } catch ScheduleError.missingKey(_, let key, _) where key == "total" {
                guard let runIterations else {
                    throw ScheduleError.missingKey(
                        kind: kindName(text), key: key,
                        expected: "a LENGTH, or --epochs/--iterations for the run")
                }
                return try Schedule(
                    parsing: text + ",total=\(runIterations)",
                    iterationsPerEpoch: iterationsPerEpoch)
            }
        } catch let error as ScheduleError {
            throw UsageError.invalidValue(
                option: "--schedule", expected: "KIND:key=value,... (see 'basin schedule --help')",
                found: text, reason: error.description)
        }
    }

    /// The kind of a specification (`onecycle` of `onecycle:max=0.1`).
    static func kindName(_ text: String) -> String {
        String(text.prefix { $0 != ":" }).trimmingCharacters(in: .whitespaces).lowercased()
    }
}
