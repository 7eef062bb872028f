import BasinKernels
import BasinTestSupport
import Foundation
import Testing

@testable import BasinAnalysis

/// Σ of density·spacing over the grid points in [low, high] (trapezoid).
private func mass(_ estimate: SpectralDensityEstimate, from low: Double, to high: Double)
    -> Double
{
    var sum = 0.0
    for index in 1..<estimate.grid.count
    where estimate.grid[index - 1] >= low && estimate.grid[index] <= high {
        sum +=
            (estimate.density[index] + estimate.density[index - 1]) / 2
            * (estimate.grid[index] - estimate.grid[index - 1])
    }
    return sum
}

@Suite("Stochastic Lanczos quadrature")
struct SpectralDensityTests {
    @Test("three clusters give peaks at the clusters with masses 1/6, 1/3, 1/2 and total 1")
    func clusteredSpectrum() throws {
        // 10 eigenvalues within ±0.05 of −1, 20 of 2, 30 of 6.
        var generator = SeededGenerator(seed: 41)
        let clusters: [(center: Double, count: Int)] = [(-1, 10), (2, 20), (6, 30)]
        let spectrum = clusters.flatMap { cluster in
            (0..<cluster.count).map {
                cluster.center - 0.05 + 0.1 * Double($0) / Double(cluster.count - 1)
            }
        }
        var matrix = CountingOperator(
            DenseSymmetricOperator(eigenvalues: spectrum, generator: &generator))
        let options = SpectralDensityOptions(lanczosStepCount: 20, probeCount: 10)
        let estimate = try SpectralDensity.estimate(
            of: &matrix, options: options, generator: &generator)

        #expect(estimate.operatorApplicationCount == matrix.productCount)
        #expect(estimate.quadratureRules.count == 10)
        for rule in estimate.quadratureRules {
            expectClose(rule.weights.reduce(0, +), 1, absoluteTolerance: 1e-12)
        }
        // The kernel is resolved by the grid, so the raw integral is already 1.
        expectClose(estimate.integralBeforeNormalisation, 1, absoluteTolerance: 1e-3)
        expectClose(
            SpectralDensity.trapezoidIntegral(estimate.density, grid: estimate.grid), 1,
            absoluteTolerance: 1e-12)
        // σ² = 1e-5·(θ_max − θ_min) ≈ 7.1e-5.
        #expect(estimate.kernelVariance > 6.9e-5 && estimate.kernelVariance < 7.2e-5)

        // Masses near each cluster (sampling error of 10 probes is a few percent) and
        // the highest point of each window inside its cluster.
        for (center, count) in clusters {
            let clusterMass = mass(estimate, from: center - 0.3, to: center + 0.3)
            expectClose(
                clusterMass, Double(count) / 60, absoluteTolerance: 0.06, "mass at \(center)")
            let window = estimate.grid.indices.filter { abs(estimate.grid[$0] - center) < 0.3 }
            let peak = window.max { estimate.density[$0] < estimate.density[$1] }!
            #expect(abs(estimate.grid[peak] - center) < 0.06, "peak at \(estimate.grid[peak])")
        }
        let outside =
            1 - clusters.reduce(0) { $0 + mass(estimate, from: $1.0 - 0.3, to: $1.0 + 0.3) }
        #expect(abs(outside) < 1e-3, "mass outside the clusters \(outside)")
    }

    @Test("its trace estimate is the Hutchinson estimate of the same probes")
    func traceMatchesHutchinson() throws {
        // A normalised Rademacher start z/√n gives Σᵢ τᵢθᵢ = zᵀHz/n, so n·Σ τθ is
        // Hutchinson's sample for the same z; both draw their probes in the same order.
        var generator = SeededGenerator(seed: 42)
        var matrix = DenseSymmetricOperator(
            eigenvalues: (0..<30).map { sin(Double($0)) * 3 + 1 }, generator: &generator)
        var first = SeededGenerator(seed: 43)
        var second = SeededGenerator(seed: 43)
        let density = try SpectralDensity.estimate(
            of: &matrix, options: SpectralDensityOptions(lanczosStepCount: 15, probeCount: 7),
            generator: &first)
        let trace = try HutchinsonTrace.estimate(
            of: &matrix,
            options: HutchinsonOptions(
                maxProbeCount: 7, minProbeCount: 7, relativeStandardErrorTolerance: 0),
            generator: &second)
        expectClose(density.traceEstimate, trace.trace, absoluteTolerance: 1e-4)
    }

