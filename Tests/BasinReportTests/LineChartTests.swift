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

    @Test("a dense series is thinned to a few points per pixel column, keeping its extremes")
    func decimation() {
        let count = 100_000
        let x = (0..<count).map(Double.init)
        var y = x.map { sin($0 / 5000) }
        y[54_321] = 40
        let svg = LineChart().adding(series: "dense", x: x, y: y).svg()
        let path = attributeValues("d", in: svg).first { $0.hasPrefix("M") } ?? ""
        let pointCount = occurrences(of: " L", in: path) + 1
        #expect(pointCount < 4 * 640, "\(pointCount) points drawn")
        // The spike is the top of the y range: some point sits at the plot's top edge.
        let frame = LineChart().adding(series: "dense", x: x, y: y).makeFrame()
        let spikeY = TextFormatting.coordinate(frame.yMapping.pixel(40)!)
        #expect(path.contains(" \(spikeY) L") || path.contains(" \(spikeY)"))
    }

    @Test("decimation keeps first, lowest, highest and last of each pixel column in order")
    func decimationOrder() {
        let run: [(x: Double, y: Double)] = (0..<20).map { (Double($0 / 10) + 0.5, Double($0 % 7)) }
        let thinned = decimated(run, columnCount: 1)
        // Column 0 holds y = 0…6, 0, 1, 2; column 1 holds 3…6, 0…5.
        #expect(thinned.map(\.y) == [0, 6, 2, 3, 6, 0, 5])
        #expect(decimated(run, columnCount: 5).count == 20)
    }

    @Test("a markers-only series draws markers and no line")
    func markersOnly() {
        let svg = LineChart()
            .adding(series: "points", x: [1, 2, 3], y: [3, 1, 2], lineStyle: .markersOnly)
            .svg()
        // Three points and the legend swatch.
        #expect(occurrences(of: "<circle", in: svg) == 3 + 1)
        #expect(attributeValues("d", in: svg).filter { $0.hasPrefix("M") }.isEmpty)
    }
}
