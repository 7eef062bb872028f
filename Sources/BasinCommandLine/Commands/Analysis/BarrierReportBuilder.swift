import BasinAnalysis
import BasinReport

/// The report of `basin barriers`: heat maps of barriers, distances and disagreement over
/// every pair, and the snapshot ensembles.
enum BarrierReportBuilder {
    static func report(_ result: BarrierReport, provenance: Provenance) -> Report {
        let matrix = result.matrix
        let names = matrix.names
        let format = { (value: Double) in InterpolationTables.format(value) }
        func heatMap(_ title: String, label: String, _ value: (BarrierMatrix.Pair) -> Double)
            -> HeatMap
        {
            HeatMap(
                title: title, values: matrix.matrix(value), rowLabels: names, columnLabels: names,
                valueLabel: label)
        }
        func barrier(_ split: String, _ pair: BarrierMatrix.Pair) -> BarrierMatrix.SplitBarrier? {
            pair.splitBarriers.first { $0.split == split }
        }

        var barriers = ReportSection("Barriers between every pair")
            .paragraph(
                "Each pair's straight line is evaluated on the grid \(result.grid) (refined "
                    + "around its maximum) with BatchNorm mode \(matrix.mode.rawValue). "
                    + "B_mean = max f(α) − (f(0) + f(1))/2 over α in [0, 1]."
            )
            .figure(
                heatMap("test loss B_mean", label: "B_mean") { $0.lossBarrier.mean.height },
                fileName: "barrier-test-loss.svg", caption: "Loss barrier on the test split.")
        if matrix.pairs.first.flatMap({ barrier("train", $0) }) != nil {
            barriers = barriers.figure(
                heatMap("train loss B_mean", label: "B_mean") {
                    barrier("train", $0)?.loss.mean.height ?? .nan
                }, fileName: "barrier-train-loss.svg",
                caption: "Loss barrier on the fixed training subset.")
        }
        barriers = barriers.figure(
            heatMap("test error B_mean", label: "B_mean") { $0.errorBarrier.mean.height },
            fileName: "barrier-test-error.svg", caption: "Error barrier on the test split.")

        let function = ReportSection("Distance and disagreement")
            .figure(
                heatMap("weight distance ‖θ_j − θ_i‖", label: "distance") { $0.distance.distance },
                fileName: "distance.svg", caption: "L2 distance between the parameter vectors."
            )
            .figure(
                heatMap("test disagreement / mean error", label: "ratio") {
                    $0.normalizedDisagreement
                }, fileName: "disagreement.svg",
                caption: "Fraction of test labels on which the pair differs, divided by the "
                    + "mean of their test errors (Fort et al. 2019): near 1 or above, they "
                    + "err on different examples.")

        let ensembleRows = zip(matrix.ensembles, matrix.individual).map { ensemble, alone in
            [
                "\(ensemble.memberCount)", names[ensemble.memberCount - 1], format(alone.loss),
                format(alone.error), format(ensemble.loss), format(ensemble.error),
            ]
        }
        let ensembleChart = LineChart(
            title: "Snapshot ensembles", xAxis: .linear(label: "checkpoints averaged (k)"),
            yAxis: .linear(label: "test error")
        )
        .adding(
            series: "ensemble of the first k", x: matrix.ensembles.map { Double($0.memberCount) },
            y: matrix.ensembles.map(\.error), marker: .circle
        )
        .adding(
            series: "k-th alone", x: matrix.ensembles.map { Double($0.memberCount) },
            y: matrix.individual.map(\.error), lineStyle: .dashed, marker: .square)
        var ensembles = ReportSection("Snapshot ensembles")
            .figure(
                ensembleChart, fileName: "ensembles.svg",
                caption: "Test error of the averaged softmax of the first k checkpoints."
            )
            .table(
                ReportTable(
                    caption: "Each checkpoint alone and the ensemble up to it (test split).",
                    columns: [
                        "k", "checkpoint", "alone: loss", "alone: error", "ensemble: loss",
                        "ensemble: error",
                    ], rows: ensembleRows)
            )
            .links([
                ReportLink("analysis.json", description: "every number of this report"),
                ReportLink("pairs.csv", description: "barriers, distance, disagreement per pair"),
                ReportLink("ensembles.csv", description: "snapshot ensembles"),
                ReportLink("checkpoints.csv", description: "each checkpoint alone"),
            ])
        for warning in result.warnings { ensembles = ensembles.caveat(warning) }
        return Report(
            title: "Barriers between \(names.count) checkpoints", provenance: provenance,
            sections: [barriers, function, ensembles])
    }
}
