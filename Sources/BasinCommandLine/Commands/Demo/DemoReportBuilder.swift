import BasinAnalysis
import BasinCheckpoint
import BasinReport
import Foundation

/// Ties the demo's analyses into one report that opens with the summary.
struct DemoReportBuilder {
    var plan: DemoPlan
    var results: DemoResults
    var log: DemoLog
    var schedule: String
    var commandLine: String

    var findings: DemoFindings { results.findings }

    func report() -> Report {
        var report = Report(
            title: "Basin demo: do the cycles find different minima?", provenance: provenance
        )
        .adding(
            ReportSection("Summary").paragraph(
                DemoSummary.sentences(findings).joined(separator: " "))
        )
        .adding(runSection)
        .adding(rangeTestSection)
        .adding(trainingSection)
        .adding(interpolationSection)
        let barrierReport = BarrierReportBuilder.report(results.barriers, provenance: provenance)
        for section in barrierReport.sections where section.title != "Files" {
            report = report.adding(Self.prefixed(section, by: "barriers-", folder: "barriers"))
        }
        return report.adding(curvatureSection).adding(filesSection)
    }

    private var provenance: Provenance {
        Provenance(
            toolVersion: "basin \(BasinCommandLine.version)", commandLine: commandLine,
            seed: String(plan.settings.seed),
            dataSet:
                "embedded Fashion-MNIST subset (\(results.manifest.dataset.trainingExampleCount) "
                + "training, \(results.manifest.dataset.testExampleCount) test images)",
            model: "cnn (\(results.trajectory.parameterCount) parameters)",
            date: utcTimestamp(), machine: machineDescription(),
            extra: [])
    }

    /// The steps with their command lines and wall times.
    private var runSection: ReportSection {
        let rows = log.steps.map { step in
            [
                step.title, String(format: "%.1f", step.seconds),
                step.status == 0 ? "ok" : "failed (\(step.status))", step.commandLine,
            ]
        }
        var section = ReportSection("What was run")
            .paragraph(
                "Each step is a basin subcommand; run it by hand to repeat or vary it. "
                    + "The whole demo took \(Int(log.totalSeconds.rounded())) s."
            )
            .table(
                ReportTable(
                    caption: "Steps, wall time in seconds, and command lines.",
                    columns: ["step", "seconds", "status", "command"], rows: rows))
        for note in log.notes { section = section.caveat(note) }
        return section
    }

    private var rangeTestSection: ReportSection {
        let points = results.rangeTest.points.filter { $0.learningRate > 0 }
        let maximum = results.rangeTest.maximumLearningRate
        let chart = LineChart(
            title: "LR range test of cnn", xAxis: .log(label: "learning rate"),
            yAxis: .linear(label: "training loss")
        )
        .adding(
            series: "batch loss", x: points.map(\.learningRate), y: points.map(\.loss),
            color: "#BBBBBB"
        )
        .adding(series: "smoothed", x: points.map(\.learningRate), y: points.map(\.smoothedLoss))
        .adding([
            .vertical(at: maximum, label: "max"), .vertical(at: maximum / 4, label: "base"),
        ])
        let suggestions = results.rangeTest.suggestions.map {
            "\($0.name): \(DemoSummary.format($0.learningRate)) — \($0.derivation)"
        }
        return ReportSection("LR range test")
            .paragraph(
                "The exponential sweep's smoothed loss is lowest at η = \(DemoSummary.format(maximum)); "
                    + "following Smith, that is the cyclical maximum and a quarter of it the base. "
                    + "Schedule used: `\(schedule)`."
            )
            .figure(
                chart, fileName: "lr-find.svg",
                caption: "Training loss against a logarithmic rate; the bounds taken are marked."
            )
            .list(suggestions)
    }

