import BasinTestSupport
import Foundation
import Testing

@testable import BasinAnalysis

@Suite("Alpha grid and refinement")
struct AlphaGridTests {
    @Test("the standard grid has 41 points from -0.5 to 1.5 including 0 and 1 exactly")
    func standardGrid() {
        let points = AlphaGrid.standard.points
        #expect(points.count == 41)
        #expect(points.first == -0.5)
        #expect(points.last == 1.5)
        #expect(points.contains(0))
        #expect(points.contains(1))
    }

    @Test("a grid that steps past 0 and 1 gets them added")
    func anchorsAdded() throws {
        let grid = try AlphaGrid(parsing: "-0.3:1.3:4")
        #expect(grid.points.count == 6)
        #expect(grid.points.contains(0) && grid.points.contains(1))
    }

    @Test(
        "malformed --alpha values are rejected naming the flag",
        arguments: ["3", "1:0:5", "a:b:c", "0:1:1"])
    func malformed(text: String) {
        #expect(throws: AnalysisError.self) { try AlphaGrid(parsing: text) }
        do {
            _ = try AlphaGrid(parsing: text)
        } catch {
            #expect(error.description.contains("--alpha"))
        }
    }

    @Test("refinement reaches a step of 1/80 around a narrow peak and finds its height")
    func refinementFindsPeak() {
        // A narrow Gaussian bump at α = 0.53 of width 0.02 is nearly invisible at step 1/20.
        let curve = { (alpha: Double) in exp(-pow((alpha - 0.53) / 0.02, 2)) }
        let alphas = AlphaGrid.standard.points
        let coarsePeak = alphas.map(curve).max()!
        let refined = refineAroundInteriorMaximum(
            alphas: alphas, values: alphas.map(curve), evaluate: curve)
        let peakIndex = refined.values.indices.max { refined.values[$0] < refined.values[$1] }!
        let neighbourGaps = [peakIndex - 1, peakIndex + 1].map {
            abs(refined.alphas[$0] - refined.alphas[peakIndex])
        }
        #expect(neighbourGaps.allSatisfy { $0 <= 1.0 / 80 + 1e-12 })
        #expect(refined.values.max()! > coarsePeak)
        #expect(refined.alphas == refined.alphas.sorted())
    }

    @Test("refinement leaves a curve alone when the grid is already fine enough")
    func noRefinementNeeded() {
        let alphas = AlphaGrid(start: 0, end: 1, count: 81).points
        let values = alphas.map { -($0 - 0.5) * ($0 - 0.5) }
        var calls = 0
        let refined = refineAroundInteriorMaximum(alphas: alphas, values: values) { _ in
            calls += 1
            return 0
        }
        #expect(calls == 0)
        #expect(refined.alphas.count == alphas.count)
    }
}
