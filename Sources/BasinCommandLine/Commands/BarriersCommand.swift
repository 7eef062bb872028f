import BasinAnalysis
import BasinCheckpoint
import BasinReport
import Foundation

/// `basin barriers RUN`: barriers, distances, disagreement and snapshot ensembles over
/// all cycle-end checkpoints of a run.
struct BarriersCommand: Command {
    static let configuration = CommandConfiguration(
        name: "barriers",
        abstract: "Compare every pair of a run's cycle ends: barriers, distances, ensembles.",
        discussion: """
            Takes a run folder (its cycle-NNN.safetensors checkpoints, in cycle order) or
            a list of checkpoint files. For every pair: the barrier on the straight line
            between them on the test split and a fixed training subset (B_mean, B_lin
            and B_max of loss and error, as in 'basin help interpolate'), the weight
            distance and cosine, and the disagreement of their test predictions (the
            fraction of labels that differ, also divided by the pair's mean error: near 1
            or above, they err on different examples). Then the snapshot ensemble of the
            first k checkpoints (averaged softmax) for every k.

            Barriers large against the ends' losses, disagreement near the error and
            ensembles that gain with k say the cycles found different minima; barriers
            near zero and little disagreement say they stayed in one basin.

            Writes to --out: pairs.csv, ensembles.csv, checkpoints.csv, analysis.json,
            heat maps (SVG) and the report as report.md and report.html.
            """,
        examples: [
            "basin barriers checkpoints/run",
            "basin barriers a.safetensors b.safetensors c.safetensors --bn interp",
        ])

    let inputs = VariadicArgument<URL>(
        "RUN", help: "A run folder, or two or more checkpoint files.")
    let alpha = alphaGridOption(
        default: AlphaGrid(start: 0, end: 1, count: 11),
        help: "The α grid of every pair, refined around its maximum.")
    let batchNorm = Option<BatchNormChoice>(
        "--bn", valueName: "MODE", default: .reset,
        help: "BatchNorm statistics along each line: interp, reset or batch.", parser: .cases)
    let data = AnalysisDataOptions()
    let output = Option<URL?>(
        "--out", valueName: "DIR", help: "Folder for the results (default: analyses/barriers-RUN).")

    func run(_ context: CommandContext) throws {
        let files = try checkpointFiles(context[inputs])
        guard context[batchNorm] != .all else {
            throw UsageError.invalidValue(
                option: "--bn", expected: "one of interp, reset, batch", found: "all",
                reason: "barriers compares pairs in one mode; run it once per mode")
        }
        let prepared = try AnalysisInputs(urls: files, options: data, context: context)
        context.progress.note(prepared.description)
        let names = prepared.checkpoints.map(\.name)
        let summaries = prepared.checkpoints.map(prepared.summary(of:))

        let task = context.progress.start(
            "barriers", total: files.count * (files.count - 1) / 2, unit: "pair")
        let began = monotonicSeconds()
        var done = 0
        let matrix = try BarrierMatrix(
            models: prepared.checkpoints.map(\.model), names: names, test: prepared.test,
            train: prepared.train, statisticsImages: prepared.statisticsImages,
            mode: context[batchNorm].modes[0], grid: context[alpha],
            concurrentPointCount: context[data.concurrentPoints]
        ) { first, second, _ in
            task.update(completed: done, detail: "\(names[first]) – \(names[second])")
            done += 1
        }
        task.finish()
        let report = BarrierReport(
            checkpoints: summaries, matrix: matrix, grid: context[alpha].description,
            data: prepared.record, elapsedSeconds: monotonicSeconds() - began)

        let folder = context[output] ?? URL(fileURLWithPath: "analyses/barriers-\(runName(files))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try BarrierTables.pairs(matrix).write(to: folder.appendingPathComponent("pairs.csv"))
        try BarrierTables.ensembles(matrix).write(
            to: folder.appendingPathComponent("ensembles.csv"))
        try BarrierTables.checkpoints(summaries).write(
            to: folder.appendingPathComponent("checkpoints.csv"))
        try JSONOutput.write(report, to: folder.appendingPathComponent("analysis.json"))
        let provenance = AnalysisReportWriter.provenance(
            context: context, data: prepared.record,
            model: prepared.checkpoints[0].model.architecture.rawValue,
            extra: [ReportField("BatchNorm mode", context[batchNorm].rawValue)])
        try AnalysisReportWriter.write(
            BarrierReportBuilder.report(report, provenance: provenance), to: folder)
        for line in BarrierTables.summaryLines(report) { context.standardOutput.writeLine(line) }
        for warning in report.warnings { context.standardError.writeLine("warning: \(warning)") }
        context.standardOutput.writeLine(
            "wrote \(folder.path)/report.md, report.html, analysis.json, pairs.csv, "
                + "ensembles.csv, checkpoints.csv and heat maps")
    }

    /// The cycle checkpoints of a run folder, or the files as given.
    private func checkpointFiles(_ urls: [URL]) throws -> [URL] {
        var isFolder: ObjCBool = false
        if urls.count == 1,
            FileManager.default.fileExists(atPath: urls[0].path, isDirectory: &isFolder),
            isFolder.boolValue
        {
            let files = try cycleCheckpointFiles(in: urls[0]).map(\.url)
            guard files.count >= 2 else {
                throw AnalysisError.unusableInput(
                    "\(urls[0].path) holds \(files.count) cycle checkpoint(s) "
                        + "(cycle-NNN.safetensors); barriers need at least two")
            }
            return files
        }
        guard urls.count >= 2 else {
            throw UsageError.invalidValue(
                option: "RUN", expected: "a run folder or at least two checkpoint files",
                found: urls[0].path, reason: nil)
        }
        return urls
    }

    /// The run folder's name, or the first file's folder.
    private func runName(_ files: [URL]) -> String {
        files[0].deletingLastPathComponent().standardizedFileURL.lastPathComponent
    }
}
