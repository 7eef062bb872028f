import BasinAnalysis
import BasinReport

/// The report of `basin interpolate`: the curves in one figure, the barrier table, what
/// the two ends are and how far apart, and every warning.
enum InterpolationReportBuilder {
    static func report(_ result: InterpolationReport, provenance: Provenance) -> Report {
        let format = { (value: Double) in InterpolationTables.format(value) }
        let endpoints = ReportTable(
            caption: "The two ends, each evaluated with its saved running statistics.",
            columns: endpointColumns(result.start),
            rows: [endpointRow("A", result.start), endpointRow("B", result.end)])
        let distance = result.distance
        var ends = ReportSection("The two checkpoints")
            .table(endpoints)
            .paragraph(
                "‖θ_B − θ_A‖ = \(format(distance.distance)) over all trainable parameters, "
                    + "\(format(distance.relativeDistance)) of ‖θ_A‖; cosine similarity "
                    + "\(format(distance.cosineSimilarity)). Per-tensor distances are in "
                    + "layers.csv.")
        for warning in result.warnings { ends = ends.caveat(warning) }

        let curves = ReportSection("Loss and error along the line")
            .paragraph(
                "θ(α) = (1 − α)·θ_A + α·θ_B on the grid \(result.grid)"
                    + (result.finestStep > 0
                        ? ", refined to a step of \(format(result.finestStep)) around the "
                            + "largest test loss inside [0, 1]." : ".")
            )
            .figure(
                figure(result.curves), fileName: "interpolation.svg",
                caption: "Loss and error against α for each BatchNorm mode; dashed lines "
                    + "mark α = 0 (A) and α = 1 (B)."
            )
            .table(barrierTable(result.curves))
            .paragraph(
                "B_mean = max f(α) − (f(0) + f(1))/2; B_lin = max [f(α) − ((1 − α)f(0) + "
                    + "αf(1))]; B_max = max f(α) − max(f(0), f(1)); each maximum over α in "
                    + "[0, 1]. A convex curve has all three ≤ 0."
            )
            .links([
                ReportLink("analysis.json", description: "every number of this report"),
                ReportLink("curves.csv", description: "mode, split, α, loss, error"),
                ReportLink("barriers.csv", description: "the three conventions with their α"),
                ReportLink("layers.csv", description: "distance and cosine per tensor"),
            ])
        return Report(
            title: "Interpolation from \(result.start.name) to \(result.end.name)",
            provenance: provenance, sections: [ends, curves])
    }

    static func endpointColumns(_ end: EndpointSummary) -> [String] {
        let splits: [String] = end.evaluation.flatMap { ["\($0.split) loss", "\($0.split) error"] }
        return ["end", "file", "iteration", "cycle", "learning rate"] + splits
            + ["recorded metrics"]
    }

    static func endpointRow(_ label: String, _ end: EndpointSummary) -> [String] {
        let format = { (value: Double) in InterpolationTables.format(value) }
        let position: [String] = [
            label, end.name, end.iteration.map(String.init) ?? "",
            end.cycle.map(String.init) ?? "", end.learningRate.map(format) ?? "",
        ]
        let results: [String] = end.evaluation.flatMap { [format($0.loss), format($0.error)] }
        return position + results + [end.metricCheck.status.rawValue]
    }

    /// Four panels (test and train, loss and error), one series per BatchNorm mode.
    static func figure(_ curves: [InterpolationCurve]) -> SmallMultiples {
        let splits = uniqueInOrder(curves.map(\.split))
        var panels: [LineChart] = []
        for quantity in ["loss", "error"] {
            for split in splits {
                var chart = LineChart(
                    title: "\(split) \(quantity)", xAxis: .linear(label: "α"),
                    yAxis: .linear(label: quantity))
                for curve in curves where curve.split == split {
                    chart = chart.adding(
                        series: curve.mode.rawValue, x: curve.points.map(\.alpha),
                        y: curve.points.map { quantity == "loss" ? $0.loss : $0.error })
                }
                panels.append(
                    chart.adding([.vertical(at: 0, label: "A"), .vertical(at: 1, label: "B")]))
            }
        }
        return SmallMultiples(
            title: "Along θ(α) = (1 − α)·θ_A + α·θ_B", panels: panels,
            columnCount: max(1, splits.count), sharesY: false)
    }

    /// One row per mode, split and quantity.
    static func barrierTable(_ curves: [InterpolationCurve]) -> ReportTable {
        let format = { (value: Double) in InterpolationTables.format(value) }
        let withAlpha = { (value: BarrierValue) in
            "\(format(value.height)) (α \(InterpolationTables.format(value.alpha, digits: 3)))"
        }
        var rows: [[String]] = []
        for curve in curves {
            for (quantity, heights) in [("loss", curve.lossBarrier), ("error", curve.errorBarrier)]
            {
                rows.append([
                    curve.mode.rawValue, curve.split, quantity, format(heights.startValue),
                    format(heights.endValue), withAlpha(heights.mean), withAlpha(heights.linear),
                    withAlpha(heights.maximum),
                    InterpolationTables.format(heights.alphaOfMinimum, digits: 3),
                ])
            }
        }
        return ReportTable(
            caption: "Barrier heights in the three conventions, with the α where each occurs.",
            columns: [
                "BN mode", "split", "quantity", "f(0)", "f(1)", "B_mean", "B_lin", "B_max",
                "α of minimum",
            ], rows: rows)
    }

    static func uniqueInOrder(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
