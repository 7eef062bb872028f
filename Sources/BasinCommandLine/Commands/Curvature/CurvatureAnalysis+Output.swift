import BasinAnalysis
import BasinCheckpoint
import BasinReport
import Foundation

extension CurvatureTable {
    /// The table as CSV, every cell as text.
    var csv: CSVTable {
        var table = CSVTable(columns: columns)
        for row in rows { table.append(row.map { .text($0) }) }
        return table
    }
}

extension CurvatureAnalysis {
    /// Writes `analysis.json`, the CSV tables, the figures and the report into `folder`
    /// (created if needed) and returns the names of the files written.
    func write(to folder: URL) throws -> [String] {
        guard let record else { return [] }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError.unwritableFile(
                path: folder.path, reason: (error as NSError).localizedDescription)
        }
        var written: [String] = []
        func save(_ table: CSVTable, _ name: String) throws {
            try table.write(to: folder.appendingPathComponent(name))
            written.append(name)
        }
        try JSONOutput.write(record, to: folder.appendingPathComponent("analysis.json"))
        written.append("analysis.json")

        // Tables.
        try save(Self.eigenvalueTable(record.eigenvalues), "eigenvalues.csv")
        try save(Self.convergenceTable(record.eigenvalues), "eigenvalue-convergence.csv")
        if let spectrum = record.eigenvalues.ritzSpectrum {
            try save(CurvatureTable.ritzValues(spectrum).csv, "ritz-values.csv")
        }
        if let trace = record.trace {
            try save(trace.historyTable.csv, "trace-convergence.csv")
            if !trace.blockTraces.isEmpty { try save(trace.blockTable.csv, "layer-traces.csv") }
        }
        if let densityEstimate {
            try save(densityEstimate.densityTable.csv, "density.csv")
            try save(densityEstimate.quadratureTable.csv, "quadrature.csv")
        }

