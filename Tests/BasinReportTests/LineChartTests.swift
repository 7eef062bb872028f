import BasinTestSupport
import Foundation
import Testing

@testable import BasinReport

/// A one-cycle schedule and a loss curve with a NaN gap, made from closed forms so the
/// snapshot is reproducible: lr(t) rises linearly 0.008 → 0.2 over 50 steps and falls back,
/// loss(t) = 2.3 · exp(−t/40) + 0.1.
func sampleTrainingCurves() -> (steps: [Double], loss: [Double], rate: [Double]) {
    let steps = (0...100).map(Double.init)
    let rate = steps.map { $0 <= 50 ? 0.008 + 0.192 * $0 / 50 : 0.2 - 0.192 * ($0 - 50) / 50 }
    var loss = steps.map { 2.3 * exp(-$0 / 40) + 0.1 }
    loss[30] = .nan
    loss[31] = .infinity
    return (steps, loss, rate)
}

func sampleLineChart() -> LineChart {
    let curves = sampleTrainingCurves()
    return LineChart(
        title: "Training loss & learning rate", xAxis: .linear(label: "iteration"),
        yAxis: .log(label: "loss"), secondaryYAxis: .linear(label: "learning rate η")
    )
    .adding(
        Band(
            "loss", x: curves.steps, lower: curves.loss.map { $0 * 0.9 },
            upper: curves.loss.map { $0 * 1.1 })
    )
    .adding(series: "loss", x: curves.steps, y: curves.loss)
    .adding(series: "η", x: curves.steps, y: curves.rate, lineStyle: .dashed, axis: .secondary)
    .adding([
        .vertical(at: 50, label: "peak <η>"), .vertical(at: 100, label: "cycle 1 end"),
        .horizontal(at: 0.15, label: "0.15 & target"),
    ])
}

@Suite("Line charts")
struct LineChartTests {
    @Test("the sample chart matches its snapshot and parses as XML")
    func snapshot() throws {
        let svg = sampleLineChart().svg(idPrefix: "fig1")
        expectWellFormedXML(svg)
        try expectSnapshot(svg, named: "line-chart.svg", in: snapshotDirectory())
    }

    @Test(
        "the sample range test, interpolation and spectrum match their snapshots",
        arguments: ["range-test", "interpolation", "spectrum"])
    func sampleSnapshots(name: String) throws {
        let chart =
            switch name {
            case "range-test": SampleFigures.rangeTest()
            case "interpolation": SampleFigures.interpolation()
            default: SampleFigures.spectrum()
            }
        let svg = chart.svg()
        expectWellFormedXML(svg)
        try expectSnapshot(svg, named: "\(name).svg", in: snapshotDirectory())
    }

    @Test("rendering twice gives the same bytes")
    func deterministic() {
        #expect(sampleLineChart().svg() == sampleLineChart().svg())
    }

    @Test("NaN and infinite values split a series into separate path segments")
    func gapsSplitSegments() {
        let runs = drawableRuns(
            x: [0, 1, 2, 3, 4, 5, 6], y: [1, 2, .nan, 3, 4, .infinity, 5],
            mapX: { $0 }, mapY: { $0.isFinite ? $0 : nil })
        #expect(runs.map(\.count) == [2, 2, 1])

        let chart = LineChart().adding(
            series: "s", x: [0, 1, 2, 3, 4, 5], y: [1, 2, .nan, 3, 4, 5])
        let svg = chart.svg()
        let paths = attributeValues("d", in: svg).filter { $0.hasPrefix("M") }
        #expect(paths.count == 1)
        #expect(occurrences(of: "M", in: paths[0]) == 2, "two move-to commands: \(paths[0])")
        #expect(!svg.contains("NaN"))
    }

    @Test("non-positive values on a log axis are gaps")
    func logAxisGaps() {
        let chart = LineChart(yAxis: .log()).adding(
            series: "s", x: [0, 1, 2, 3, 4, 5, 6], y: [1, 2, 0, 3, -4, 5, 6])
        let path = attributeValues("d", in: chart.svg()).first { $0.hasPrefix("M") } ?? ""
        #expect(occurrences(of: "M", in: path) == 2, "runs 0–1 and 5–6: \(path)")
    }

    @Test("text is escaped and every label is real text at 11 px or more")
    func textIsEscapedAndReadable() {
        let svg = sampleLineChart().svg()
        #expect(svg.contains("Training loss &amp; learning rate"))
        #expect(svg.contains("peak &lt;η&gt;"))
        let sizes = attributeValues("font-size", in: svg).compactMap(Double.init)
        #expect(!sizes.isEmpty)
        #expect(sizes.allSatisfy { $0 >= 11 }, "font sizes \(Set(sizes))")
    }

    @Test("a chart with only NaN data still draws a frame")
    func allNaN() {
        let svg = LineChart(title: "empty", xAxis: .log(), yAxis: .linear())
            .adding(series: "nothing", x: [.nan, .nan], y: [.nan, 1]).svg()
        expectWellFormedXML(svg)
        #expect(attributeValues("d", in: svg).filter { $0.hasPrefix("M") }.isEmpty)
    }
}
