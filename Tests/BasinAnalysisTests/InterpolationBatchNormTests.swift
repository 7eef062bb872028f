import BasinKernels
import BasinNetwork
import BasinTestSupport
import Testing

@testable import BasinAnalysis

@Suite("Interpolation with BatchNorm (cnn on 1×8×8 images)")
struct InterpolationBatchNormTests {
    static let shape = InputShape(channels: 1, height: 8, width: 8)

    @Test("mode reset with identical ends reproduces freshly recomputed statistics at every α")
    func resetWithIdenticalEnds() throws {
        let fixture = InterpolationFixture(seed: 5, architecture: .cnn, shape: Self.shape)
        let interpolator = try Interpolator(
            start: fixture.start, end: fixture.start.copy(), evaluationSets: [fixture.test],
            statisticsImages: fixture.train)
        let fresh = fixture.start.copy()
        fresh.recomputeRunningStatistics(on: fixture.train)
        let expected = fresh.evaluate(fixture.test, mode: .running)
        // The saved statistics (fresh ones: mean 0, variance 1) give another loss, so the
        // comparison below can tell recomputed statistics from saved ones.
        let saved = fixture.start.evaluate(fixture.test, mode: .running)
        #expect(abs(saved.loss - expected.loss) > 1e-3)
        for alpha in [0, 0.37, 1, 1.5] {
            let result = interpolator.evaluate(alpha: alpha, mode: .reset).results[0]
            // θ(α) = θ_A up to the rounding of (1 − α)x + αx in Double, below a Float ulp.
            expectClose(
                result.loss, expected.loss, absoluteTolerance: 1e-6, relativeTolerance: 1e-6,
                "α \(alpha)")
            #expect(result.error == expected.error, "α \(alpha)")
        }
    }

    @Test("extrapolated running variances below zero are counted and make the point NaN")
    func negativeVariances() throws {
        let fixture = InterpolationFixture(seed: 6, architecture: .cnn, shape: Self.shape)
        // Variances 1 at A and 4 at B: at α = −0.5 they are 1.5·1 − 0.5·4 = −0.5.
        let end = fixture.end
        var varianceCount = 0
        for slice in end.runningStatisticsLayout where slice.role == .runningVariance {
            for index in slice.range { end.runningStatistics[index] = 4 }
            varianceCount += slice.range.count
        }
        let interpolator = try Interpolator(
            start: fixture.start, end: end, evaluationSets: [fixture.test],
            statisticsImages: fixture.train)
        let beyond = interpolator.evaluate(alpha: -0.5, mode: .interp)
        #expect(beyond.negativeVarianceCount == varianceCount)
        #expect(beyond.results[0].loss.isNaN && beyond.results[0].error.isNaN)
        // At α = −0.25 they are 1.25 − 1 = 0.25 > 0: none.
        let inside = interpolator.evaluate(alpha: -0.25, mode: .interp)
        #expect(inside.negativeVarianceCount == 0)
        #expect(inside.results[0].loss.isFinite)
        // Modes reset and batch never read the interpolated variances.
        #expect(interpolator.evaluate(alpha: -0.5, mode: .reset).results[0].loss.isFinite)
    }
}