    @Test("three distinct eigenvalues: breakdown after three steps with exact weights")
    func exactQuadrature() throws {
        // diag(1, 1, 1, 2, 2, 5) and a Rademacher start: each coordinate carries weight 1/6.
        var diagonal = DiagonalOperator(diagonal: [1, 1, 1, 2, 2, 5])
        var generator = SeededGenerator(seed: 44)
        let estimate = try SpectralDensity.estimate(
            of: &diagonal, options: SpectralDensityOptions(gridPointCount: 2001),
            generator: &generator)
        let rule = estimate.quadratureRules[0]
        #expect(rule.invariantSubspaceFound && rule.stepCount == 3)
        expectClose(rule.nodes, [1, 2, 5], absoluteTolerance: 1e-5)
        expectClose(rule.weights, [0.5, 1.0 / 3, 1.0 / 6], absoluteTolerance: 1e-5)
        expectClose(estimate.traceEstimate, 12, absoluteTolerance: 1e-4)
        // σ² = 1e-5·max(1, 5 − 1); the grid spans the nodes plus 5σ each side.
        expectClose(estimate.kernelVariance, 4e-5, absoluteTolerance: 1e-9)
        let sigma = (4e-5).squareRoot()
        expectClose(estimate.grid.first!, 1 - 5 * sigma, absoluteTolerance: 1e-6)
        expectClose(estimate.grid.last!, 5 + 5 * sigma, absoluteTolerance: 1e-6)
        #expect(estimate.grid.count == 2001)
    }

    @Test("a narrow spectrum uses the floor of 1 in the kernel width")
    func narrowSpectrum() throws {
        var diagonal = DiagonalOperator(diagonal: [0.1, 0.2, 0.3])
        var generator = SeededGenerator(seed: 45)
        let estimate = try SpectralDensity.estimate(of: &diagonal, generator: &generator)
        expectClose(estimate.kernelVariance, 1e-5, absoluteTolerance: 1e-15)
    }

    @Test("one node gives the normal density of variance σ²")
    func kernelShape() {
        let rule = QuadratureRule(
            nodes: [2], weights: [1], stepCount: 1, invariantSubspaceFound: true)
        let variance = 0.25
        let values = SpectralDensity.smoothedDensity(
            at: [2, 2.5], rules: [rule], kernelVariance: variance)
        let peak = 1 / (2 * Double.pi * variance).squareRoot()
        expectClose(values, [peak, peak * exp(-0.5)], absoluteTolerance: 1e-14)
    }

    @Test("bad options are errors")
    func badOptions() {
        var diagonal = DiagonalOperator(diagonal: [1, 2])
        var generator = SeededGenerator(seed: 46)
        #expect(throws: CurvatureError.self) {
            try SpectralDensity.estimate(
                of: &diagonal, options: SpectralDensityOptions(probeCount: 0),
                generator: &generator)
        }
        #expect(throws: CurvatureError.self) {
            try SpectralDensity.estimate(
                of: &diagonal, options: SpectralDensityOptions(gridPointCount: 1),
                generator: &generator)
        }
    }

    @Test("the estimate survives a JSON round trip")
    func codable() throws {
        var diagonal = DiagonalOperator(diagonal: [1, 2, 4, 8])
        var generator = SeededGenerator(seed: 47)
        let estimate = try SpectralDensity.estimate(
            of: &diagonal, options: SpectralDensityOptions(gridPointCount: 50),
            generator: &generator)
        let data = try JSONEncoder().encode(estimate)
        #expect(try JSONDecoder().decode(SpectralDensityEstimate.self, from: data) == estimate)
    }
}
