import BasinAnalysis
import BasinCheckpoint
import BasinReport
import BasinTraining
import Foundation

/// `basin demo`: the whole laboratory on the embedded data, ending in one report.
struct DemoCommand: Command {
    static let configuration = CommandConfiguration(
        name: "demo",
        abstract: "Train cnn with a cyclical rate and analyse its cycles, in one report.",
        discussion: """
            Runs, on the embedded Fashion-MNIST subset and with the same code as the \
            subcommands: an LR range test of cnn; a triangular CLR run with bounds taken \
            from it (maximum at the smallest smoothed loss, minimum a quarter of it), four \
            cycles of one epoch, SGD with momentum 0.9, a checkpoint at every cycle end and \
            snapshots on every branch; interpolation between consecutive cycle ends and \
            between two checkpoints on the last descending branch, in every BatchNorm mode; \
            the barrier matrix over the cycle ends; and the top Hessian eigenvalue along the \
            run against 2/η. If training diverges, the bounds are halved and the run \
            repeated (at most three times).

            The run goes to checkpoints/demo; the analyses and report.md and report.html, \
            which open with a summary written from the measured numbers, to analyses/demo.
            """,
        examples: ["basin demo", "basin demo --seed 2 --out analyses/demo-seed2"])

    let out = Option<String>(
        "--out", valueName: "DIR", default: "analyses/demo",
        help: "Folder of the analyses and the report.")
    let runFolder = Option<String>(
        "--run", valueName: "DIR", default: "checkpoints/demo",
        help: "Folder of the training run (replaced).")
    let seed = Option<UInt64>(
        "--seed", valueName: "N", default: 1, help: "Seed of every step.")
    let threads = Option<Int?>(
        "--threads", valueName: "N", help: "Threads to use (default: every core).")

    func run(_ context: CommandContext) throws {
        var settings = DemoSettings()
        settings.seed = context[seed]
        settings.threads = context[threads]
        let plan = DemoPlan(
            settings: settings, output: URL(fileURLWithPath: context[out]),
            run: URL(fileURLWithPath: context[runFolder]))
        var log = DemoLog()
        let began = monotonicSeconds()

        // 1. The range test, and the bounds it suggests.
        try step("LR range test", plan.lrFind, context, &log)
        let rangeTest = try DemoRangeTest(folder: plan.lrFindFolder)
        var maximum = rangeTest.maximumLearningRate
        var base = maximum / 4

        // 2. Training, halving the bounds after a divergence.
        var attempts = 0
        while true {
            attempts += 1
            let status = try step(
                "training, CLR \(DemoSummary.format(base))–\(DemoSummary.format(maximum))",
                plan.train(base: base, maximum: maximum), context, &log,
                allowFailure: attempts < 3)
            if status == 0 { break }
            log.notes.append(
                "Training with maximum rate \(maximum) diverged; the bounds were halved.")
            maximum /= 2
            base /= 2
        }

        // 3. Interpolations, the barrier matrix and the curvature along the run.
        let manifest = try RunManifest(
            contentsOf: plan.run.appendingPathComponent(RunManifest.fileName))
        let pairs = try DemoPlan.pairs(in: manifest)
        for pair in pairs {
            try step("interpolation \(pair.label)", plan.interpolate(pair), context, &log)
        }
        try step("barrier matrix", plan.barriers, context, &log)
        try step("curvature along the run", plan.trajectory, context, &log)

        // 4. The report.
        let results = try DemoResults(plan: plan, pairs: pairs, rangeTest: rangeTest)
        log.totalSeconds = monotonicSeconds() - began
        let builder = DemoReportBuilder(
            plan: plan, results: results, log: log,
            schedule: plan.schedule(base: base, maximum: maximum),
            commandLine: (["basin"] + context.arguments).joined(separator: " "))
        try AnalysisReportWriter.write(builder.report(), to: plan.output)
        try JSONOutput.write(builder.findings, to: plan.output.appendingPathComponent("demo.json"))

        context.standardOutput.writeLine(
            DemoSummary.sentences(builder.findings).joined(separator: "\n"))
        context.standardOutput.writeLine(
            "\nreport: \(plan.output.appendingPathComponent("report.html").path) "
                + "(\(Int(log.totalSeconds.rounded())) s)")
    }

    /// Runs one subcommand in this process; its progress goes to standard error, its
    /// standard output is kept for the log.
    @discardableResult
    private func step(
        _ title: String, _ words: [String], _ context: CommandContext, _ log: inout DemoLog,
        allowFailure: Bool = false
    ) throws -> Int32 {
        context.progress.note("demo: \(title)")
        let output = TextWriter.capturing(isTerminal: false)
        let began = monotonicSeconds()
        let status = BasinCommandLine.main(
            ["basin"] + words + (context.isQuiet ? ["--quiet"] : []), program: context.program,
            standardOutput: output, standardError: context.standardError)
        log.steps.append(
            DemoLog.Step(
                title: title, commandLine: (["basin"] + words).joined(separator: " "),
                seconds: monotonicSeconds() - began, status: status))
        if status != 0 && !allowFailure {
            throw DemoError.stepFailed(command: words[0], status: status)
        }
        return status
    }
}

/// What the demo ran, how long each step took, and what it had to change.
struct DemoLog {
    struct Step {
        var title: String
        var commandLine: String
        var seconds: Double
        var status: Int32
    }

    var steps: [Step] = []
    var notes: [String] = []
    var totalSeconds = 0.0
}
