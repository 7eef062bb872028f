import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

/// The dense form of the tridiagonal matrix with the given diagonals.
func denseTridiagonal(_ diagonal: [Double], _ offDiagonal: [Double]) -> [Double] {
    let n = diagonal.count
    var matrix = [Double](repeating: 0, count: n * n)
    for i in 0..<n { matrix[i * n + i] = diagonal[i] }
    for i in 0..<(n - 1) {
        matrix[i * n + i + 1] = offDiagonal[i]
        matrix[(i + 1) * n + i] = offDiagonal[i]
    }
    return matrix
}

/// max over j of ‖T·zⱼ − λⱼ·zⱼ‖ and max |ZᵀZ − I|.
private func residualAndOrthogonality(
    _ decomposition: SymmetricEigendecomposition, matrix: [Double]
) -> (residual: Double, orthogonality: Double) {
    let n = decomposition.dimension
    var residual = 0.0
    var orthogonality = 0.0
    for j in 0..<n {
        let z = decomposition.eigenvector(j)
        var squared = 0.0
        for row in 0..<n {
            var sum = -decomposition.eigenvalues[j] * z[row]
            for column in 0..<n { sum += matrix[row * n + column] * z[column] }
            squared += sum * sum
        }
        residual = max(residual, squared.squareRoot())
        for k in 0..<n {
            let other = decomposition.eigenvector(k)
            let product = zip(z, other).reduce(0) { $0 + $1.0 * $1.1 }
            orthogonality = max(orthogonality, abs(product - (j == k ? 1 : 0)))
        }
    }
    return (residual, orthogonality)
}

@Suite("Symmetric tridiagonal eigensolver")
struct SymmetricTridiagonalEigensolverTests {
    @Test("agrees with the Jacobi twin on random tridiagonal matrices", arguments: [1, 2, 5, 37])
    func matchesJacobi(dimension: Int) throws {
        var generator = SeededGenerator(seed: UInt64(dimension))
        let diagonal = (0..<dimension).map { _ in generator.nextGaussian() * 3 }
        let offDiagonal = (0..<(dimension - 1)).map { _ in generator.nextGaussian() }
        let matrix = denseTridiagonal(diagonal, offDiagonal)
        let fast = try symmetricTridiagonalEigendecomposition(
            diagonal: diagonal, offDiagonal: offDiagonal)
        let twin = jacobiEigendecomposition(matrix: matrix, dimension: dimension)
        // Both are backward stable: errors of a few ε·‖T‖, ‖T‖ ≲ 15 here.
        expectClose(fast.eigenvalues, twin.eigenvalues, absoluteTolerance: 1e-12)

        // Eigenvectors: signs are arbitrary, so compare squared first components (the SLQ
        // weights) and check each decomposition on its own.
        let fastWeights = (0..<dimension).map { squared(fast.component(0, ofEigenvector: $0)) }
        let twinWeights = (0..<dimension).map { squared(twin.component(0, ofEigenvector: $0)) }
        expectClose(fastWeights, twinWeights, absoluteTolerance: 1e-10)
        let (residual, orthogonality) = residualAndOrthogonality(fast, matrix: matrix)
        #expect(residual < 1e-12, "residual \(residual)")
        #expect(orthogonality < 1e-13, "orthogonality \(orthogonality)")
    }

    @Test("resolves the close pairs of the Wilkinson matrix W21+")
    func wilkinsonMatrix() throws {
        // W21+: diagonal |10 − i|, i = 0…20, off-diagonal 1. Its largest eigenvalues come in
        // pairs that agree to about 1e-14 (Wilkinson, The Algebraic Eigenvalue Problem).
        let diagonal = (0...20).map { Double(abs(10 - $0)) }
        let offDiagonal = [Double](repeating: 1, count: 20)
        let matrix = denseTridiagonal(diagonal, offDiagonal)
        let fast = try symmetricTridiagonalEigendecomposition(
            diagonal: diagonal, offDiagonal: offDiagonal)
        let twin = jacobiEigendecomposition(matrix: matrix, dimension: 21)
        expectClose(fast.eigenvalues, twin.eigenvalues, absoluteTolerance: 1e-12)
        #expect(abs(fast.eigenvalues[20] - fast.eigenvalues[19]) < 1e-12)
        #expect(fast.eigenvalues[20] > 10.7 && fast.eigenvalues[20] < 10.8)
        let (residual, orthogonality) = residualAndOrthogonality(fast, matrix: matrix)
        #expect(residual < 1e-12 && orthogonality < 1e-12, "\(residual), \(orthogonality)")
    }

    @Test("returns a diagonal matrix's entries sorted, with permuted unit vectors")
    func alreadyDiagonal() throws {
        let fast = try symmetricTridiagonalEigendecomposition(
            diagonal: [3, -1, 2, 0], offDiagonal: [0, 0, 0])
        expectClose(fast.eigenvalues, [-1, 0, 2, 3], absoluteTolerance: 0)
        // −1 sits at row 1, so its eigenvector is e₁; 3 sits at row 0.
        #expect(abs(fast.component(1, ofEigenvector: 0)) == 1)
        #expect(abs(fast.component(0, ofEigenvector: 3)) == 1)
    }

    @Test("gives the closed form of a 2×2 block")
    func twoByTwo() throws {
        // [[a, b], [b, c]] has eigenvalues (a + c)/2 ± √(((a − c)/2)² + b²).
        let (a, b, c) = (2.0, 3.0, -1.0)
        let radius = (((a - c) / 2) * ((a - c) / 2) + b * b).squareRoot()
        let fast = try symmetricTridiagonalEigendecomposition(diagonal: [a, c], offDiagonal: [b])
        expectClose(
            fast.eigenvalues, [(a + c) / 2 - radius, (a + c) / 2 + radius],
            absoluteTolerance: 1e-14)
    }
}

func squared(_ x: Double) -> Double { x * x }
