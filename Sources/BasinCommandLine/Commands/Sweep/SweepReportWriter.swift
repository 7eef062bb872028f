import BasinAnalysis
import BasinCheckpoint
import BasinReport
import Foundation

/// Writes a sweep's tables, figures and report from its finished points.
struct SweepReportWriter {
    var manifest: SweepManifest
    var results: [SweepPointResult]
    var commandLine: String
    var rules = SweepSignalRules()

    /// The summaries, positions in iterations (in learning rate for a range test).
    var summaries: [SweepPointSummary] {
        results.map { $0.summary(rules: rules, againstLearningRate: manifest.isRangeTest) }
    }

    /// Writes curves.csv, summary.csv, report.md (with its figures) and report.html.
    func write(to folder: URL) throws {
        try curvesTable.write(to: folder.appendingPathComponent("curves.csv"))
        try summaryTable.write(to: folder.appendingPathComponent("summary.csv"))
        let report = makeReport()
        let markdown = report.markdown()
        try writeAtomically(markdown.text, to: folder.appendingPathComponent("report.md"))
        for file in markdown.files {
            try writeAtomically(file.contents, to: folder.appendingPathComponent(file.relativePath))
        }
        try writeAtomically(report.html(), to: folder.appendingPathComponent("report.html"))
    }

    /// point, iteration, learning_rate, val_loss, val_accuracy (and test_ columns).
    var curvesTable: CSVTable {
        let withTest = manifest.settings["test"] == "true"
        var table = CSVTable(
            columns: ["point", "iteration", "learning_rate", "val_loss", "val_accuracy"]
                + (withTest ? ["test_loss", "test_accuracy"] : []))
        for result in results {
            let curve = result.curve
            for index in curve.iterations.indices {
                var row: [CSVField] = [
                    .text(result.point.name), .integer(curve.iterations[index]),
                    .number(curve.learningRates[index]), .number(curve.losses[index]),
                    .number(curve.accuracies[index]),
                ]
                if withTest {
                    row += [
                        (curve.testLosses?[index]).map(CSVField.number) ?? .empty,
                        (curve.testAccuracies?[index]).map(CSVField.number) ?? .empty,
                    ]
                }
                table.append(row)
            }
        }
        return table
    }

    /// One row per point: its values, minimum, position of the minimum, final loss, flat
    /// width, signal, steps and training seconds.
    var summaryTable: CSVTable {
        let parameters = manifest.grid.axes.map(\.parameter)
        var table = CSVTable(
            columns: ["point"] + parameters.map(\.rawValue) + [
                "min_loss", manifest.isRangeTest ? "lr_at_min" : "iteration_at_min",
                "final_loss", "flat_width", "signal", "iterations", "training_seconds",
            ])
        for (result, summary) in zip(results, summaries) {
            table.append(
                [.text(summary.name)] + parameters.map { .number(summary.values[$0] ?? .nan) }
                    + [
                        .number(summary.minimumLoss), .number(summary.positionOfMinimum),
                        .number(summary.finalLoss), .number(summary.flatWidth),
                        .text(summary.signal.rawValue),
                        .integer(result.curve.iterations.last ?? 0),
                        .number(result.curve.trainingSeconds),
                    ])
        }
        return table
    }

    func makeReport() -> Report {
        let settings = manifest.settings
        var report = Report(
            title: "Sweep of "
                + manifest.grid.axes.map(\.parameter.rawValue).joined(separator: " × "),
            provenance: Provenance(
                toolVersion: BasinCommandLine.version, commandLine: commandLine,
                seed: settings["seed"] ?? "",
                dataSet: "\(manifest.dataset): \(manifest.trainingExampleCount) training images, "
                    + "\(settings["val"] ?? "?") held out for validation",
                model: settings["model"] ?? "", date: utcTimestamp(), machine: machineDescription(),
                extra: [
                    ReportField("Sweep identity", manifest.identity, isCode: true),
                    ReportField("Schedule", settings["schedule"] ?? "", isCode: true),
                    ReportField("Budget", manifest.budget.explanation),
                    ReportField("Start", settings["from"] ?? ""),
                ]))
        report = report.adding(summarySection())
        report = report.adding(figureSection())
        report = report.adding(
            ReportSection("Signals")
                .paragraph(
                    "Each curve is named by these rules (Smith 2018, §3), applied to the "
                        + "validation losses in order:"
                )
                .list(rules.explanation + ["a run stopped by the divergence guard is unstable"]))
        return report.adding(
            ReportSection("Files").links([
                ReportLink("summary.csv", description: "one row per point"),
                ReportLink("curves.csv", description: "every evaluation of every point"),
                ReportLink("points", description: "one JSON file per finished point"),
            ]))
    }

