import BasinCheckpoint
import BasinData
import BasinKernels
import BasinNetwork
import BasinReport
import BasinTraining
import Foundation

/// `basin lr-find`: the LR range test, in fastai's exponential form or Smith's linear one.
struct LRFindCommand: Command {
    static let configuration = CommandConfiguration(
        name: "lr-find",
        abstract: "Run an LR range test and suggest learning rates.",
        discussion: """
            Trains a fresh model for --iterations steps while the learning rate rises
            from --start to --end, then restores the weights.

            exponential (fastai, torch-lr-finder; defaults 1e-7 to 10 over 100 steps):
            the training loss is smoothed by a debiased moving average (--smoothing)
            and the test stops when it exceeds --stop-factor times its best value or
            is NaN. Suggestions: 'steepest' (fastest fall of the smoothed loss per unit
            of ln rate), 'valley' (middle of its longest decreasing run) and
            'minimum/10'.

            linear (Smith; defaults 0 to --end over --iterations): the held-out split
            (the validation split of --val, else the test split) is measured every
            --eval-every steps. Suggestions add Smith's bounds: the maximum where
            held-out accuracy stops rising or held-out loss starts rising, and the
            minimum at max/4 to max/3 for cyclical schedules or max/20 to max/10 for
            one cycle.

            Writes lr-find.csv (iteration, lr, loss, smoothed_loss), lr-find-heldout.csv
            (when measured), lr-find.json (settings, points, suggestions with how each
            was derived) and lr-find.svg into --out, and prints the suggestions.
            """,
        examples: [
            "basin lr-find --model mlp --data embedded",
            "basin lr-find --model cnn --data fashion-mnist --shape linear --end 1 "
                + "--iterations 2000 --eval-every 100",
        ])

    enum Shape: String, CaseIterable {
        case exponential, linear
    }

    let inputs = ModelDataOptions()
    let optimizer = OptimizerOptions()
    let shape = Option<Shape>(
        "--shape", valueName: "SHAPE", default: .exponential, help: "How the rate rises.",
        parser: .cases)
    let start = Option<Double?>(
        "--start", valueName: "RATE", help: "First rate (default 1e-7 exponential, 0 linear).",
        parser: TrainingValues.nonNegativeNumber)
    let end = Option<Double>(
        "--end", valueName: "RATE", default: 10, help: "Last rate.",
        parser: TrainingValues.positiveNumber)
    let iterations = Option<Int>(
        "--iterations", valueName: "K", default: 100, help: "Steps of the sweep.",
        parser: TrainingValues.positiveInteger)
    let momentum = Option<Double>(
        "--momentum", valueName: "μ", default: 0.9, help: "Constant momentum (β1 for AdamW).",
        parser: TrainingValues.nonNegativeNumber)
    let evaluateEvery = Option<Int?>(
        "--eval-every", valueName: "M",
        help: "Measure the held-out split every M steps (default: K/20 linear, never "
            + "exponential).", parser: TrainingValues.positiveInteger)
    let smoothing = Option<Double>(
        "--smoothing", valueName: "β", default: 0.98, help: "Moving-average factor of the loss.",
        parser: Double.argumentParser.checked("a number in [0, 1)") { $0 >= 0 && $0 < 1 })
    let stopFactor = Option<Double>(
        "--stop-factor", valueName: "X", default: 4,
        help: "Stop when the smoothed loss exceeds X times its best (0: never).",
        parser: Double.argumentParser.checked("0 or a number above 1") { $0 == 0 || $0 > 1 })
    let output = Option<URL?>(
        "--out", valueName: "PATH",
        help: "Output folder (default analyses/lr-find-MODEL-DATA-SHAPE-sSEED).")

