import BasinKernels
import BasinTestSupport
import Foundation
import Testing

@testable import BasinAnalysis

/// 50×50 with eigenvalues evenly spread over [−2, 5] (trace 75).
private func spreadMatrix(seed: UInt64) -> DenseSymmetricOperator {
    var generator = SeededGenerator(seed: seed)
    let spectrum = (0..<50).map { -2 + 7 * Double($0) / 49 }
    return DenseSymmetricOperator(eigenvalues: spectrum, generator: &generator)
}

/// √Var(zᵀHz) for Rademacher z: Var = 2(‖H‖_F² − Σ Hᵢᵢ²) (Hutchinson 1990).
private func rademacherStandardDeviation(_ matrix: DenseSymmetricOperator) -> Double {
    let n = matrix.dimension
    let diagonalSquares = (0..<n).reduce(0.0) {
        $0 + matrix.entries[$1 * n + $1] * matrix.entries[$1 * n + $1]
    }
    return (2 * (matrix.frobeniusNormSquared - diagonalSquares)).squareRoot()
}

@Suite("Hutchinson trace")
struct HutchinsonTraceTests {
    @Test("400 probes land within 3 standard errors, and the SE matches its closed form")
    func withinStatedError() throws {
        var matrix = CountingOperator(spreadMatrix(seed: 31))
        var generator = SeededGenerator(seed: 32)
        let options = HutchinsonOptions(
            maxProbeCount: 400, minProbeCount: 400, relativeStandardErrorTolerance: 0)
        let estimate = try HutchinsonTrace.estimate(
            of: &matrix, options: options, generator: &generator)
        #expect(estimate.probeCount == 400 && matrix.productCount == 400)
        #expect(estimate.stoppingReason == .maxProbeCount)
        let trueTrace = matrix.base.trace
        expectClose(trueTrace, 75, absoluteTolerance: 1e-10)
        #expect(
            abs(estimate.trace - trueTrace) < 3 * estimate.standardError,
            "estimate \(estimate.trace) ± \(estimate.standardError), true \(trueTrace)")
        let expectedError = rademacherStandardDeviation(matrix.base) / 20  // √400
        let ratio = estimate.standardError / expectedError
        #expect(ratio > 0.85 && ratio < 1.15, "SE \(estimate.standardError) vs \(expectedError)")
    }

    @Test("the standard error shrinks like 1/√probes")
    func standardErrorScaling() throws {
        var matrix = spreadMatrix(seed: 33)
        var generator = SeededGenerator(seed: 34)
        let options = HutchinsonOptions(
            maxProbeCount: 400, minProbeCount: 400, relativeStandardErrorTolerance: 0)
        let estimate = try HutchinsonTrace.estimate(
            of: &matrix, options: options, generator: &generator)
        let at100 = try #require(estimate.history[99].standardError)
        let at400 = try #require(estimate.history[399].standardError)
        #expect(at100 / at400 > 1.7 && at100 / at400 < 2.3, "SE \(at100) → \(at400)")
        // The history's running mean is the mean of its samples.
        let mean = estimate.history.map(\.sample).reduce(0, +) / 400
        expectClose(estimate.trace, mean, absoluteTolerance: 1e-9)
    }

    @Test("a diagonal matrix has zero variance: exact trace at the minimum probe count")
    func diagonalIsExact() throws {
        var diagonal = DiagonalOperator(diagonal: [3, -1, 0.5, 2, 7])
        var generator = SeededGenerator(seed: 35)
        let estimate = try HutchinsonTrace.estimate(of: &diagonal, generator: &generator)
        expectClose(estimate.trace, 11.5, absoluteTolerance: 1e-5)
        #expect(estimate.standardError < 1e-5)
        #expect(estimate.probeCount == 10 && estimate.stoppingReason == .standardErrorTolerance)
    }

    @Test("stops at the first probe past the minimum whose relative SE meets the tolerance")
    func stoppingRule() throws {
        var matrix = spreadMatrix(seed: 36)
        var generator = SeededGenerator(seed: 37)
        let options = HutchinsonOptions(
            maxProbeCount: 1000, minProbeCount: 10, relativeStandardErrorTolerance: 0.05)
        let estimate = try HutchinsonTrace.estimate(
            of: &matrix, options: options, generator: &generator)
        #expect(estimate.stoppingReason == .standardErrorTolerance)
        #expect(estimate.probeCount < 1000)
        let relative = estimate.history.map {
            ($0.standardError ?? .infinity) / abs($0.runningMean)
        }
        #expect(relative[estimate.probeCount - 1] <= 0.05)
        #expect(relative[9..<(estimate.probeCount - 1)].allSatisfy { $0 > 0.05 })
    }

    @Test("a negative trace stops exactly where its positive twin does")
    func negativeTrace() throws {
        // PyHessian's early test divided by the signed mean and stopped a negative trace
        // after two probes; the rule here depends on |mean| only.
        let positive = spreadMatrix(seed: 38)
        var negative = DenseSymmetricOperator(
            dimension: positive.dimension, entries: positive.entries.map { -$0 })
        var positiveCopy = positive
        let options = HutchinsonOptions(
            maxProbeCount: 1000, minProbeCount: 10, relativeStandardErrorTolerance: 0.05)
        var first = SeededGenerator(seed: 39)
        var second = SeededGenerator(seed: 39)
        let up = try HutchinsonTrace.estimate(
            of: &positiveCopy, options: options, generator: &first)
        let down = try HutchinsonTrace.estimate(of: &negative, options: options, generator: &second)
        #expect(up.probeCount == down.probeCount && up.probeCount > 10)
        expectClose(down.trace, -up.trace, absoluteTolerance: 1e-9)
    }

    @Test("bad options are errors")
    func badOptions() {
        var diagonal = DiagonalOperator(diagonal: [1, 2])
        var generator = SeededGenerator(seed: 40)
        #expect(throws: CurvatureError.self) {
            try HutchinsonTrace.estimate(
                of: &diagonal, options: HutchinsonOptions(maxProbeCount: 5, minProbeCount: 10),
                generator: &generator)
        }
        #expect(throws: CurvatureError.self) {
            try HutchinsonTrace.estimate(
                of: &diagonal, options: HutchinsonOptions(minProbeCount: 1), generator: &generator)
        }
    }

    @Test("the estimate and a power-iteration result survive a JSON round trip")
    func codable() throws {
        var diagonal = DiagonalOperator(diagonal: [1, -2, 4, 8])
        var generator = SeededGenerator(seed: 41)
        let trace = try HutchinsonTrace.estimate(of: &diagonal, generator: &generator)
        let traceData = try JSONEncoder().encode(trace)
        #expect(try JSONDecoder().decode(TraceEstimate.self, from: traceData) == trace)
        let power = try PowerIteration.dominantEigenpairs(of: &diagonal, generator: &generator)
        let powerData = try JSONEncoder().encode(power.estimates)
        #expect(
            try JSONDecoder().decode([EigenvalueEstimate].self, from: powerData) == power.estimates)
    }

    @Test("per-block traces add up to the total and match the blocks' true traces")
    func blockTraces() throws {
        var matrix = spreadMatrix(seed: 48)
        var generator = SeededGenerator(seed: 49)
        let blocks = [
            ParameterBlock(name: "first", range: 0..<20),
            ParameterBlock(name: "second", range: 20..<50),
        ]
        let options = HutchinsonOptions(
            maxProbeCount: 400, minProbeCount: 400, relativeStandardErrorTolerance: 0)
        let estimate = try HutchinsonTrace.estimate(
            of: &matrix, options: options, blocks: blocks, generator: &generator)
        #expect(estimate.blockTraces.map(\.block) == blocks)
        expectClose(
            estimate.blockTraces[0].trace + estimate.blockTraces[1].trace, estimate.trace,
            absoluteTolerance: 1e-9)
        for blockTrace in estimate.blockTraces {
            let truth = blockTrace.block.range.reduce(0.0) {
                $0 + matrix.entries[$1 * 50 + $1]
            }
            let message =
                "\(blockTrace.block.name): \(blockTrace.trace) ± \(blockTrace.standardError), "
                + "true \(truth)"
            #expect(
                abs(blockTrace.trace - truth) < 3 * blockTrace.standardError, "\(message)")
        }
    }
}
