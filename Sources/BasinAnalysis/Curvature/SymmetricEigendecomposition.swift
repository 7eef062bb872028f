/// Eigenvalues and orthonormal eigenvectors of a small symmetric matrix, in Double.
///
/// `eigenvalues` are ascending; `eigenvectors` is `[dimension, dimension]`, row-major, and
/// column j is the unit eigenvector of `eigenvalues[j]` (its sign is arbitrary).
public struct SymmetricEigendecomposition: Equatable, Sendable {
    public let dimension: Int
    public var eigenvalues: [Double]
    public var eigenvectors: [Double]

    /// Component `row` of eigenvector `column`.
    public func component(_ row: Int, ofEigenvector column: Int) -> Double {
        eigenvectors[row * dimension + column]
    }

    /// Eigenvector `column` as an array.
    public func eigenvector(_ column: Int) -> [Double] {
        (0..<dimension).map { eigenvectors[$0 * dimension + column] }
    }

    /// Sorts eigenvalues ascending and permutes eigenvector columns to match.
    mutating func sortAscending() {
        let order = eigenvalues.indices.sorted { eigenvalues[$0] < eigenvalues[$1] }
        let vectors = eigenvectors
        eigenvalues = order.map { eigenvalues[$0] }
        for (newColumn, oldColumn) in order.enumerated() {
            for row in 0..<dimension {
                eigenvectors[row * dimension + newColumn] = vectors[row * dimension + oldColumn]
            }
        }
    }
}

/// The cyclic Jacobi eigenvalue method on a dense symmetric matrix: the slow, simple twin
/// against which the tridiagonal QL solver is tested.
///
/// Each rotation J in the (p, q) plane zeroes A_pq: with θ = (A_qq − A_pp)/(2A_pq) the
/// tangent t = sign(θ)/(|θ| + √(θ² + 1)) solves t² + 2θt − 1 = 0, the condition for
/// (JᵀAJ)_pq = 0, and is the smaller root, so the rotation angle is at most π/4 and the
/// sweeps converge quadratically (Golub & Van Loan, §8.5). Sweeps stop when the
/// off-diagonal mass is below 1e-30 of the total squared Frobenius norm or after 100 sweeps.
///
/// - Parameter matrix: `[dimension, dimension]`, row-major, symmetric.
/// - Precondition: `matrix.count == dimension²`, `dimension ≥ 1`.
public func jacobiEigendecomposition(matrix: [Double], dimension: Int)
    -> SymmetricEigendecomposition
{
    precondition(
        dimension >= 1 && matrix.count == dimension * dimension,
        "jacobiEigendecomposition: \(matrix.count) entries for dimension \(dimension)")
    let n = dimension
    var a = matrix
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    let totalMass = a.reduce(0) { $0 + $1 * $1 }

    for _ in 0..<100 {
        var offDiagonalMass = 0.0
        for p in 0..<n {
            for q in 0..<n where q != p { offDiagonalMass += a[p * n + q] * a[p * n + q] }
        }
        if offDiagonalMass <= 1e-30 * totalMass { break }

        for p in 0..<(n - 1) {
            for q in (p + 1)..<n where a[p * n + q] != 0 {
                let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot()
                let s = t * c
                // A ← A·J, then A ← Jᵀ·A, V ← V·J.
                for k in 0..<n {
                    let (kp, kq) = (a[k * n + p], a[k * n + q])
                    a[k * n + p] = c * kp - s * kq
                    a[k * n + q] = s * kp + c * kq
                }
                for k in 0..<n {
                    let (pk, qk) = (a[p * n + k], a[q * n + k])
                    a[p * n + k] = c * pk - s * qk
                    a[q * n + k] = s * pk + c * qk
                }
                for k in 0..<n {
                    let (kp, kq) = (v[k * n + p], v[k * n + q])
                    v[k * n + p] = c * kp - s * kq
                    v[k * n + q] = s * kp + c * kq
                }
            }
        }
    }
    var result = SymmetricEigendecomposition(
        dimension: n, eigenvalues: (0..<n).map { a[$0 * n + $0] }, eigenvectors: v)
    result.sortAscending()
    return result
}
