import BasinAnalysis
import BasinKernels
import Foundation

/// `basin trajectory RUN`: the top eigenvalue and the trace at every checkpoint of a run
/// against the stability thresholds of the learning rate in force, and Smith's secant
/// estimate of the optimal learning rate three ways.
struct TrajectoryCommand: Command {
    static let configuration = CommandConfiguration(
        name: "trajectory",
        abstract: "Curvature along a run against 2/eta, and Smith's secant learning rate.",
        discussion: """
            Reads every checkpoint of RUN (the files run.json lists, else every
            .safetensors file) in iteration order. At each (or every --every-th) it
            finds the largest Hessian eigenvalue by Lanczos and the trace by
            Hutchinson's estimator, on one fixed training sample (options as in 'basin
            curvature'), and compares lambda_max with 2/eta(t) and (2 + 2 mu(t))/eta(t)
            for the learning rate and momentum recorded with the checkpoint.

            From consecutive checkpoints it computes the secant estimate of the optimal
            learning rate three ways:
              smith     exactly as Smith and Topin's scripts: eta |d1|_1 / |d1 - d2|_1
                        over all weights and BatchNorm buffers, and its moving average
                        (alpha 0.1, starting at 0.1);
              momentum  corrected for SGD momentum from four consecutive snapshots
                        (needs checkpoints one iteration apart: --save-every 1);
              hvp       1 / (s.Hs / s.s) for the step s between two checkpoints, from an
                        exact Hessian-vector product on the fixed sample.

            Writes trajectory.csv, secant.csv, figures and a report to --out (default
            analyses/trajectory-RUN).
            """,
        examples: [
            "basin trajectory checkpoints/run1",
            "basin trajectory checkpoints/run1 --every 5 --samples 512",
        ])

    let runFolder = Argument<URL>("RUN", help: "The run folder.")
    let sample = HessianSampleOptions()
    let passMemory = passMemoryOption()
    let every = Option<Int>(
        "--every", valueName: "N", default: 1,
        help: "Analyse the curvature at every N-th checkpoint (secants use all).",
        parser: positiveCount)
    let maxIterations = Option<Int>(
        "--max-iterations", valueName: "N", default: 100,
        help: "Lanczos products per checkpoint.", parser: positiveCount)
    let tolerance = Option<Double>(
        "--tolerance", valueName: "X", default: 1e-3,
        help: "Stop Lanczos when the estimated relative error of lambda_max is below X.",
        parser: positiveNumber)
    let traceProbes = Option<Int>(
        "--trace-probes", valueName: "N", default: 30,
        help: "Most Rademacher probes of the trace per checkpoint (at least 2).",
        parser: positiveCount)
    let traceTolerance = Option<Double>(
        "--trace-tolerance", valueName: "X", default: 5e-2,
        help: "Stop the trace when its standard error is below X times it.",
        parser: positiveNumber)
    let output = Option<URL?>(
        "--out", valueName: "PATH", help: "Output folder (default analyses/trajectory-RUN).")

    func run(_ context: CommandContext) throws {
        if let threads = context[sample.threads] { Parallelism.threadCount = threads }
        guard context[traceProbes] >= 2 else {
            throw UsageError.invalidValue(
                option: "--trace-probes", expected: "an integer ≥ 2",
                found: "\(context[traceProbes])", reason: "a standard error needs two probes")
        }
        let folder = context[runFolder]
        let entries = try trajectoryEntries(in: folder)
        let settings = TrajectorySettings(
            eigenvalues: ExtremeEigenvalueRequest(
                method: .lanczos, count: 1, maxIterationCount: context[maxIterations],
                relativeTolerance: context[tolerance]),
            trace: HutchinsonOptions(
                maxProbeCount: context[traceProbes],
                minProbeCount: min(10, context[traceProbes]),
                relativeStandardErrorTolerance: context[traceTolerance]),
            every: context[every], seed: context[sample.seed])
        var analysis = TrajectoryAnalysis(
            runFolder: folder, entries: entries, settings: settings, context: context)
        try analysis.compute(
            sampleOptions: sample, retainedPassByteLimit: bytes(mebibytes: context[passMemory]))

        let name = folder.standardizedFileURL.lastPathComponent
        let outputFolder =
            context[output]
            ?? URL(fileURLWithPath: "analyses", isDirectory: true)
            .appendingPathComponent("trajectory-\(name)", isDirectory: true)
        let written = try analysis.write(to: outputFolder)
        context.standardOutput.write(analysis.summaryLines().joined(separator: "\n") + "\n")
        context.standardOutput.write(
            "wrote \(written.count) files to \(outputFolder.relativePath)\n")
    }
}
