import BasinTraining

/// The text `basin bench` prints: what ran where, then a table of matrix-product rates and
/// a table of network rates, median first and the fastest run beside it.
///
///     gemm             GFLOP/s   best  runs
///     2048×2048×2048     165.2  170.1    10
///
///     model  parameters  train img/s    best  eval img/s  …  H·v/gradient
///     mlp       669,706       35,210  36,102     120,345  …          2.10
enum BenchmarkTable {
    static func text(_ report: BenchmarkReport) -> String {
        let load = report.machine.loadAverage.map {
            ", load average \(format($0, decimals: 2)) at start"
        }
        var lines = [
            "machine  \(report.machine.processorName), \(report.machine.coreCount) cores"
                + (load ?? ""),
            "date     \(report.date)",
            "build    \(report.buildConfiguration), \(report.threadCount) "
                + (report.threadCount == 1 ? "thread" : "threads") + ", \(report.gemmTile)",
            "timing   median and fastest of ≥ \(report.timingPolicy.minimumRepeatCount) runs "
                + "and ≥ \(format(report.timingPolicy.minimumSeconds, decimals: 1)) s "
                + "per figure, after \(report.timingPolicy.warmUpCount) warm-up",
        ]
        if !report.gemm.isEmpty {
            lines.append("")
            lines += alignedColumns(gemmRows(report.gemm))
        }
        if !report.models.isEmpty {
            lines.append("")
            lines += alignedColumns(modelRows(report.models))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func gemmRows(_ results: [GEMMBenchmarkResult]) -> [[String]] {
        [["gemm", "GFLOP/s", "best", "runs"]]
            + results.map { result in
                [
                    result.shape.description,
                    format(result.medianGigaflopsPerSecond, decimals: 1),
                    format(result.bestGigaflopsPerSecond, decimals: 1),
                    "\(result.throughput.timing.repeatCount)",
                ]
            }
    }

    private static func modelRows(_ results: [ModelBenchmarkResult]) -> [[String]] {
        let header = [
            "model", "parameters", "train img/s", "best", "eval img/s", "best", "H·v/s", "best",
            "H·v/gradient", "repeated H·v/gradient",
        ]
        return [header]
            + results.map { result in
                [
                    result.configuration.architecture.rawValue,
                    grouped(result.parameterCount),
                    rate(result.training.medianPerSecond),
                    rate(result.training.bestPerSecond),
                    rate(result.evaluation.medianPerSecond),
                    rate(result.evaluation.bestPerSecond),
                    rate(result.hessianVectorProduct.medianPerSecond),
                    rate(result.hessianVectorProduct.bestPerSecond),
                    format(result.hessianToGradientRatio, decimals: 2),
                    result.repeatedHessianToGradientRatio.map { format($0, decimals: 2) } ?? "-",
                ]
            }
    }

    /// Columns two spaces apart: the first left-aligned, the others right-aligned.
    /// - Precondition: every row has as many cells as the first.
    static func alignedColumns(_ rows: [[String]]) -> [String] {
        let columnCount = rows.first?.count ?? 0
        precondition(
            rows.allSatisfy { $0.count == columnCount },
            "table rows have \(rows.map(\.count)) cells")
        var widths = [Int](repeating: 0, count: columnCount)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            let cells = row.enumerated().map { index, cell in
                padded(cell, to: widths[index], left: index == 0)
            }
            return cells.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }

    private static func padded(_ text: String, to width: Int, left: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + padding : padding + text
    }

    /// Rates of images or products: whole numbers with thousands separators from 100 up,
    /// one decimal from 10 (46.2), two below (4.63, 0.14), "∞" for a run too short for the
    /// clock.
    static func rate(_ value: Double) -> String {
        guard value.isFinite else { return "∞" }
        if value >= 100 { return grouped(Int(value.rounded())) }
        return format(value, decimals: value >= 10 ? 1 : 2)
    }

    /// `value` with `decimals` digits after the point, without the locale.
    static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : "∞" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = String(scaled % Int(scale))
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + "\(whole)" }
        return sign + "\(whole)."
            + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// A whole number with commas between groups of three digits: 1,234,567.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }
}
