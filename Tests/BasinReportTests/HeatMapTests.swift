import BasinTestSupport
import Foundation
import Testing

@testable import BasinReport

@Suite("Heat maps")
struct HeatMapTests {
    @Test("the barrier matrix matches its snapshot and parses as XML")
    func snapshot() throws {
        let svg = SampleFigures.barrierMatrix().svg()
        expectWellFormedXML(svg)
        try expectSnapshot(svg, named: "heat-map.svg", in: snapshotDirectory())
    }

    @Test("NaN cells are grey, labelled NaN, and named in the legend")
    func missingCells() {
        let svg = SampleFigures.barrierMatrix().svg()
        // Two NaN cells plus the legend swatch.
        #expect(occurrences(of: "fill=\"\(ChartStyle.missingColor)\"", in: svg) == 3)
        #expect(occurrences(of: ">NaN</text>", in: svg) == 3)
    }

    @Test("cells take viridis colours at their place in the colour range")
    func cellColors() {
        let map = HeatMap(
            values: [[0, 1], [0.5, 2]], rowLabels: ["a", "b"], columnLabels: ["x", "y"],
            colorRange: 0...1)
        let svg = map.svg()
        #expect(svg.contains("fill=\"#440154\""))  // 0
        #expect(svg.contains("fill=\"#21918c\""))  // 0.5
        // 1 and the out-of-range 2 both take the top colour.
        #expect(occurrences(of: "fill=\"#fde725\"", in: svg) >= 2)
        // Dark text on the light yellow cell, white text on the dark purple one.
        #expect(svg.contains("fill=\"#111111\">1.00</text>"))
        #expect(svg.contains("fill=\"#ffffff\">0</text>"))
    }

    @Test("row and column labels are escaped text")
    func labels() {
        let map = HeatMap(
            values: [[1]], rowLabels: ["<r>"], columnLabels: ["a&b"], cellLabelDigits: nil)
        let svg = map.svg()
        expectWellFormedXML(svg)
        #expect(svg.contains("&lt;r&gt;") && svg.contains("a&amp;b"))
    }
}
