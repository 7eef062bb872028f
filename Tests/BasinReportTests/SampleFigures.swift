import Foundation

@testable import BasinReport

/// Figures of the kinds Basin's analyses draw, filled with closed-form data so that the
/// snapshots depend on nothing but this file. The shapes imitate real results (an LR range
/// test, an interpolation with a barrier, a loss plane, a Hessian spectrum); the numbers
/// are not measurements.
enum SampleFigures {
    /// LR range test: η = 10⁻⁵ · 10^(6t/99); the loss falls along a logistic in log₁₀ η
    /// and blows up past η ≈ 1, where it becomes infinite (a diverged run) and then NaN.
    static func rangeTest() -> LineChart {
        let rates = (0..<100).map { 1e-5 * pow(10, 6 * Double($0) / 99) }
        var losses = rates.map { rate -> Double in
            let decade = log10(rate)
            return 2.3 - 1.9 / (1 + exp(-3 * (decade + 2.5))) + exp(4 * (decade - 0.2))
        }
        for index in 92..<95 { losses[index] = .infinity }
        for index in 95..<100 { losses[index] = .nan }
        return LineChart(
            title: "LR range test", xAxis: .log(label: "learning rate η"),
            yAxis: .linear(label: "smoothed training loss", range: 0...3)
        )
        .adding(series: "loss", x: rates, y: losses)
        .adding([
            .vertical(at: 3.2e-3, label: "steepest 3.2e-3"),
            .vertical(at: 3.4e-2, label: "minimum / 10"),
        ])
    }

    /// Interpolation θ(α) = (1 − α) θ₁ + α θ₂: loss 0.25 + 0.6 sin²(πα/1) inside [0, 1],
    /// a seed range of ±(0.05 + 0.05 α²), and a test loss 0.1 above it.
    static func interpolation() -> LineChart {
        let alphas = (0...40).map { -0.5 + 0.05 * Double($0) }
        let train = alphas.map { 0.25 + 0.6 * pow(sin(Double.pi * $0), 2) + 0.1 * $0 * $0 }
        let spread = alphas.map { 0.05 + 0.05 * $0 * $0 }
        let test = train.map { $0 + 0.1 }
        return LineChart(
            title: "Loss between cycle 1 and cycle 2", xAxis: .linear(label: "α"),
            yAxis: .linear(label: "loss")
        )
        .adding(
            Band(
                "train", x: alphas, lower: zip(train, spread).map(-),
                upper: zip(train, spread).map(+))
        )
        .adding(series: "train", x: alphas, y: train, marker: .circle)
        .adding(series: "test", x: alphas, y: test, lineStyle: .dashed, marker: .square)
        .adding([
            .vertical(at: 0, label: "α = 0 (cycle 1)"), .vertical(at: 1, label: "α = 1 (cycle 2)"),
        ])
    }

    /// Barrier heights between six cycle ends: 0.12 |i − j| + 0.01 (i + j), zero on the
    /// diagonal, and one pair missing (NaN) as if its evaluation had failed.
    static func barrierMatrix() -> HeatMap {
        var values: [[Double]] = (0..<6).map { i in
            (0..<6).map { j -> Double in
                let distance = Double(abs(i - j))
                return i == j ? 0 : 0.12 * distance + 0.01 * Double(i + j)
            }
        }
        values[1][4] = .nan
        values[4][1] = .nan
        let labels = (1...6).map { "c\($0)" }
        return HeatMap(
            title: "Loss barrier between cycle ends", values: values, rowLabels: labels,
            columnLabels: labels, rowAxisLabel: "from checkpoint", columnAxisLabel: "to checkpoint",
            valueLabel: "barrier (loss)")
    }

    /// The plane through θ₁ = (0, 0), θ₂ = (1, 0), θ₃ = (0, 1), with a path between the
    /// first two: loss
    /// 0.05 + 4 · min_k |p − p_k|² + 0.3 |p|², over [−0.5, 1.5]², 41 × 41 points.
    static func plane() -> ContourPlot {
        let coordinates = (0...40).map { -0.5 + 0.05 * Double($0) }
        let minima: [(Double, Double)] = [(0, 0), (1, 0), (0, 1)]
        // A path from θ₁ to θ₂ bowing towards θ₃: (t, 0.3 sin πt).
        let trajectory = (0...10).map { Double($0) / 10 }
        let values = coordinates.map { v in
            coordinates.map { u in
                let nearest = minima.map { (u - $0.0) * (u - $0.0) + (v - $0.1) * (v - $0.1) }
                    .min()!
                return 0.05 + 4 * nearest + 0.3 * (u * u + v * v)
            }
        }
        return ContourPlot(
            title: "Training loss on the plane through three cycle ends", x: coordinates,
            y: coordinates, values: values, xLabel: "u (towards θ₂)", yLabel: "v (towards θ₃)",
            valueLabel: "training loss", valueScale: .logarithmic,
            points: [
                .init(x: 0, y: 0, label: "θ₁ cycle 1"), .init(x: 1, y: 0, label: "θ₂ cycle 2"),
                .init(x: 0, y: 1, label: "θ₃ cycle 3"),
            ],
            trajectories: [
                .init(
                    x: trajectory.map { $0 }, y: trajectory.map { 0.3 * sin(Double.pi * $0) },
                    label: "path in cycle 2")
            ])
    }