    func run(_ context: CommandContext) throws {
        applyThreadCount(context[inputs.threads])
        let seed = context[inputs.seed]
        let data = try PreparedData.load(
            context[inputs.data], validationCount: context[inputs.validation], seed: seed)
        let model = data.makeModel(context[inputs.model], seed: seed)
        let batcher = try TrainingBatcher(
            split: data.dataset.train, batchSize: context[inputs.batchSize],
            normalization: data.normalization, augmentation: context[inputs.augmentation],
            generator: TrainingSeeds.batcher(seed: seed))
        let heldOutName: SplitName = data.dataset.validation == nil ? .test : .validation
        let heldOut = try data.dataset.evaluationBatches(
            heldOutName, batchSize: 1000, normalization: data.normalization)
        let configuration = try makeConfiguration(context)

        let task = context.progress.start(
            "lr-find", total: configuration.iterationCount, unit: "step")
        let result = runRangeTest(
            model: model, batcher: batcher, heldOut: heldOut, configuration: configuration
        ) { point in
            task.advance(
                detail: "lr \(shortNumber(point.learningRate)) loss "
                    + shortNumber(point.smoothedLoss))
        }
        task.finish(detail: result.stop.description)

        let folder =
            context[output]
            ?? URL(fileURLWithPath: "analyses").appendingPathComponent(
                "lr-find-\(context[inputs.model].rawValue)-\(data.shortName)-"
                    + "\(context[shape].rawValue)-s\(seed)")
        try write(result, configuration: configuration, heldOut: heldOutName, to: folder, context)
        context.standardOutput.write(summary(result, folder: folder))
    }

    private func makeConfiguration(_ context: CommandContext) throws -> RangeTestConfiguration {
        let isLinear = context[shape] == .linear
        let startRate = context[start] ?? (isLinear ? 0 : 1e-7)
        guard isLinear || startRate > 0 else {
            throw UsageError.invalidValue(
                option: "--start", expected: "a rate above 0 for an exponential sweep",
                found: "\(startRate)", reason: nil)
        }
        guard startRate < context[end] else {
            throw UsageError.conflict("--start \(startRate) must lie below --end \(context[end])")
        }
        let steps = context[iterations]
        let ramp = RangeTestRamp(
            shape: isLinear ? .linear : .exponential, startLearningRate: startRate,
            endLearningRate: context[end], rampIterations: steps, momentum: context[momentum])
        return RangeTestConfiguration(
            ramp: ramp, optimizer: optimizer.configuration(context),
            smoothingFactor: context[smoothing],
            stopFactor: context[stopFactor] == 0 ? nil : context[stopFactor],
            evaluationPeriodIterations: context[evaluateEvery]
                ?? (isLinear ? max(1, steps / 20) : nil))
    }

    /// The CSV files, the JSON record and the chart.
    private func write(
        _ result: RangeTestResult, configuration: RangeTestConfiguration, heldOut: SplitName,
        to folder: URL, _ context: CommandContext
    ) throws {
        var points = CSVTable(columns: ["iteration", "lr", "loss", "smoothed_loss"])
        for point in result.points {
            points.append([
                .integer(point.iteration), .number(point.learningRate), .number(point.loss),
                .number(point.smoothedLoss),
            ])
        }
        try points.write(to: folder.appendingPathComponent("lr-find.csv"))
        if !result.evaluations.isEmpty {
            var table = CSVTable(columns: ["iteration", "lr", "heldout_loss", "heldout_accuracy"])
            for evaluation in result.evaluations {
                table.append([
                    .integer(evaluation.iteration), .number(evaluation.learningRate),
                    .number(evaluation.loss), .number(evaluation.accuracy),
                ])
            }
            try table.write(to: folder.appendingPathComponent("lr-find-heldout.csv"))
        }
        let record = RangeTestRecord(
            toolVersion: BasinCommandLine.version,
            commandLine: (["basin"] + context.arguments)
                .joined(separator: " "),
            ramp: configuration.ramp.specification, smoothingFactor: configuration.smoothingFactor,
            stopFactor: configuration.stopFactor,
            evaluationPeriodIterations: configuration.evaluationPeriodIterations,
            heldOutSplit: heldOut.rawValue, stop: result.stop.description, points: result.points,
            heldOut: result.evaluations, suggestions: result.suggestions)
        try JSONOutput.write(record, to: folder.appendingPathComponent("lr-find.json"))
        try writeAtomically(
            chart(result, linear: configuration.ramp.shape == .linear).svg(),
            to: folder.appendingPathComponent("lr-find.svg"))
    }