    private func summarySection() -> ReportSection {
        let summaries = summaries
        let ranking = SweepRanking(summaries, rules: rules)
        var section = ReportSection("Summary").paragraph(
            "\(results.count) of \(manifest.pointCount) points finished; budget: "
                + "\(manifest.budget.explanation); validation loss every "
                + "\(manifest.settings["eval_every"] ?? "?") steps.")
        if let best = ranking.best {
            var text = "Best point: \(best)"
            if let runnerUp = ranking.runnerUp, let margin = ranking.lossMargin {
                text +=
                    "; runner-up \(runnerUp), whose minimum loss is higher by "
                    + TextFormatting.number(margin) + " nats."
            }
            section = section.paragraph(text)
        }
        let missing = Set(0..<manifest.pointCount).subtracting(results.map(\.point.index))
        if !missing.isEmpty {
            section = section.caveat(
                "Missing points (not finished by any shard): "
                    + missing.sorted().map(String.init).joined(separator: ", ") + ".")
        }
        if manifest.grid.axes.contains(where: { $0.parameter == .momentum }) {
            section = section.caveat(
                "A varied momentum is constant for the whole run: it replaces the schedule's "
                    + "cyclical momentum.")
        }
        let position = manifest.isRangeTest ? "lr at min" : "iteration at min"
        let rows = zip(results, summaries).map { result, summary in
            [
                summary.name, "\(result.curve.iterations.last ?? 0)",
                TextFormatting.number(summary.minimumLoss),
                TextFormatting.number(summary.positionOfMinimum),
                TextFormatting.number(summary.finalLoss), TextFormatting.number(summary.flatWidth),
                summary.signal.rawValue,
            ]
        }
        return section.table(
            ReportTable(
                caption: "Validation loss per point (nats), in point order.",
                columns: [
                    "point", "steps", "min loss", position, "final loss", "flat width", "signal",
                ],
                rows: rows))
    }

    private func figureSection() -> ReportSection {
        var byIteration = LineChart(
            title: "Validation loss against iteration", xAxis: .linear(label: "iteration"),
            yAxis: .linear(label: "validation loss (nats)"))
        var byRate = LineChart(
            title: "Validation loss against learning rate",
            xAxis: .log(label: "learning rate"), yAxis: .linear(label: "validation loss (nats)"))
        for result in results {
            let curve = result.curve
            let finite = curve.losses.indices.filter { curve.losses[$0].isFinite }
            byIteration = byIteration.adding(
                series: result.point.name, x: finite.map { Double(curve.iterations[$0]) },
                y: finite.map { curve.losses[$0] }, marker: finite.count < 30 ? .circle : .none)
            let positive = finite.filter { curve.learningRates[$0] > 0 }
            byRate = byRate.adding(
                series: result.point.name, x: positive.map { curve.learningRates[$0] },
                y: positive.map { curve.losses[$0] })
        }
        var section = ReportSection("Curves").figure(
            byIteration, fileName: "loss-by-iteration.svg",
            caption: "Held-out loss of every point, one line per point.")
        if manifest.isRangeTest {
            section = section.figure(
                byRate, fileName: "loss-by-learning-rate.svg",
                caption: "Held-out loss against the learning rate of the range test.")
        }
        return section
    }
}
