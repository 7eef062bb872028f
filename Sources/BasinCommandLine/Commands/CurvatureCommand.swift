import BasinAnalysis
import BasinKernels
import BasinNetwork
import Foundation

/// `basin curvature CHECKPOINT`: extreme eigenvalues, trace and spectral density of the
/// loss Hessian on a fixed training sample, with convergence diagnostics and the
/// stability thresholds of the checkpoint's learning rate.
struct CurvatureCommand: Command {
    static let configuration = CommandConfiguration(
        name: "curvature",
        abstract: "Eigenvalues, trace and spectral density of the loss Hessian at a checkpoint.",
        discussion: """
            Takes the Hessian of the mean training loss on a fixed, unaugmented sample
            of --samples training images through exact Hessian-vector products, one
            batch at a time (each product is the size-weighted mean of the batches'
            products). In --bn running mode the statistics are the stored ones and the
            operator is the Hessian of the whole sample; in --bn batch mode every batch
            uses its own statistics.

            The --top largest eigenvalues come from Lanczos with full
            reorthogonalisation (the default) or power iteration with deflation
            (--method); --smallest adds the most negative one. Lanczos stops when
            each wanted Ritz value's estimated relative error, min(r, r^2/gap), and
            its change over the last step are below --tolerance; power iteration
            when the Rayleigh quotient changes by less (PyHessian's rule). --trace
            estimates tr(H) with Rademacher probes until its standard error falls
            below --trace-tolerance of it. --density runs stochastic Lanczos
            quadrature and smooths the Ritz values with a Gaussian kernel. Each
            number is written with its diagnostics: products spent, the residual
            |Hv - lambda v| / |lambda|, the standard error. The stability thresholds
            2/eta and (2 + 2 mu)/eta use the learning rate and momentum recorded in
            the checkpoint.

            --block NAME restricts everything to the diagonal block of one parameter
            tensor (fc3.weight, layer1.0.conv1.weight): the curvature when only that
            tensor moves.

            Writes analysis.json, CSV tables, SVG figures and report.md/report.html to
            --out (default analyses/curvature-NAME, NAME the checkpoint's file name).
            """,
        examples: [
            "basin curvature checkpoints/run1/final.safetensors --top 3 --trace",
            "basin curvature checkpoints/run1/cycle-002.safetensors --method lanczos "
                + "--density --bn batch",
        ])

    let checkpoint = Argument<URL>("CHECKPOINT", help: "The checkpoint to analyse.")
    let sample = HessianSampleOptions()
    let passMemory = passMemoryOption()
    let top = Option<Int>(
        "--top", valueName: "K", default: 1, help: "Number of largest eigenvalues.",
        parser: positiveCount)
    let method = Option<EigenvalueMethod>(
        "--method", valueName: "METHOD", default: .lanczos,
        help: "Eigenvalue method: lanczos or power (iteration with deflation).",
        parser: .cases)
    let maxIterations = Option<Int>(
        "--max-iterations", valueName: "N", default: 100,
        help: "Products allowed per eigenvalue (power) or in all (lanczos).",
        parser: positiveCount)
    let tolerance = Option<Double>(
        "--tolerance", valueName: "X", default: 1e-3,
        help: "Stop when the estimated relative error (lanczos) or the relative change "
            + "of the estimate (power) is below X.", parser: positiveNumber)
    let smallest = Flag("--smallest", help: "Also find the smallest (most negative) eigenvalue.")
    let trace = Flag("--trace", help: "Estimate the trace by Hutchinson's method.")
    let traceProbes = Option<Int>(
        "--trace-probes", valueName: "N", default: 100, help: "Most Rademacher probes.",
        parser: positiveCount)
    let traceMinimumProbes = Option<Int>(
        "--trace-min-probes", valueName: "N", default: 10,
        help: "Probes always taken before the stopping rule is tested (at least 2).",
        parser: positiveCount)
    let traceTolerance = Option<Double>(
        "--trace-tolerance", valueName: "X", default: 1e-2,
        help: "Stop when the standard error is below X times the estimate.",
        parser: positiveNumber)
    let density = Flag("--density", help: "Estimate the spectral density by SLQ.")
    let densitySteps = Option<Int>(
        "--density-steps", valueName: "N", default: 100, help: "Lanczos steps per probe.",
        parser: positiveCount)
    let densityProbes = Option<Int>(
        "--density-probes", valueName: "N", default: 1, help: "Independent Lanczos runs.",
        parser: positiveCount)
    let block = Option<String?>(
        "--block", valueName: "NAME",
        help: "Restrict to the Hessian block of one parameter tensor.")
    let output = Option<URL?>(
        "--out", valueName: "PATH", help: "Output folder (default analyses/curvature-NAME).")

