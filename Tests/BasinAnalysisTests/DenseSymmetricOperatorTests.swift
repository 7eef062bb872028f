import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

@Suite("Dense symmetric test operator")
struct DenseSymmetricOperatorTests {
    @Test("the random orthogonal factor is orthogonal", arguments: [1, 3, 17])
    func orthogonalFactor(dimension: Int) {
        var generator = SeededGenerator(seed: 5)
        let q = DenseSymmetricOperator.randomOrthogonalMatrix(
            dimension: dimension, generator: &generator)
        var worst = 0.0
        for i in 0..<dimension {
            for j in 0..<dimension {
                var dot = 0.0
                for k in 0..<dimension { dot += q[k * dimension + i] * q[k * dimension + j] }
                worst = max(worst, abs(dot - (i == j ? 1 : 0)))
            }
        }
        #expect(worst < 1e-13, "max |QᵀQ − I| = \(worst)")
    }

    @Test("Q·diag(λ)·Qᵀ has trace Σλ and squared Frobenius norm Σλ²")
    func invariants() {
        var generator = SeededGenerator(seed: 6)
        let spectrum = [3.0, -2, 0.5, 0, 7]
        let matrix = DenseSymmetricOperator(eigenvalues: spectrum, generator: &generator)
        expectClose(matrix.trace, 8.5, absoluteTolerance: 1e-12)
        expectClose(matrix.frobeniusNormSquared, 9 + 4 + 0.25 + 49, absoluteTolerance: 1e-12)
        // Not diagonal: a random rotation mixes the coordinates.
        #expect(abs(matrix.entries[1]) > 1e-3)
    }

    @Test("applies the matrix to a vector")
    func product() throws {
        var matrix = DenseSymmetricOperator(dimension: 2, entries: [2, 1, 1, -3])
        var result: [Float] = [0, 0]
        try matrix.apply([1, 2], into: &result)
        expectClose(result, [4, -5], absoluteTolerance: 0)
    }
}
