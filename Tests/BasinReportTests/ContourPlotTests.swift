import BasinTestSupport
import Foundation
import Testing

@testable import BasinReport

@Suite("Contour plots")
struct ContourPlotTests {
    @Test("the plane through three checkpoints matches its snapshot and parses as XML")
    func snapshot() throws {
        let svg = SampleFigures.plane().svg()
        expectWellFormedXML(svg)
        try expectSnapshot(svg, named: "contour.svg", in: snapshotDirectory())
        for label in ["θ₁ cycle 1", "θ₂ cycle 2", "θ₃ cycle 3"] { #expect(svg.contains(label)) }
    }

    @Test("levels come from the linear ticks of the value range")
    func linearLevels() {
        // f = x on [0, 1]: ticks every 0.2 (1/8 rounds up to 0.2); levels strictly inside.
        let coordinates = (0...10).map { Double($0) / 10 }
        let plot = ContourPlot(
            x: coordinates, y: coordinates, values: coordinates.map { _ in coordinates })
        let levels = plot.resolvedLevels().levels
        expectClose(levels, [0.2, 0.4, 0.6, 0.8], absoluteTolerance: 1e-12)
        let svg = plot.svg()
        // One fill per band (five) and one line path per level (four).
        #expect(occurrences(of: "stroke-opacity=\"0.6\"", in: svg) == 4)
    }

    @Test("log levels are decades and their multiples, in log₁₀ space")
    func logLevels() {
        let coordinates = (0...10).map { Double($0) / 10 }
        let values = coordinates.map { _ in coordinates.map { pow(10, 3 * $0 - 2) } }
        let plot = ContourPlot(
            x: coordinates, y: coordinates, values: values, valueScale: .logarithmic)
        // 10⁻²…10¹ spans three decades: majors at 0.1 and 1 inside, with 2…9 × 10ᵏ added.
        let levels = plot.resolvedLevels().levels
        #expect(levels.contains { abs($0 - -1) < 1e-12 } && levels.contains { abs($0) < 1e-12 })
        #expect(levels.allSatisfy { $0 > -2 && $0 < 1 })
        #expect(levels == levels.sorted())
    }

    @Test("missing values leave grey cells and no NaN in the output")
    func missingValues() {
        let coordinates = [0.0, 1, 2]
        var values = coordinates.map { _ in coordinates }
        values[1][1] = .nan
        let svg = ContourPlot(x: coordinates, y: coordinates, values: values).svg()
        expectWellFormedXML(svg)
        #expect(!svg.contains("NaN") && !svg.contains("nan"))
        #expect(svg.contains(ChartStyle.missingColor))
    }
}
