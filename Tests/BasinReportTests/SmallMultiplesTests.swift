import BasinTestSupport
import Foundation
import Testing

@testable import BasinReport

@Suite("Small multiples")
struct SmallMultiplesTests {
    @Test("the seed grid matches its snapshot and parses as XML")
    func snapshot() throws {
        let svg = SampleFigures.seeds().svg()
        let elements = expectWellFormedXML(svg)
        #expect(elements.filter { $0 == "svg" }.count == 5)
        try expectSnapshot(svg, named: "small-multiples.svg", in: snapshotDirectory())
    }

    @Test("panels share one range per axis and keep axis titles on the outer edge")
    func sharedAxes() {
        let panels = SampleFigures.seeds().preparedPanels()
        #expect(Set(panels.map(\.xAxis.range)).count == 1)
        #expect(Set(panels.map(\.yAxis.range)).count == 1)
        #expect(Set(panels.map { $0.secondaryYAxis?.range }).count == 1)
        #expect(panels.map(\.yAxis.label) == ["loss", "", "loss", ""])
        #expect(panels.map(\.xAxis.label) == ["", "", "iteration", "iteration"])
        #expect(panels.allSatisfy { !$0.showsLegend })
    }

    @Test("every panel has its own clip-path id")
    func uniqueIDs() {
        let ids = attributeValues("id", in: SampleFigures.seeds().svg(idPrefix: "f"))
        #expect(ids.count == 4 && Set(ids).count == 4)
    }
}
