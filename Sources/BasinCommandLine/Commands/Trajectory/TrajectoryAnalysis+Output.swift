import BasinAnalysis
import BasinCheckpoint
import BasinReport
import Foundation

extension TrajectoryAnalysis {
    /// Writes `analysis.json`, `trajectory.csv`, `secant.csv`, the figures and the report
    /// into `folder` and returns the names of the files written.
    func write(to folder: URL) throws -> [String] {
        guard let record else { return [] }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError.unwritableFile(
                path: folder.path, reason: (error as NSError).localizedDescription)
        }
        try JSONOutput.write(record, to: folder.appendingPathComponent("analysis.json"))
        try Self.pointTable(record.points).write(
            to: folder.appendingPathComponent("trajectory.csv"))
        try Self.secantTable(record.secants).write(to: folder.appendingPathComponent("secant.csv"))
        var written = ["analysis.json", "trajectory.csv", "secant.csv"]

        let report = makeReport(record)
        let markdown = report.markdown()
        try writeAtomically(markdown.text, to: folder.appendingPathComponent("report.md"))
        for file in markdown.files {
            try writeAtomically(file.contents, to: folder.appendingPathComponent(file.relativePath))
            written.append(file.relativePath)
        }
        try writeAtomically(report.html(), to: folder.appendingPathComponent("report.html"))
        return written + ["report.md", "report.html"]
    }

    /// One row per analysed checkpoint.
    static func pointTable(_ points: [TrajectoryPoint]) -> CSVTable {
        var table = CSVTable(columns: [
            "iteration", "file", "learning_rate", "momentum", "loss", "gradient_norm",
            "top_eigenvalue", "top_eigenvalue_iterations", "top_eigenvalue_relative_residual",
            "trace", "trace_standard_error", "trace_probes", "gd_threshold",
            "heavy_ball_threshold",
        ])
        for point in points {
            table.append([
                .integer(point.iteration), .text(point.file), optional(point.learningRate),
                optional(point.momentum), .number(point.loss), .number(point.gradientNorm),
                .number(point.topEigenvalue.eigenvalue),
                .integer(point.topEigenvalue.iterationCount),
                optional(point.topEigenvalue.relativeResidual), .number(point.trace),
                .number(point.traceStandardError), .integer(point.traceProbeCount),
                optional(point.gradientDescentThreshold), optional(point.heavyBallThreshold),
            ])
        }
        return table
    }

    /// One row per step between consecutive checkpoints.
    static func secantTable(_ secants: [SecantPoint]) -> CSVTable {
        var table = CSVTable(columns: [
            "iteration", "next_iteration", "learning_rate", "smith_estimate",
            "smith_moving_average", "smith_first_difference_l1", "smith_second_difference_l1",
            "momentum_curvature", "momentum_learning_rate", "momentum_l1_learning_rate",
            "hvp_curvature", "hvp_learning_rate",
        ])
        for secant in secants {
            table.append([
                .integer(secant.iteration), .integer(secant.nextIteration),
                optional(secant.learningRate), optional(secant.smith?.estimate),
                optional(secant.smith?.movingAverage),
                optional(secant.smith?.firstDifferenceL1),
                optional(secant.smith?.secondDifferenceL1),
                optional(secant.momentum?.curvatureAlongStep),
                optional(secant.momentum?.learningRateAlongStep),
                optional(secant.momentum?.l1LearningRate),
                optional(secant.hessianCurvature?.curvature),
                optional(secant.hessianCurvature?.inverseCurvature),
            ])
        }
        return table
    }

    private static func optional(_ value: Double?) -> CSVField {
        value.map(CSVField.number) ?? .empty
    }

    /// Lines for standard output.
    func summaryLines() -> [String] {
        guard let record else { return [] }
        var lines = [
            "\(record.points.count) checkpoints analysed, \(record.secants.count) steps, "
                + "\(displayNumber(record.elapsedSeconds)) s"
        ]
        for point in record.points {
            let ratio = point.gradientDescentThreshold.map {
                ", lambda_max / (2/eta) = " + displayNumber(point.topEigenvalue.eigenvalue / $0)
            }
            lines.append(
                "iteration \(point.iteration): lambda_max \(displayNumber(point.topEigenvalue.eigenvalue)), "
                    + "trace \(displayNumber(point.trace)) ± \(displayNumber(point.traceStandardError))"
                    + (ratio ?? ""))
        }
        return lines
    }

    private func makeReport(_ record: TrajectoryRecord) -> Report {
        let above = record.points.filter { point in
            point.gradientDescentThreshold.map { point.topEigenvalue.eigenvalue >= $0 } ?? false
        }
        let largestRatio = record.points.compactMap { point in
            point.gradientDescentThreshold.map { point.topEigenvalue.eigenvalue / $0 }
        }.max()
        var summary = ReportSection("Curvature against the stability threshold").paragraph(
            "λ_max reached 2/η at \(above.count) of \(record.points.count) analysed "
                + "checkpoints"
                + (above.first.map { ", first at iteration \($0.iteration)" } ?? "")
                + (largestRatio.map {
                    "; the largest ratio λ_max/(2/η) = η·λ_max/2 is "
                        + displayNumber($0)
                } ?? "") + ".")
        summary = summary.figure(
            Self.trajectoryChart(record), fileName: "trajectory.svg",
            caption: "λ_max at each checkpoint with 2/η(t) and (2 + 2μ)/η(t) on the same "
                + "(log) axis; the learning rate on the right axis."
        )
        .figure(
            traceChart(record), fileName: "trace.svg",
            caption: "Hutchinson trace at each checkpoint with ± one standard error.")
        let secants = ReportSection("Secant estimates of the optimal learning rate")
            .paragraph(
                "Smith's estimate ε·‖Δᵢ‖₁/‖Δᵢ − Δᵢ₊₁‖₁ over all weights and BatchNorm buffers "
                    + "with its moving average (α = 0.1, from 0.1), as the published scripts; "
                    + "the momentum-corrected secant (PyTorch convention, four consecutive "
                    + "iterations only); and 1/(sᵀHs/sᵀs) from an exact Hessian-vector product "
                    + "for the step s. Values that are not positive have no place on the log "
                    + "axis and are left out."
            )
            .figure(
                secantChart(record), fileName: "secant.svg",
                caption: "Estimates of the optimal learning rate and the learning rate used."
            )
            .caveat(
                "Consecutive snapshots are taken on different mini-batches: Smith's secant "
                    + "reads gradient noise as curvature, and ignores momentum.")
        return Report(
            title: "Curvature along \(URL(fileURLWithPath: record.runFolder).lastPathComponent)",
            provenance: Provenance(
                toolVersion: record.tool, commandLine: record.commandLine,
                seed: "\(record.settings.seed)",
                dataSet: "\(record.sample.dataset): \(record.sample.exampleCount) training "
                    + "images",
                model: "\(record.architecture), \(record.parameterCount) "
                    + "parameters", date: record.date, machine: record.machine,
                extra: [ReportField("BatchNorm mode", record.sample.batchNormMode)]),
            sections: [
                summary, secants,
                ReportSection("Files").links([
                    ReportLink("analysis.json"), ReportLink("trajectory.csv"),
                    ReportLink("secant.csv"),
                ]),
            ])
    }

    static func trajectoryChart(_ record: TrajectoryRecord) -> LineChart {
        let schedule = record.schedule.filter { ($0.learningRate ?? 0) > 0 }
        let iterations = schedule.map { Double($0.iteration) }
        let rates = schedule.map { $0.learningRate! }
        return LineChart(
            title: "λ_max against the stability thresholds", xAxis: .linear(label: "iteration"),
            yAxis: .log(label: "curvature"), secondaryYAxis: .linear(label: "learning rate")
        )
        .adding(
            series: "2/η", x: iterations, y: rates.map { 2 / $0 }, color: "#999999",
            lineStyle: .dashed
        )
        .adding(
            series: "(2 + 2μ)/η", x: iterations,
            y: zip(rates, schedule).map { (2 + 2 * ($1.momentum ?? 0)) / $0 }, color: "#555555",
            lineStyle: .dotted
        )
        .adding(
            series: "λ_max", x: record.points.map { Double($0.iteration) },
            y: record.points.map(\.topEigenvalue.eigenvalue), marker: .circle
        )
        .adding(
            series: "learning rate", x: iterations, y: rates, color: "#56B4E9",
            lineStyle: .solid, axis: .secondary)
    }

    private func traceChart(_ record: TrajectoryRecord) -> LineChart {
        let x = record.points.map { Double($0.iteration) }
        let trace = record.points.map(\.trace)
        let errors = record.points.map(\.traceStandardError)
        return LineChart(
            title: "Trace of the Hessian", xAxis: .linear(label: "iteration"),
            yAxis: .linear(label: "tr(H)")
        )
        .adding(
            Band(
                "± 1 SE", x: x, lower: zip(trace, errors).map { $0 - $1 },
                upper: zip(trace, errors).map { $0 + $1 })
        )
        .adding(series: "trace", x: x, y: trace, marker: .circle)
    }

    private func secantChart(_ record: TrajectoryRecord) -> LineChart {
        let steps = record.secants
        func series(_ value: (SecantPoint) -> Double?) -> (x: [Double], y: [Double]) {
            let pairs = steps.compactMap { step in value(step).map { (Double(step.iteration), $0) }
            }
            return (pairs.map(\.0), pairs.map(\.1))
        }
        var chart = LineChart(
            title: "Secant estimates of the optimal learning rate",
            xAxis: .linear(label: "iteration"), yAxis: .log(label: "learning rate"))
        let lines: [(String, (SecantPoint) -> Double?, LineStyle)] = [
            ("learning rate used", { $0.learningRate }, .solid),
            ("Smith, moving average", { $0.smith?.movingAverage }, .solid),
            ("Smith, per step", { $0.smith?.estimate }, .markersOnly),
            ("momentum-corrected", { $0.momentum?.learningRateAlongStep }, .markersOnly),
            ("exact HVP along the step", { $0.hessianCurvature?.inverseCurvature }, .dashed),
        ]
        for (name, value, style) in lines {
            let points = series(value)
            guard !points.x.isEmpty else { continue }
            chart = chart.adding(series: name, x: points.x, y: points.y, lineStyle: style)
        }
        return chart
    }
}