        // Report with its figures.
        let report = makeReport(record, tables: written)
        let markdown = report.markdown()
        try writeAtomically(markdown.text, to: folder.appendingPathComponent("report.md"))
        for file in markdown.files {
            try writeAtomically(file.contents, to: folder.appendingPathComponent(file.relativePath))
            written.append(file.relativePath)
        }
        try writeAtomically(report.html(), to: folder.appendingPathComponent("report.html"))
        return written + ["report.md", "report.html"]
    }

    /// rank, eigenvalue, iterations, converged, residual_norm, relative_residual.
    static func eigenvalueTable(_ result: ExtremeEigenvalueResult) -> CSVTable {
        var table = CSVTable(columns: [
            "rank", "eigenvalue", "iterations", "converged", "residual_norm", "relative_residual",
        ])
        for value in result.largest + [result.smallest].compactMap({ $0 }) {
            table.append([
                .text(value.rank == 0 ? "smallest" : "\(value.rank)"), .number(value.eigenvalue),
                .integer(value.iterationCount), .text(value.converged ? "true" : "false"),
                .number(value.residualNorm), value.relativeResidual.map(CSVField.number) ?? .empty,
            ])
        }
        return table
    }

    /// rank, product, estimate: every estimate after every product.
    static func convergenceTable(_ result: ExtremeEigenvalueResult) -> CSVTable {
        var table = CSVTable(columns: ["rank", "product", "estimate"])
        for value in result.largest + [result.smallest].compactMap({ $0 }) {
            for (offset, estimate) in value.history.enumerated() {
                table.append([
                    .text(value.rank == 0 ? "smallest" : "\(value.rank)"),
                    .integer(value.historyStart + offset), .number(estimate),
                ])
            }
        }
        return table
    }

    private func makeReport(_ record: CurvatureRecord, tables: [String]) -> Report {
        let subject = record.block.map { "the \($0.name) block of the Hessian" } ?? "the Hessian"
        var report = Report(
            title: "Curvature of \(record.checkpoint.name)",
            provenance: Provenance(
                toolVersion: record.tool, commandLine: record.commandLine,
                seed: "\(record.settings.seed)",
                dataSet: "\(record.sample.dataset): \(record.sample.exampleCount) training "
                    + "images in \(record.sample.batchCount) batches of up to "
                    + "\(record.sample.batchSize)",
                model: "\(record.checkpoint.architecture), \(record.checkpoint.parameterCount) "
                    + "parameters", date: record.date, machine: record.machine,
                extra: [
                    ReportField("BatchNorm mode", record.sample.batchNormMode),
                    ReportField("Checkpoint", record.checkpoint.path, isCode: true),
                    ReportField("Normalisation", "from the \(record.sample.normalizationSource)"),
                ]))

        // Summary.
        var summary = ReportSection("Summary").paragraph(
            "Extreme eigenvalues of \(record.eigenvalues.request.method.rawValue == "power" ? "power iteration" : "Lanczos") on \(subject) (n = \(record.dimension)) of the mean training loss "
                + "\(displayNumber(record.loss)) (accuracy \(displayNumber(record.accuracy))), "
                + "gradient norm \(displayNumber(record.gradientNorm)).")
        summary = summary.table(eigenvalueReportTable(record))
        if let stability = record.stability {
            summary = summary.paragraph(
                "At the checkpoint's learning rate η = \(displayNumber(stability.learningRate)) "
                    + "and momentum μ = \(displayNumber(stability.momentum)), gradient descent is "
                    + "stable on a quadratic below 2/η = "
                    + "\(displayNumber(stability.gradientDescentThreshold)) and heavy-ball SGD below "
                    + "(2 + 2μ)/η = \(displayNumber(stability.heavyBallThreshold)); η·λ_max = "
                    + "\(displayNumber(stability.learningRateTimesTopEigenvalue)).")
        } else {
            summary = summary.caveat(
                "The checkpoint records no positive learning rate, so no stability threshold "
                    + "is drawn.")
        }
        report = report.adding(summary)

        // Figures.
        var figures = ReportSection("Spectrum and convergence")
            .figure(
                spectrumChart(record), fileName: "spectrum.svg",
                caption: "Largest eigenvalues (magnitude, log scale) with the stability "
                    + "thresholds of the checkpoint's learning rate."
            )
            .figure(
                convergenceChart(record), fileName: "convergence.svg",
                caption: "Each eigenvalue estimate after each Hessian-vector product.")
        if let trace = record.trace {
            figures = figures.figure(
                traceChart(trace), fileName: "trace-convergence.svg",
                caption: "Hutchinson's running mean with ± one standard error; stopped by "
                    + "\(trace.stoppingReason.rawValue) after \(trace.probeCount) probes.")
        }
        if let densityEstimate {
            figures = figures.figure(
                densityChart(densityEstimate), fileName: "density.svg",
                caption: "Spectral density by stochastic Lanczos quadrature, Gaussian kernel "
                    + "of variance \(displayNumber(densityEstimate.kernelVariance)) (log scale).")
        }
        report = report.adding(figures)
        return report.adding(
            ReportSection("Files").links(
                [ReportLink("analysis.json", description: "every number with its diagnostics")]
                    + tables.filter { $0.hasSuffix(".csv") }.map { ReportLink($0) }))
    }

    private func eigenvalueReportTable(_ record: CurvatureRecord) -> ReportTable {
        var rows: [[String]] = []
        for value in record.eigenvalues.largest + [record.eigenvalues.smallest].compactMap({ $0 }) {
            rows.append([
                value.rank == 0 ? "λ_min" : "λ_\(value.rank)",
                TextFormatting.number(value.eigenvalue), "\(value.iterationCount)",
                value.relativeResidual.map { TextFormatting.number($0, significantDigits: 2) }
                    ?? "—", value.converged ? "yes" : "no",
            ])
        }
        if let trace = record.trace {
            rows.append([
                "trace", TextFormatting.number(trace.trace), "\(trace.probeCount)",
                "SE " + TextFormatting.number(trace.standardError, significantDigits: 2),
                trace.stoppingReason == .standardErrorTolerance ? "yes" : "no",
            ])
        }
        return ReportTable(
            caption: "Estimates with their products and residuals (relative), or standard error.",
            columns: ["quantity", "value", "products", "residual", "converged"], rows: rows)
    }

    private func stabilityLines(_ record: CurvatureRecord) -> [ReferenceLine] {
        guard let stability = record.stability else { return [] }
        return [
            .horizontal(at: stability.gradientDescentThreshold, label: "2/η"),
            .horizontal(
                at: stability.heavyBallThreshold, label: "(2 + 2μ)/η", lineStyle: .dotted),
        ]
    }

    private func spectrumChart(_ record: CurvatureRecord) -> LineChart {
        let values = record.eigenvalues.largest
        var chart = LineChart(
            title: "Largest Hessian eigenvalues", xAxis: .linear(label: "rank"),
            yAxis: .log(label: "|eigenvalue|")
        )
        .adding(
            series: "|λ| (\(record.eigenvalues.request.method.rawValue))",
            x: values.map { Double($0.rank) }, y: values.map { abs($0.eigenvalue) },
            lineStyle: .markersOnly, marker: .circle)
        if let ritz = record.eigenvalues.ritzSpectrum {
            let positive = ritz.ritzValues.map(\.value).filter { $0 > 0 }.sorted(by: >)
            chart = chart.adding(
                series: "positive Ritz values", x: positive.indices.map { Double($0 + 1) },
                y: positive, lineStyle: .markersOnly, marker: .diamond)
        }
        return chart.adding(stabilityLines(record))
    }

    private func convergenceChart(_ record: CurvatureRecord) -> LineChart {
        var chart = LineChart(
            title: "Convergence of the eigenvalue estimates",
            xAxis: .linear(label: "Hessian-vector products"), yAxis: .linear(label: "estimate"))
        for value in record.eigenvalues.largest + [record.eigenvalues.smallest].compactMap({ $0 }) {
            chart = chart.adding(
                series: value.rank == 0 ? "λ_min" : "λ_\(value.rank)",
                x: value.history.indices.map { Double(value.historyStart + $0) },
                y: value.history, marker: value.history.count < 40 ? .circle : .none)
        }
        return chart
    }

    private func traceChart(_ trace: TraceEstimate) -> LineChart {
        let probes = trace.history.map { Double($0.probeCount) }
        let means = trace.history.map(\.runningMean)
        let errors = trace.history.map { $0.standardError ?? .nan }
        return LineChart(
            title: "Hutchinson trace estimate", xAxis: .linear(label: "probes"),
            yAxis: .linear(label: "tr(H)")
        )
        .adding(
            Band(
                "± 1 SE", x: probes, lower: zip(means, errors).map { $0 - $1 },
                upper: zip(means, errors).map { $0 + $1 })
        )
        .adding(series: "running mean", x: probes, y: means)
    }

    /// The density on a log axis, floored at 10⁻⁸ of its peak: the Gaussian tails fall to
    /// 10⁻³⁰⁰ and would otherwise stretch the axis over hundreds of decades.
    private func densityChart(_ estimate: SpectralDensityEstimate) -> LineChart {
        let floor = (estimate.density.max() ?? 1) * 1e-8
        return LineChart(
            title: "Spectral density", xAxis: .linear(label: "eigenvalue"),
            yAxis: .log(label: "density"), showsLegend: false
        )
        .adding(series: "density", x: estimate.grid, y: estimate.density.map { max($0, floor) })
    }
}
