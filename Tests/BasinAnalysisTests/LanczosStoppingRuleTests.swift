import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

@Suite("Early stopping of Lanczos and its Ritz-value history")
struct LanczosStoppingRuleTests {
    @Test("the history's last step is the final Ritz spectrum and step j has j values")
    func historyMatchesSpectrum() throws {
        var generator = SeededGenerator(seed: 41)
        var matrix = DenseSymmetricOperator(
            eigenvalues: separatedSpectrum(top: [9, 4], bottom: [-2], bulkCount: 37),
            generator: &generator)
        let lanczos = try LanczosDecomposition(
            of: &matrix, options: LanczosOptions(stepCount: 15), generator: &generator)
        let history = try lanczos.ritzValueHistory()
        #expect(history.map(\.count) == Array(1...15))
        expectClose(
            history.last ?? [], try lanczos.ritzSpectrum().ritzValues.map(\.value),
            absoluteTolerance: 1e-12)
    }

    @Test("without a rule the process runs every step; with one it stops when converged")
    func stopsWhenConverged() throws {
        var generator = SeededGenerator(seed: 42)
        var matrix = DenseSymmetricOperator(
            eigenvalues: separatedSpectrum(top: [30, 10], bottom: [], bulkCount: 58),
            generator: &generator)
        let start = KrylovVectors.gaussian(dimension: 60, generator: &generator)
        let full = try LanczosDecomposition(
            of: &matrix, startingVector: start, options: LanczosOptions(stepCount: 50))
        let stopped = try LanczosDecomposition(
            of: &matrix, startingVector: start, options: LanczosOptions(stepCount: 50),
            stoppingRule: LanczosStoppingRule(eigenvalueCount: 2, relativeTolerance: 1e-4))
        #expect(full.stepCount == 50 && !full.ritzValuesConverged)
        #expect(stopped.ritzValuesConverged && stopped.stepCount < 50)
        // The same recurrence up to the stop, so the same coefficients.
        expectClose(
            stopped.diagonal, Array(full.diagonal.prefix(stopped.stepCount)),
            absoluteTolerance: 1e-12)
        let top = try stopped.ritzSpectrum().largest(2)
        #expect(top.allSatisfy { ($0.relativeResidual ?? 1) <= 1e-4 })
        expectClose(top.map(\.value), [30, 10], absoluteTolerance: 0, relativeTolerance: 1e-4)
    }

    @Test(
        "the estimated error stops no later than the residual and meets the tolerance",
        arguments: [1e-2, 1e-3, 1e-4])
    func estimatedErrorMeasure(tolerance: Double) throws {
        var generator = SeededGenerator(seed: 43)
        var matrix = DenseSymmetricOperator(
            eigenvalues: separatedSpectrum(top: [30, 24], bottom: [-3], bulkCount: 77),
            generator: &generator)
        let start = KrylovVectors.gaussian(dimension: 80, generator: &generator)
        func run(_ measure: LanczosStoppingRule.ErrorMeasure) throws -> LanczosDecomposition {
            try LanczosDecomposition(
                of: &matrix, startingVector: start, options: LanczosOptions(stepCount: 60),
                stoppingRule: LanczosStoppingRule(
                    eigenvalueCount: 2, includesSmallest: true, relativeTolerance: tolerance,
                    errorMeasure: measure))
        }
        let strict = try run(.residual)
        let estimated = try run(.estimatedError)
        #expect(strict.ritzValuesConverged && estimated.ritzValuesConverged)
        #expect(estimated.stepCount <= strict.stepCount)
        let spectrum = try estimated.ritzSpectrum()
        expectClose(
            spectrum.largest(2).map(\.value), [30, 24], absoluteTolerance: 0,
            relativeTolerance: tolerance)
        expectClose(
            spectrum.smallest(1).map(\.value), [-3], absoluteTolerance: 0,
            relativeTolerance: tolerance)
    }
}
