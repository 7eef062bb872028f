import BasinCheckpoint
import BasinReport
import Foundation

/// The training curves of a run folder, drawn from its `metrics.csv` and `run.json`: loss and
/// accuracy against the iteration, the learning rate behind the loss, cycle ends marked.
enum TrainingCurves {
    static let fileName = "training.svg"

    /// Reads the run's metrics and manifest and writes `training.svg` beside them.
    static func write(in folder: URL) throws {
        let manifest = try RunManifest(
            contentsOf: folder.appendingPathComponent(RunManifest.fileName))
        let text = try String(
            contentsOf: folder.appendingPathComponent(MetricsLog.fileName), encoding: .utf8)
        let table = try CSVTable.read(text)
        let rows = table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.columns, $0)) }
        try writeAtomically(
            chart(metrics: rows, manifest: manifest).svg(),
            to: folder.appendingPathComponent(fileName))
    }

    /// Two panels sharing the iteration axis: losses with the learning rate on the right,
    /// and accuracies. `metrics` holds the rows of `metrics.csv` by column name.
    static func chart(metrics: [[String: String]], manifest: RunManifest) -> SmallMultiples {
        func column(_ kind: String, _ name: String) -> (x: [Double], y: [Double]) {
            let rows = metrics.filter { $0["kind"] == kind }
            let pairs = rows.compactMap { row -> (Double, Double)? in
                guard let x = Double(row["iteration"] ?? ""), let y = Double(row[name] ?? "")
                else { return nil }
                return (x, y)
            }
            return (pairs.map(\.0), pairs.map(\.1))
        }
        let cycleEnds = manifest.checkpoints.filter { $0.kind == .cycle }.map {
            ReferenceLine.vertical(at: Double($0.iteration), label: "c\($0.cycle ?? 0)")
        }
        let batchLoss = column("iteration", "loss")
        let rate = column("iteration", "lr")
        var loss = LineChart(
            title: "Loss", xAxis: .linear(label: "iteration"), yAxis: .log(label: "loss"),
            secondaryYAxis: .linear(label: "learning rate")
        )
        .adding(series: "batch", x: batchLoss.x, y: batchLoss.y, color: "#BBBBBB")
        var accuracy = LineChart(
            title: "Accuracy", xAxis: .linear(label: "iteration"),
            yAxis: .linear(label: "accuracy"))
        for split in ["train", "test", "validation"] {
            let splitLoss = column("evaluation", "\(split)_loss")
            let splitAccuracy = column("evaluation", "\(split)_accuracy")
            if !splitLoss.x.isEmpty {
                loss = loss.adding(
                    series: split, x: splitLoss.x, y: splitLoss.y, marker: .circle)
            }
            if !splitAccuracy.x.isEmpty {
                accuracy = accuracy.adding(
                    series: split, x: splitAccuracy.x, y: splitAccuracy.y, marker: .circle)
            }
        }
        loss = loss.adding(
            series: "learning rate", x: rate.x, y: rate.y, lineStyle: .dashed, axis: .secondary)
        return SmallMultiples(
            title: "Training of \(manifest.architecture)",
            panels: [loss.adding(cycleEnds), accuracy.adding(cycleEnds)], columnCount: 1,
            sharesY: false)
    }
}