    private var trainingSection: ReportSection {
        let evaluations = results.metrics.filter { $0["kind"] == "evaluation" }
        let chart = TrainingCurves.chart(metrics: results.metrics, manifest: results.manifest)
        let rows = evaluations.map { row in
            ["iteration", "epoch"].map { row[$0] ?? "" }
                + ["train_loss", "test_loss", "test_accuracy"].map { key in
                    row[key].flatMap(Double.init).map { TextFormatting.number($0) } ?? row[key]
                        ?? ""
                }
        }
        return ReportSection("Training")
            .paragraph(
                "cnn trained with SGD (momentum \(plan.settings.momentum), weight decay "
                    + "\(plan.settings.weightDecay)) for \(plan.settings.cycleCount) triangular cycles; "
                    + "a checkpoint at every cycle end (marked) and a snapshot every \(plan.settings.snapshotEvery)."
            )
            .figure(
                chart, fileName: "training.svg",
                caption: "Loss with the learning rate (right) and accuracy; cycle ends marked."
            )
            .table(
                ReportTable(
                    caption: "Evaluations with running statistics.",
                    columns: ["iteration", "epoch", "train loss", "test loss", "test accuracy"],
                    rows: rows))
    }

    private var interpolationSection: ReportSection {
        var section = ReportSection("Interpolation between checkpoints")
            .paragraph(
                "θ(α) = (1 − α)·θ_A + α·θ_B on \(plan.settings.testImages) test and "
                    + "\(plan.settings.trainImages) training images, with the BatchNorm statistics "
                    + "interpolated (interp), recomputed on \(plan.settings.statisticsImages) training "
                    + "images (reset) or taken from each batch (batch).")
        for (pair, report) in results.interpolations {
            let kind =
                pair.isBranch
                ? "two checkpoints on the last descending branch" : "consecutive cycle ends"
            section =
                section
                .figure(
                    InterpolationReportBuilder.figure(report.curves),
                    fileName: "interpolate-\(pair.label).svg",
                    caption: "\(pair.start) → \(pair.end): \(kind)."
                )
                .table(
                    InterpolationReportBuilder.barrierTable(
                        report.curves.filter { $0.split == "test" }))
        }
        return section
    }

    private var curvatureSection: ReportSection {
        let record = results.trajectory
        let chart = TrajectoryAnalysis.trajectoryChart(record)
        let rows = record.points.map { point -> [String] in
            let rate = point.learningRate ?? .nan
            return [
                String(point.iteration), DemoSummary.format(rate),
                DemoSummary.format(point.topEigenvalue.eigenvalue),
                DemoSummary.format(2 / rate),
                DemoSummary.format(point.topEigenvalue.eigenvalue * rate / 2),
            ]
        }
        return ReportSection("Curvature along the run")
            .paragraph(
                "The largest Hessian eigenvalue at every \(plan.settings.curvatureEvery)th checkpoint, "
                    + "by Lanczos (at most \(plan.settings.curvatureIterations) products) on "
                    + "\(plan.settings.curvatureSamples) training images with batch statistics, the "
                    + "loss the training steps descend, against the stability bounds 2/η and "
                    + "(2 + 2μ)/η of the rate in force."
            )
            .figure(
                chart, fileName: "curvature.svg",
                caption: "λ_max against 2/η and (2 + 2μ)/η; the learning rate on the right."
            )
            .table(
                ReportTable(
                    caption: "λ_max·η/2 is 1 at the bound of plain gradient descent.",
                    columns: ["iteration", "η", "λ_max", "2/η", "λ_max·η/2"], rows: rows))
    }

    private var filesSection: ReportSection {
        var links = [
            ReportLink("demo.json", description: "the numbers the summary was written from"),
            ReportLink("lr-find/lr-find.json", description: "the range test"),
        ]
        for (pair, _) in results.interpolations {
            links.append(
                ReportLink(
                    "interpolate-\(pair.label)/report.html",
                    description: "interpolation \(pair.label)"))
        }
        links += [
            ReportLink("barriers/report.html", description: "the barrier matrix"),
            ReportLink("trajectory/report.html", description: "curvature along the run"),
        ]
        return ReportSection("Files").links(links)
    }

    /// A section of a sub-report with its figure names prefixed and its links pointing
    /// into the sub-report's folder.
    static func prefixed(_ section: ReportSection, by prefix: String, folder: String)
        -> ReportSection
    {
        var copy = ReportSection(section.title)
        for block in section.blocks {
            switch block {
            case .figure(var figure):
                figure.fileName = prefix + figure.fileName
                copy = copy.adding(.figure(figure))
            case .links(let links):
                copy = copy.adding(
                    .links(
                        links.map { link in
                            var moved = link
                            moved.path = "\(folder)/\(link.path)"
                            return moved
                        }))
            default:
                copy = copy.adding(block)
            }
        }
        return copy
    }
}
