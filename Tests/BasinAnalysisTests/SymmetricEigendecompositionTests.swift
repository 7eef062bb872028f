import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

@Suite("Jacobi eigendecomposition (the naive twin)")
struct SymmetricEigendecompositionTests {
    @Test("recovers a prescribed spectrum, repeated eigenvalue included")
    func knownSpectrum() {
        var generator = SeededGenerator(seed: 11)
        let spectrum = [-4.0, -1, 0, 0.5, 2, 2, 7, 9]
        let matrix = DenseSymmetricOperator(eigenvalues: spectrum, generator: &generator)
        let twin = jacobiEigendecomposition(matrix: matrix.entries, dimension: 8)
        expectClose(twin.eigenvalues, spectrum, absoluteTolerance: 1e-12)
    }

    @Test("sorts eigenvalues ascending and keeps each eigenvector with its value")
    func sortKeepsPairs() {
        // [[2, 1], [1, 2]] has eigenvalue 1 with (1, −1)/√2 and 3 with (1, 1)/√2.
        let twin = jacobiEigendecomposition(matrix: [2, 1, 1, 2], dimension: 2)
        expectClose(twin.eigenvalues, [1, 3], absoluteTolerance: 1e-15)
        let low = twin.eigenvector(0)
        let high = twin.eigenvector(1)
        expectClose(low[0] * low[1], -0.5, absoluteTolerance: 1e-15)
        expectClose(high[0] * high[1], 0.5, absoluteTolerance: 1e-15)
    }
}
