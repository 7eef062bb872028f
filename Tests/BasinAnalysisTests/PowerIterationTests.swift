import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

/// 40×40, eigenvalues 10, 7, 5 and −4 around a bulk of 36 values in [−1, 1].
private func separatedMatrix(seed: UInt64 = 1) -> DenseSymmetricOperator {
    var generator = SeededGenerator(seed: seed)
    return DenseSymmetricOperator(
        eigenvalues: separatedSpectrum(top: [10, 7, 5], bottom: [-4], bulkCount: 36),
        generator: &generator)
}

@Suite("Power iteration")
struct PowerIterationTests {
    @Test("finds the top three eigenvalues with deflation, with honest residuals")
    func topThree() throws {
        var matrix = CountingOperator(separatedMatrix())
        var generator = SeededGenerator(seed: 2)
        let result = try PowerIteration.dominantEigenpairs(
            of: &matrix, count: 3,
            options: PowerIterationOptions(maxIterationCount: 500, relativeTolerance: 1e-6),
            generator: &generator)
        expectClose(
            result.estimates.map(\.eigenvalue), [10, 7, 5], absoluteTolerance: 0,
            relativeTolerance: 1e-4)
        let allConverged = result.estimates.allSatisfy(\.converged)
        #expect(allConverged)
        #expect(result.operatorApplicationCount == matrix.productCount)
        for (estimate, vector) in zip(result.estimates, result.eigenvectors) {
            // The reported residual is the one a dense Double computation finds.
            let independent = denseRelativeResidual(matrix.base, vector, estimate.eigenvalue)
            let reported = try #require(estimate.relativeResidual)
            #expect(abs(independent - reported) < 1e-5 + 0.05 * independent)
            #expect(reported < 1e-2, "residual \(reported)")
            #expect(estimate.rayleighQuotientHistory.count == estimate.iterationCount)
            #expect(estimate.rayleighQuotientHistory.last == estimate.eigenvalue)
        }
        // Deflation keeps the eigenvectors orthonormal.
        for i in 0..<3 {
            for j in 0..<3 {
                let dot = Vector.dot(result.eigenvectors[i], result.eigenvectors[j])
                expectClose(dot, i == j ? 1 : 0, absoluteTolerance: 1e-5)
            }
        }
    }

    @Test("PyHessian's defaults (100 iterations, tolerance 1e-3) give λ_max within 1%")
    func defaults() throws {
        var matrix = separatedMatrix(seed: 3)
        var generator = SeededGenerator(seed: 4)
        let result = try PowerIteration.dominantEigenpairs(of: &matrix, generator: &generator)
        let estimate = result.estimates[0]
        #expect(estimate.converged && estimate.iterationCount < 100)
        expectClose(estimate.eigenvalue, 10, absoluteTolerance: 0, relativeTolerance: 1e-2)
        // The stopping rule held at the end and not one step earlier.
        let history = estimate.rayleighQuotientHistory
        let n = history.count
        #expect(abs(history[n - 1] - history[n - 2]) / abs(history[n - 1]) < 1e-3)
        #expect(n < 3 || abs(history[n - 2] - history[n - 3]) / abs(history[n - 2]) >= 1e-3)
    }

    @Test("the dominant eigenvalue is the largest in magnitude, which may be negative")
    func negativeDominant() throws {
        var generator = SeededGenerator(seed: 5)
        var matrix = DenseSymmetricOperator(
            eigenvalues: separatedSpectrum(top: [3], bottom: [-8], bulkCount: 20),
            generator: &generator)
        let result = try PowerIteration.dominantEigenpairs(
            of: &matrix,
            options: PowerIterationOptions(maxIterationCount: 300, relativeTolerance: 1e-7),
            generator: &generator)
        expectClose(result.estimates[0].eigenvalue, -8, absoluteTolerance: 1e-3)
    }

    @Test("the most negative eigenvalue by iterating on H − λ_max·I")
    func mostNegative() throws {
        var matrix = CountingOperator(separatedMatrix(seed: 6))
        var generator = SeededGenerator(seed: 7)
        let options = PowerIterationOptions(maxIterationCount: 1000, relativeTolerance: 1e-7)
        let result = try PowerIteration.smallestEigenpair(
            of: &matrix, options: options, generator: &generator)
        let estimate = result.estimates[0]
        expectClose(estimate.eigenvalue, -4, absoluteTolerance: 1e-3)
        expectClose(estimate.shift ?? 0, 10, absoluteTolerance: 1e-3)
        #expect(estimate.converged)
        #expect(result.operatorApplicationCount == matrix.productCount)
        let independent = denseRelativeResidual(matrix.base, result.eigenvectors[0], -4)
        #expect(independent < 1e-2)
        // Its history is in unshifted terms and ends at the estimate.
        #expect(estimate.rayleighQuotientHistory.last == estimate.eigenvalue)
    }

    @Test("the smallest eigenvalue is the dominant one when that is negative")
    func smallestWhenDominantNegative() throws {
        var generator = SeededGenerator(seed: 8)
        var matrix = DenseSymmetricOperator(
            eigenvalues: separatedSpectrum(top: [3], bottom: [-8], bulkCount: 20),
            generator: &generator)
        let result = try PowerIteration.smallestEigenpair(
            of: &matrix,
            options: PowerIterationOptions(maxIterationCount: 300, relativeTolerance: 1e-7),
            generator: &generator)
        expectClose(result.estimates[0].eigenvalue, -8, absoluteTolerance: 1e-3)
        #expect(result.estimates[0].shift == nil)
    }

    @Test("the zero operator gives eigenvalue 0 with no relative residual")
    func zeroOperator() throws {
        var zero = DiagonalOperator(diagonal: [0, 0, 0])
        var generator = SeededGenerator(seed: 9)
        let result = try PowerIteration.dominantEigenpairs(of: &zero, generator: &generator)
        #expect(result.estimates[0].eigenvalue == 0)
        #expect(result.estimates[0].relativeResidual == nil)
        #expect(result.estimates[0].converged && result.estimates[0].iterationCount == 1)
    }

    @Test("bad options and a diverged operator are errors, not crashes")
    func errors() {
        var generator = SeededGenerator(seed: 10)
        var diagonal = DiagonalOperator(diagonal: [1, 2])
        #expect(throws: CurvatureError.self) {
            try PowerIteration.dominantEigenpairs(of: &diagonal, count: 3, generator: &generator)
        }
        #expect(throws: CurvatureError.self) {
            try PowerIteration.dominantEigenpairs(
                of: &diagonal, options: PowerIterationOptions(maxIterationCount: 0),
                generator: &generator)
        }
        var failing = FailingOperator(dimension: 5, failingProduct: 3)
        #expect(throws: CurvatureError.nonFiniteProduct(algorithm: "power iteration", step: 3)) {
            try PowerIteration.dominantEigenpairs(of: &failing, generator: &generator)
        }
    }
}
