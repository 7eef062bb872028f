import BasinAnalysis
import BasinCheckpoint
import BasinData
import BasinKernels
import BasinNetwork
import BasinTraining
import Foundation

/// `basin sweep run`: one short training per grid point, each written to its own file.
struct SweepRunCommand: Command {
    static let configuration = CommandConfiguration(
        name: "run",
        abstract: "Train one short run per grid point and report the held-out losses.",
        discussion: """
            Expands the product of the --vary grids and trains each point for --budget,
            with every other setting as in 'basin train': the same seed, initial weights
            and batch order for every point, so that points differ only in what is
            varied (a batch size changes the batches themselves). Parameters:
              wd        weight decay (replaces --weight-decay)
              momentum  a constant momentum (β1 for AdamW); it replaces the schedule's
                        momentum, switching off the cyclical momentum of onecycle/clr
              batch     training images per step (replaces --batch-size)
              max_lr    the schedule's maximum rate: max of clr, onecycle, smith1cycle
                        and sgdr, lr of constant and step schedules, end of a ramp
            --budget is per point: epochs (3ep; each point's own steps per epoch),
            iterations (500), or seconds of training (60s), which compares batch sizes at
            equal wall-clock time. A one-cycle schedule without 'total' spans the budget;
            with a seconds budget give it total=LENGTH.

            The validation loss and accuracy are measured before the first step and every
            --eval-every steps on the --val images held out of the training split
            (default: a tenth of it); the test split is used only with --test. --from
            starts every point from a checkpoint's weights (with fresh optimizer state).

            The folder --out receives sweep.json (the settings and the sweep's identity,
            a hash of the grid and every other setting), points/NAME.json as each point
            finishes, curves.csv, summary.csv and report.md/report.html with the plots,
            the signals and the best point. A rerun with the same settings skips finished
            points; --shard I/N runs every N-th point from the I-th, and 'basin sweep
            merge' combines the shards' folders.
            """,
        examples: [
            "basin sweep run --model mlp --vary wd=1e-5,1e-4,1e-3 --budget 2ep",
            "basin sweep run --vary batch=128,512 --schedule constant:lr=0.05 --budget 60s",
            "basin sweep run --vary wd=1e-4,3e-4 --from run/final.safetensors --shard 1/2",
        ])

    let vary = RepeatedOption<String>(
        "--vary", valueName: "NAME=V1,V2,…",
        help: "A parameter and its values: wd, momentum, batch or max_lr; repeat for a product.")
    let budget = Option<String>(
        "--budget", valueName: "LENGTH", default: "1ep",
        help: "Per point: epochs (3ep), iterations (500) or seconds of training (60s).")
    let evaluationPeriod = Option<Int>(
        "--eval-every", valueName: "N", default: 50,
        help: "Steps between evaluations of the held-out loss.",
        parser: TrainingValues.positiveInteger)
    let test = Flag("--test", help: "Also evaluate the test split at every evaluation.")
    let from = Option<URL?>(
        "--from", valueName: "CKPT", help: "Start every point from this checkpoint's weights.")
    let shard = Option<String?>(
        "--shard", valueName: "I/N", help: "Run only every N-th point, starting at the I-th.")
    let inputs = ModelDataOptions()
    let optimizer = OptimizerOptions()
    let schedule = Option<String>(
        "--schedule", valueName: "SPEC", default: "onecycle:max=0.1",
        help: "Learning-rate and momentum schedule, as for 'basin train'.")
    let evaluationBatchSize = Option<Int>(
        "--eval-batch-size", valueName: "N", default: 1000,
        help: "Images per evaluation batch.", parser: TrainingValues.positiveInteger)
    let maxLoss = Option<Double?>(
        "--max-loss", valueName: "NATS",
        help: "Stop a point as diverged when a batch loss exceeds this (default 20·ln K).",
        parser: TrainingValues.positiveNumber)
    let output = Option<URL?>(
        "--out", valueName: "DIR", help: "Folder of the sweep (default: sweeps/MODEL-DATA-ID).")

    func run(_ context: CommandContext) throws {
        applyThreadCount(context[inputs.threads])
        let grid: SweepGrid
        let parsedBudget: SweepBudget
        do {
            grid = try SweepGrid(parsing: context[vary])
            parsedBudget = try SweepBudget(parsing: context[budget])
        } catch {
            throw UsageError.conflict(error.description)
        }
        let (shardIndex, shardCount) = try parseShard(context[shard])
        let data = try PreparedData.load(
            context[inputs.data], validationCount: try validationCount(context),
            seed: context[inputs.seed])
        let plan = try SweepPlan(
            grid: grid, budget: parsedBudget, data: data, context: context, command: self)
        let folder =
            context[output]
            ?? URL(fileURLWithPath: "sweeps").appendingPathComponent(
                "\(context[inputs.model].rawValue)-\(data.shortName)-"
                    + plan.manifest.identity.prefix(8))
        let sweepFolder = try SweepFolder.open(folder, manifest: plan.manifest)

        let points = grid.points(shard: shardIndex, of: shardCount)
        var ranCount = 0
        for point in points {
            if sweepFolder.hasResult(for: point) {
                context.progress.note("\(point.name): finished earlier, skipped")
                continue
            }
            context.progress.note("\(point.name): training")
            let result = try plan.run(point)
            try sweepFolder.write(result)
            ranCount += 1
            let last = result.curve.losses.last ?? .nan
            context.progress.note(
                "\(point.name): \(result.curve.iterations.last ?? 0) steps in "
                    + "\(shortNumber(result.curve.trainingSeconds)) s, validation loss "
                    + shortNumber(last))
        }
        let results = try sweepFolder.readResults()
        try SweepReportWriter(
            manifest: plan.manifest, results: results, commandLine: context.commandLine
        ).write(to: folder)
        context.standardOutput.write(
            "ran \(ranCount) of \(points.count) points of shard \(shardIndex)/\(shardCount) "
                + "(\(grid.points.count) in the sweep); \(results.count) finished in "
                + "\(folder.relativePath)\n")
    }

    /// `--val`, or a tenth of the training split when it is 0.
    private func validationCount(_ context: CommandContext) throws -> Int {
        let given = context[inputs.validation]
        if given > 0 { return given }
        let specification = try DatasetSpecification(parsing: context[inputs.data])
        return max(1, try specification.load().train.count / 10)
    }

    private func parseShard(_ text: String?) throws -> (Int, Int) {
        guard let text else { return (1, 1) }
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
            count >= 1, (1...count).contains(index)
        else {
            throw UsageError.invalidValue(
                option: "--shard", expected: "I/N with 1 ≤ I ≤ N, such as 2/4", found: text,
                reason: nil)
        }
        return (index, count)
    }
}

extension CommandContext {
    /// The command line as typed, for provenance.
    var commandLine: String { (["basin"] + arguments).joined(separator: " ") }
}
