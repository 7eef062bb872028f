import BasinTestSupport
import Foundation
import Testing

@testable import BasinAnalysis

@Suite("Barrier heights")
struct BarrierHeightsTests {
    let alphas = stride(from: -0.5, through: 1.5, by: 0.25).map { $0 }

    @Test("a bump of height 2 between ends at 0 and 0.4 gives the three known heights")
    func bump() {
        // f(α) = 0.4·α + 2·sin(πα) on [0, 1]: ends 0 and 0.4; the maximum sits at α = 0.5
        // on this grid (0.2 + 2 = 2.2); the straight line there is 0.2.
        let values = alphas.map { alpha in
            alpha >= 0 && alpha <= 1 ? 0.4 * alpha + 2 * sin(Double.pi * alpha) : 5
        }
        let heights = BarrierHeights(alphas: alphas, values: values)
        expectClose(heights.mean.height, 2.2 - 0.2, absoluteTolerance: 1e-12)
        expectClose(heights.linear.height, 2.0, absoluteTolerance: 1e-12)
        expectClose(heights.maximum.height, 2.2 - 0.4, absoluteTolerance: 1e-12)
        #expect(heights.mean.alpha == 0.5)
        #expect(heights.linear.alpha == 0.5)
        #expect(heights.alphaOfInteriorMinimum == 0)
        #expect(heights.nonFiniteCount == 0)
    }

    @Test("a convex bowl has no barrier in any convention")
    func convexBowl() {
        // f(α) = (α − 0.6)²: ends 0.36 and 0.16, minimum at 0.6 (on the grid: 0.5 → 0.01).
        let values = alphas.map { ($0 - 0.6) * ($0 - 0.6) }
        let heights = BarrierHeights(alphas: alphas, values: values)
        expectClose(heights.mean.height, 0.36 - 0.26, absoluteTolerance: 1e-12)
        #expect(heights.maximum.height == 0)
        #expect(heights.linear.height == 0)
        #expect(heights.alphaOfInteriorMinimum == 0.5)
        #expect(heights.alphaOfMinimum == 0.5)
    }

    @Test("a monotone straight line has zero B_lin and B_max and negative B_mean")
    func straightLine() {
        let values = alphas.map { 1 + $0 }
        let heights = BarrierHeights(alphas: alphas, values: values)
        expectClose(heights.linear.height, 0, absoluteTolerance: 1e-12)
        #expect(heights.maximum.height == 0)
        expectClose(heights.mean.height, 2 - 1.5, absoluteTolerance: 1e-12)
        #expect(heights.alphaOfMinimum == -0.5)
    }

    @Test("a NaN inside the segment is counted and makes the barrier infinite")
    func nanInside() {
        var values = alphas.map { _ in 1.0 }
        values[alphas.firstIndex(of: 0.75)!] = .nan
        let heights = BarrierHeights(alphas: alphas, values: values)
        #expect(heights.nonFiniteCount == 1)
        #expect(heights.maximum.height == .infinity)
        #expect(heights.maximum.alpha == 0.75)
    }
}
