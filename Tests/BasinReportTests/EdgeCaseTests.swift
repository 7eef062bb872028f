import Foundation
import Testing

@testable import BasinReport

/// Inputs at the edges: every chart must still render well-formed SVG with no NaN text.
@Suite("Edge cases")
struct EdgeCaseTests {
    static let awkwardSeries: [(String, [Double], [Double])] = [
        ("empty", [], []),
        ("single point", [1], [2]),
        ("all NaN", [.nan, .nan], [.nan, .nan]),
        ("constant x", [3, 3, 3], [1, 2, 3]),
        ("huge values", [0, 1], [-1e300, 1e300]),
        ("tiny span", [0, 1], [1, 1 + 1e-15]),
        ("infinities", [0, 1, 2], [.infinity, -.infinity, 1]),
        ("negative on log", [1, 2, 3], [-1, -2, -3]),
    ]

    @Test("line charts render every awkward series on every pair of scales")
    func lineCharts() {
        for (name, x, y) in Self.awkwardSeries {
            for xAxis in [Axis.linear(label: "x"), .log(label: "x")] {
                for yAxis in [Axis.linear(label: "y"), .log(label: "y")] {
                    // The names stay out of the SVG so that only numbers are searched.
                    let svg = LineChart(xAxis: xAxis, yAxis: yAxis)
                        .adding(series: "", x: x, y: y, marker: .diamond)
                        .adding(Band("", x: x, lower: y, upper: y))
                        .svg()
                    expectWellFormedXML(svg)
                    #expect(!svg.contains("NaN") && !svg.contains("inf"), "\(name)")
                }
            }
        }
    }

    @Test("heat maps of one cell, all NaN, or a constant matrix render")
    func heatMaps() {
        for values in [[[1.0]], [[Double.nan, .nan]], [[2.0, 2.0], [2.0, 2.0]]] {
            let svg = HeatMap(
                values: values, rowLabels: values.indices.map { "r\($0)" },
                columnLabels: values[0].indices.map { "c\($0)" }
            ).svg()
            expectWellFormedXML(svg)
        }
    }

    @Test("contour plots of a constant or all-NaN grid render")
    func contours() {
        for fill in [1.0, .nan] {
            let svg = ContourPlot(
                x: [0, 1, 2], y: [0, 1], values: [[fill, fill, fill], [fill, fill, fill]],
                valueScale: fill.isNaN ? .logarithmic : .linear
            ).svg()
            expectWellFormedXML(svg)
        }
    }

    @Test("a report with no sections and no provenance renders")
    func emptyReport() {
        let report = Report(title: "", provenance: Provenance(fields: []))
        #expect(report.html().contains("<main>"))
        #expect(report.markdown().files.isEmpty)
    }
}