    /// 2 000 eigenvalues: a bulk 10 q² over the quantiles q = (k + ½)/2 000 of [0, 1], plus
    /// outliers 25, 31 and 48. The curve is the bulk's exact density, p(λ) = 1/(2√(10λ)) on
    /// (0, 10], times the bulk fraction 2 000/2 003.
    static func spectrum() -> LineChart {
        let bulk = (0..<2000).map { k -> Double in
            let q = (Double(k) + 0.5) / 2000
            return 10 * q * q
        }
        let eigenvalues = bulk + [25, 31, 48]
        let bars = Bars.histogram("eigenvalues", of: eigenvalues, binCount: 48, density: true)
        let grid = (1...100).map { Double($0) / 10 }
        let fraction = Double(bulk.count) / Double(eigenvalues.count)
        let density = grid.map { fraction / (2 * (10 * $0).squareRoot()) }
        return LineChart(
            title: "Hessian eigenvalue spectrum", xAxis: .linear(label: "eigenvalue λ"),
            yAxis: .log(label: "density")
        )
        .adding(bars)
        .adding(series: "bulk density", x: grid, y: density)
        .adding(.vertical(at: 48, label: "λ_max = 48"))
        .adding(.vertical(at: 20, label: "2/η = 20", color: "#D55E00"))
    }

    /// Four seeds of a loss curve under a triangular schedule (η on the right axis):
    /// loss_s(t) = (2 + 0.1 s) exp(−t/30) + 0.05 s.
    static func seeds() -> SmallMultiples {
        let steps = (0...60).map(Double.init)
        let rate = steps.map {
            0.1 + 0.9 * (1 - abs(($0.truncatingRemainder(dividingBy: 20)) / 10 - 1))
        }
        let panels = (1...4).map { seed in
            LineChart(
                title: "seed \(seed)", xAxis: .linear(label: "iteration"),
                yAxis: .log(label: "loss"), secondaryYAxis: .linear(label: "η")
            )
            .adding(
                series: "loss", x: steps,
                y: steps.map { (2 + 0.1 * Double(seed)) * exp(-$0 / 30) + 0.05 * Double(seed) }
            )
            .adding(series: "η", x: steps, y: rate, lineStyle: .dotted, axis: .secondary)
            .adding([.vertical(at: 20, label: "cycle 1"), .vertical(at: 40, label: "cycle 2")])
        }
        return SmallMultiples(title: "Loss by seed", panels: panels, columnCount: 2)
    }

    /// A report that holds one of each figure, a table and links.
    static func report() -> Report {
        Report(
            title: "Basin sample report: cycles, barriers & curvature",
            provenance: Provenance(
                toolVersion: "basin 0.1.0", commandLine: "basin analyze checkpoints/demo --seed 7",
                seed: "7", dataSet: "embedded Fashion-MNIST (10 000 train / 2 000 test)",
                model: "mlp-2x256", date: "2026-12-03 17:00 UTC",
                machine: "AMD EPYC (Zen 4), 2 cores",
                extra: [ReportField("BatchNorm mode", "running statistics, recomputed")])
        )
        .adding(
            ReportSection("Learning rate")
                .paragraph(
                    "The range test ran from 1e-5 to 10; the loss <diverged> past η ≈ 1 "
                        + "and the run stopped, as the *guard* requires."
                )
                .figure(rangeTest(), fileName: "range-test.svg", caption: "Smoothed loss.")
                .figure(seeds(), fileName: "seeds.svg", caption: "Four seeds, shared axes.")
        )
        .adding(
            ReportSection("Do the cycles find different minima?")
                .figure(
                    interpolation(), fileName: "interpolation.svg",
                    caption: "Loss along the line from cycle 1 to cycle 2; band: range over seeds."
                )
                .figure(barrierMatrix(), fileName: "barriers.svg", caption: "Barrier heights.")
                .figure(plane(), fileName: "plane.svg", caption: "Loss on the plane.")
                .table(
                    ReportTable(
                        caption: "Key numbers", columns: ["pair", "barrier", "distance | ‖Δθ‖"],
                        rows: [["c1–c2", "0.130", "12.4"], ["c2–c3", "NaN", "9.87"]])
                )
                .caveat("Barriers use 2 000 test images; they are estimates.")
                .links([
                    ReportLink("barriers.csv", description: "one row per pair"),
                    ReportLink("analysis.json", title: "all results (JSON)"),
                ])
        )
        .adding(
            ReportSection("Curvature")
                .figure(spectrum(), fileName: "spectrum.svg", caption: "Eigenvalue density.")
                .list(["λ_max = 48 at the end of cycle 2", "2/η = 20 at η = 0.1"]))
    }
}
