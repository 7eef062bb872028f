import BasinAnalysis
import BasinCheckpoint
import BasinData
import BasinKernels
import BasinNetwork
import BasinTraining
import Foundation

/// Every setting of a sweep apart from the point values, and how to train one point.
struct SweepPlan {
    var manifest: SweepManifest
    var data: PreparedData
    /// The data the trainer sees: the remaining training split, and the validation split
    /// in place of the test split, so that the trainer's own epoch-end evaluations never
    /// touch the test images.
    var trainerData: Dataset
    var validation: DataSplit
    var architecture: Architecture
    var batchSize: Int
    var seed: UInt64
    var optimizer: OptimizerConfiguration
    var scheduleText: String
    var augmentation: Augmentation
    var evaluationBatchSize: Int
    var evaluationPeriod: Int
    var lossBound: Double?
    var includesTest: Bool
    var startingCheckpoint: Checkpoint?

    init(
        grid: SweepGrid, budget: SweepBudget, data: PreparedData, context: CommandContext,
        command: SweepRunCommand
    ) throws {
        guard let validation = data.dataset.validation else {
            preconditionFailure("the sweep's data has no validation split")
        }
        self.data = data
        self.validation = validation
        trainerData = Dataset(
            name: data.dataset.name, source: data.dataset.source,
            classCount: data.dataset.classCount, classNames: data.dataset.classNames,
            train: data.dataset.train, test: validation)
        architecture = context[command.inputs.model]
        batchSize = context[command.inputs.batchSize]
        seed = context[command.inputs.seed]
        optimizer = command.optimizer.configuration(context)
        scheduleText = context[command.schedule]
        augmentation = context[command.inputs.augmentation]
        evaluationBatchSize = context[command.evaluationBatchSize]
        evaluationPeriod = context[command.evaluationPeriod]
        lossBound = context[command.maxLoss]
        includesTest = context[command.test]
        var checkpointHash = ""
        if let url = context[command.from] {
            startingCheckpoint = try Checkpoint(contentsOf: url)
            checkpointHash = SweepIdentity.hexadecimal(
                SweepIdentity.fnv1a(try Data(contentsOf: url)))
        }
        let settings: [String: String] = [
            "grid": grid.canonicalText, "budget": budget.description,
            "eval_every": String(evaluationPeriod), "test": String(includesTest),
            "model": architecture.rawValue, "data": data.specification.description,
            "val": String(validation.count), "augment": augmentation.rawValue,
            "batch_size": String(batchSize), "seed": String(seed),
            "optimizer": optimizer.algorithm.rawValue,
            "weight_decay": String(describing: optimizer.weightDecay),
            "no_decay_bias_bn": String(optimizer.exemptBiasAndNormalization),
            "schedule": scheduleText, "eval_batch_size": String(evaluationBatchSize),
            "max_loss": lossBound.map { String(describing: $0) } ?? "default",
            "from": context[command.from].map { "\($0.lastPathComponent) \(checkpointHash)" }
                ?? "initialisation",
        ]
        manifest = SweepManifest(
            identity: SweepIdentity.of(settings), settings: settings, grid: grid, budget: budget,
            pointCount: grid.points.count, isRangeTest: false,
            dataset: data.dataset.name, trainingExampleCount: data.dataset.train.count)
        // Whether the schedule is a range test decides the report's x axis; checked once
        // with the plan's own batch size (the kind does not depend on the point).
        let probe = try schedule(batchSize: batchSize, budget: budget)
        if case .rangeTestRamp = probe.schedule { manifest.isRangeTest = true }
    }

    /// The schedule and run length of a point with `batchSize`.
    private func schedule(batchSize: Int, budget: SweepBudget) throws
        -> (schedule: Schedule, iterationCount: Int, perEpoch: Int)
    {
        let perEpoch = data.dataset.train.count / batchSize
        guard perEpoch > 0 else {
            throw UsageError.invalidValue(
                option: "--batch-size", expected: "at most the number of training images",
                found: String(batchSize),
                reason: "the training split has \(data.dataset.train.count)")
        }
        let budgetIterations = budget.iterationCount(iterationsPerEpoch: perEpoch)
        if budgetIterations == nil {
            do {
                _ = try Schedule(parsing: scheduleText, iterationsPerEpoch: perEpoch)
            } catch ScheduleError.missingKey(_, let key, _) where key == "total" {
                throw UsageError.conflict(
                    "with a seconds budget the schedule sets the run's length: add "
                        + "total=LENGTH to --schedule '\(scheduleText)'")
            } catch {
                // Any other problem is reported with the flag below.
            }
        }
        let parsed = try TrainingLengths.schedule(
            scheduleText, iterationsPerEpoch: perEpoch, runIterations: budgetIterations)
        let total = budgetIterations ?? parsed.totalIterations ?? sweepOpenEndedIterationLimit
        return (parsed, total, perEpoch)
    }

    /// Trains `point` from the plan's seed (or checkpoint) and records its curve.
    func run(_ point: SweepPoint) throws -> SweepPointResult {
        let pointBatch = point.values[.batchSize].map { Int($0) } ?? batchSize
        var pointOptimizer = optimizer
        if let decay = point.values[.weightDecay] { pointOptimizer.weightDecay = decay }
        let (base, iterationCount, perEpoch) = try schedule(
            batchSize: pointBatch, budget: manifest.budget)
        let pointSchedule: Schedule
        do {
            pointSchedule = try base.overriding(
                maximumLearningRate: point.values[.maximumLearningRate],
                momentum: point.values[.momentum])
        } catch {
            throw UsageError.conflict("\(point.name): \(error.description)")
        }
        let configuration = TrainingConfiguration(
            schedule: pointSchedule, optimizer: pointOptimizer, batchSize: pointBatch,
            iterationCount: iterationCount, seed: seed, augmentation: augmentation,
            evaluationBatchSize: evaluationBatchSize,
            divergence: DivergenceGuard(lossBound: lossBound))
        let model = data.makeModel(architecture, seed: seed)
        try startingCheckpoint?.load(into: model)
        let trainer = try Trainer(
            model: model, dataset: trainerData, normalization: data.normalization,
            configuration: configuration)
        let test =
            includesTest
            ? try EvaluationBatcher(
                split: data.dataset.test, batchSize: evaluationBatchSize,
                normalization: data.normalization) : nil
        let curve = try SweepCurve.record(
            trainer, validation: trainer.testBatches, test: test,
            evaluationPeriod: evaluationPeriod, timeLimitSeconds: manifest.budget.seconds)
        return SweepPointResult(
            sweepIdentity: manifest.identity, point: point, iterationsPerEpoch: perEpoch,
            plannedIterations: iterationCount, curve: curve)
    }
}
