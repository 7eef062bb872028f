import BasinAnalysis
import BasinCheckpoint
import BasinKernels
import BasinReport
import Foundation

/// `basin interpolate A B`: the loss and error along the straight line between two
/// checkpoints, with BatchNorm handled in up to three ways, and the barrier heights.
struct InterpolateCommand: Command {
    static let configuration = CommandConfiguration(
        name: "interpolate",
        abstract: "Evaluate the straight line between two checkpoints and its barriers.",
        discussion: """
            Evaluates θ(α) = (1 − α)·θ_A + α·θ_B over all trainable parameters on the test
            split and on a fixed, unaugmented subset of the training split, at the points
            of --alpha, refined by bisection around the largest loss inside [0, 1] until
            the spacing there is at most 1/80.

            BatchNorm (--bn): interp interpolates the running statistics and evaluates
            with them (extrapolated variances that go negative are counted; such points
            are NaN); reset recomputes the running statistics of θ(α) on --bn-images
            fixed training images (cumulative average, no augmentation); batch normalises
            each fixed evaluation batch with its own statistics; all runs the three.

            Barriers, for loss and error, per split and mode (f the curve):
              B_mean = max f(α) − (f(0) + f(1))/2          (Frankle et al. 2020)
              B_lin  = max [f(α) − ((1 − α)f(0) + αf(1))]  (Entezari et al. 2022)
              B_max  = max f(α) − max(f(0), f(1))           (a bump above both ends)
            each a maximum over α in [0, 1], with the α where it occurs.

            Writes to --out: curves.csv, barriers.csv, layers.csv (per-tensor distances),
            analysis.json (all of it, with what A and B are), interpolation.svg and the
            report as report.md and report.html. Checks that A and B are
            the same model, that each reproduces the test metrics in its metadata, and
            says when they are identical.
            """,
        examples: [
            "basin interpolate checkpoints/run/cycle-002.safetensors "
                + "checkpoints/run/cycle-003.safetensors --bn all"
        ])

    let first = Argument<URL>("A", help: "The checkpoint at α = 0.")
    let second = Argument<URL>("B", help: "The checkpoint at α = 1.")
    let alpha = alphaGridOption(
        default: .standard, help: "The α grid before refinement.")
    let batchNorm = Option<BatchNormChoice>(
        "--bn", valueName: "MODE", default: .all,
        help: "BatchNorm statistics at each point: interp, reset, batch or all.",
        parser: .cases)
    let noRefine = Flag("--no-refine", help: "Evaluate the grid only, without bisection.")
    let data = AnalysisDataOptions()
    let output = Option<URL?>(
        "--out", valueName: "DIR",
        help: "Folder for the results (default: analyses/interpolate-A-B).")

    func run(_ context: CommandContext) throws {
        let urls = [context[first], context[second]]
        let inputs = try AnalysisInputs(urls: urls, options: data, context: context)
        context.progress.note(inputs.description)
        let (start, end) = (inputs.checkpoints[0], inputs.checkpoints[1])
        let interpolator = try Interpolator(
            start: start.model, end: end.model, evaluationSets: [inputs.test, inputs.train],
            statisticsImages: inputs.statisticsImages, startName: start.url.path,
            endName: end.url.path, concurrentPointCount: context[data.concurrentPoints])

        // The curves, one BatchNorm mode at a time.
        let grid = context[alpha]
        var curves: [InterpolationCurve] = []
        var elapsed: [String: Double] = [:]
        let modes = context[batchNorm].modes
        for mode in modes where interpolator.hasBatchNorm || mode == modes[0] {
            let task = context.progress.start(
                "interpolate, bn \(mode.rawValue)", total: 100, unit: "%")
            let began = monotonicSeconds()
            curves += interpolator.curves(mode: mode, grid: grid, refine: !context[noRefine]) {
                task.update(completed: Int(($0 * 100).rounded()))
            }
            elapsed[mode.rawValue] = monotonicSeconds() - began
            task.finish()
        }
        if !interpolator.hasBatchNorm && modes.count > 1 {
            // Without BatchNorm every mode is the same function of α: evaluate it once.
            let evaluated = curves
            for mode in modes.dropFirst() { curves += evaluated.map { $0.relabeled(as: mode) } }
            context.progress.note(
                "the model has no BatchNorm: the modes coincide, evaluated once as "
                    + modes[0].rawValue)
        }

        let report = InterpolationReport(
            start: inputs.summary(of: start), end: inputs.summary(of: end),
            identical: haveIdenticalState(start.model, end.model),
            distance: WeightDistance(
                start.model.parameters, end.model.parameters,
                slices: start.model.parameterLayout.map { ($0.name, $0.range) }),
            grid: grid.description, finestStep: context[noRefine] ? 0 : 1.0 / 80,
            data: inputs.record, curves: curves, elapsedSeconds: elapsed,
            concurrentPointCount: context[data.concurrentPoints],
            threadCount: Parallelism.threadCount)
        let folder =
            context[output]
            ?? URL(fileURLWithPath: "analyses/interpolate-\(start.name)-\(end.name)")
        try write(report, to: folder)
        let provenance = AnalysisReportWriter.provenance(
            context: context, data: inputs.record, model: start.model.architecture.rawValue,
            extra: [ReportField("BatchNorm modes", context[batchNorm].rawValue)])
        try AnalysisReportWriter.write(
            InterpolationReportBuilder.report(report, provenance: provenance), to: folder)
        printSummary(report, folder: folder, context: context)
    }

    private func write(_ report: InterpolationReport, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try InterpolationTables.curves(report.curves).write(
            to: folder.appendingPathComponent("curves.csv"))
        try InterpolationTables.barriers(report.curves).write(
            to: folder.appendingPathComponent("barriers.csv"))
        try InterpolationTables.layers(report.distance).write(
            to: folder.appendingPathComponent("layers.csv"))
        try JSONOutput.write(report, to: folder.appendingPathComponent("analysis.json"))
    }

    private func printSummary(_ report: InterpolationReport, folder: URL, context: CommandContext) {
        let out = context.standardOutput
        for (label, endpoint) in [("A", report.start), ("B", report.end)] {
            let results = endpoint.evaluation.map {
                "\($0.split) loss \(InterpolationTables.format($0.loss)) error "
                    + InterpolationTables.format($0.error)
            }
            out.writeLine(
                "\(label) \(endpoint.headline): \(results.joined(separator: ", ")); "
                    + "recorded metrics: \(endpoint.metricCheck.status.rawValue)")
        }
        let distance = report.distance
        out.writeLine(
            "‖θ_B − θ_A‖ = \(InterpolationTables.format(distance.distance)) (relative "
                + "\(InterpolationTables.format(distance.relativeDistance))), cosine "
                + InterpolationTables.format(distance.cosineSimilarity))
        for line in InterpolationTables.summaryLines(report.curves) { out.writeLine(line) }
        for warning in report.warnings { context.standardError.writeLine("warning: \(warning)") }
        out.writeLine(
            "wrote \(folder.path)/report.md, report.html, interpolation.svg, analysis.json, "
                + "curves.csv, barriers.csv, layers.csv")
    }
}