    func run(_ context: CommandContext) throws {
        if let threads = context[sample.threads] { Parallelism.threadCount = threads }
        guard context[traceMinimumProbes] >= 2 else {
            throw UsageError.invalidValue(
                option: "--trace-min-probes", expected: "an integer ≥ 2",
                found: "\(context[traceMinimumProbes])",
                reason: "a standard error needs two probes")
        }
        guard context[traceProbes] >= context[traceMinimumProbes] else {
            throw UsageError.conflict(
                "--trace-probes \(context[traceProbes]) is below --trace-min-probes "
                    + "\(context[traceMinimumProbes])")
        }
        let loaded = try LoadedCheckpoint(contentsOf: context[checkpoint])
        var hessianSample = try HessianSample(
            for: loaded, options: sample, context: context)
        hessianSample.retainedPassByteLimit = bytes(mebibytes: context[passMemory])
        let parameterBlock = try selectedBlock(context, model: loaded.model)
        context.progress.note(
            "\(loaded.name): \(loaded.model.architecture.rawValue), "
                + "\(loaded.model.parameterCount) parameters; \(hessianSample.record.exampleCount) "
                + "training images in \(hessianSample.batches.count) batches, BatchNorm "
                + "\(hessianSample.mode.rawValue)")

        var analysis = CurvatureAnalysis(
            settings: settings(context), context: context, checkpoint: loaded,
            sample: hessianSample, block: parameterBlock)
        let full = hessianSample.hessian(of: loaded.model)
        if let parameterBlock {
            var restricted = BlockRestrictedOperator(full, block: parameterBlock)
            try analysis.compute(on: &restricted)
        } else {
            var whole = full
            try analysis.compute(on: &whole)
        }

        let folder =
            context[output]
            ?? URL(fileURLWithPath: "analyses", isDirectory: true)
            .appendingPathComponent("curvature-\(loaded.name)", isDirectory: true)
        let written = try analysis.write(to: folder)
        context.standardOutput.write(analysis.summaryLines().joined(separator: "\n") + "\n")
        context.standardOutput.write("wrote \(written.count) files to \(folder.relativePath)\n")
    }

    /// The options of the analysis, read from the command line.
    private func settings(_ context: CommandContext) -> CurvatureSettings {
        CurvatureSettings(
            eigenvalues: ExtremeEigenvalueRequest(
                method: context[method], count: context[top],
                includesSmallest: context[smallest],
                maxIterationCount: context[maxIterations],
                relativeTolerance: context[tolerance]),
            trace: context[trace]
                ? HutchinsonOptions(
                    maxProbeCount: context[traceProbes],
                    minProbeCount: context[traceMinimumProbes],
                    relativeStandardErrorTolerance: context[traceTolerance]) : nil,
            density: context[density]
                ? SpectralDensityOptions(
                    lanczosStepCount: context[densitySteps],
                    probeCount: context[densityProbes]) : nil,
            seed: context[sample.seed])
    }

    /// The parameter block of `--block`, or nil for the whole Hessian.
    private func selectedBlock(_ context: CommandContext, model: Model) throws
        -> ParameterBlock?
    {
        guard let name = context[block] else { return nil }
        guard let slice = model.parameterSlice(named: name) else {
            let names = model.parameterLayout.map(\.name)
            throw UsageError.invalidValue(
                option: "--block", expected: "a parameter tensor of the model", found: name,
                reason: "the model has " + names.prefix(12).joined(separator: ", ")
                    + (names.count > 12 ? ", …" : ""))
        }
        return ParameterBlock(name: slice.name, range: slice.range)
    }
}

/// A positive, finite `Double`.
let positiveNumber = Double.argumentParser.checked("a positive number", reason: "must be > 0") {
    $0 > 0
}