    private func chart(_ result: RangeTestResult, linear: Bool) -> LineChart {
        let kept = linear ? result.points : result.points.filter { $0.learningRate > 0 }
        var chart = LineChart(
            title: "LR range test",
            xAxis: linear
                ? .linear(label: "learning rate")
                : .log(label: "learning rate"),
            yAxis: .linear(label: "training loss", range: lossRange(kept)),
            secondaryYAxis: result.evaluations.isEmpty ? nil : .linear(label: "held-out accuracy"))
        chart = chart.adding(
            series: "batch loss", x: kept.map(\.learningRate), y: kept.map(\.loss),
            lineStyle: .dotted)
        chart = chart.adding(
            series: "smoothed loss", x: kept.map(\.learningRate), y: kept.map(\.smoothedLoss))
        if !result.evaluations.isEmpty {
            let measured =
                linear ? result.evaluations : result.evaluations.filter { $0.learningRate > 0 }
            chart = chart.adding(
                series: "held-out accuracy", x: measured.map(\.learningRate),
                y: measured.map(\.accuracy), marker: .circle, axis: .secondary)
        }
        for suggestion in result.suggestions
        where ["steepest", "valley", "smith-max-accuracy"]
            .contains(suggestion.name) && suggestion.learningRate > 0
        {
            chart = chart.adding(
                ReferenceLine.vertical(at: suggestion.learningRate, label: suggestion.name))
        }
        return chart
    }

    /// From 0 to 1.5 times the first smoothed loss, so that the blow-up at the end does
    /// not flatten the part of the curve the suggestions come from.
    private func lossRange(_ points: [RangeTestPoint]) -> ClosedRange<Double>? {
        guard let first = points.first?.smoothedLoss, first.isFinite, first > 0 else {
            return nil
        }
        return 0...(1.5 * first)
    }

    private func summary(_ result: RangeTestResult, folder: URL) -> String {
        var lines = [
            "range test: \(result.points.count) steps, \(result.stop.description)"
        ]
        if result.suggestions.isEmpty {
            lines.append(
                "no suggestion: too few usable steps (the first tenth and last five "
                    + "are not used)")
        }
        for suggestion in result.suggestions {
            var rate = shortNumber(suggestion.learningRate)
            if let lower = suggestion.lowerLearningRate, let upper = suggestion.upperLearningRate {
                rate = "\(shortNumber(lower)) to \(shortNumber(upper))"
            }
            lines.append(
                suggestion.name.padding(toLength: 20, withPad: " ", startingAt: 0) + rate
                    + "  (" + suggestion.derivation + ")")
        }
        lines.append("wrote lr-find.csv, lr-find.json and lr-find.svg to \(folder.relativePath)")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `lr-find.json`.
struct RangeTestRecord: Encodable {
    var toolVersion: String
    var commandLine: String
    var ramp: String
    var smoothingFactor: Double
    var stopFactor: Double?
    var evaluationPeriodIterations: Int?
    var heldOutSplit: String
    var stop: String
    var points: [RangeTestPoint]
    var heldOut: [RangeTestEvaluation]
    var suggestions: [LearningRateSuggestion]

    enum CodingKeys: String, CodingKey {
        case toolVersion = "tool_version"
        case commandLine = "command_line"
        case ramp
        case smoothingFactor = "smoothing_factor"
        case stopFactor = "stop_factor"
        case evaluationPeriodIterations = "eval_every"
        case heldOutSplit = "heldout_split"
        case stop, points
        case heldOut = "heldout"
        case suggestions
    }
}
