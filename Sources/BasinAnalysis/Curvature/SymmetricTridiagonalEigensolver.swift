import Foundation

/// Eigenvalues and eigenvectors of a symmetric tridiagonal matrix T by the implicit QL
/// algorithm with Wilkinson shifts (Bowdler, Martin, Reinsch & Wilkinson 1968, "The QR and
/// QL algorithms for symmetric matrices", Numer. Math. 11:293–306), in Double.
///
/// T has `diagonal` α₀…α_{n−1} and `offDiagonal` β₀…β_{n−2}, βᵢ = T_{i,i+1} = T_{i+1,i}. It
/// is the Ritz-value solver of Lanczos and stochastic Lanczos quadrature, which need the
/// eigenvectors' first and last components; a general (non-symmetric) solver there gives
/// complex or misordered results (PyHessian's density weights were wrong for a year that
/// way).
///
/// Each QL sweep on the unreduced block l…m applies plane rotations from the bottom up,
/// chasing the bulge created by the shift μ toward the top; it is mathematically one step
/// of T − μI = QL, T ← LQ + μI. The shift is the eigenvalue of the 2×2 block at the top
/// of the block that is closer to α_l, which gives cubic convergence in practice. An
/// off-diagonal βᵢ is set to zero (the matrix splits) when |βᵢ| ≤ ε·(|αᵢ| + |αᵢ₊₁|),
/// ε = 2⁻⁵², so eigenvalues carry an absolute error of order ε·‖T‖.
///
/// - Returns: eigenvalues ascending; eigenvector columns orthonormal to rounding.
/// - Throws: `CurvatureError.tridiagonalSolverDidNotConverge` if one eigenvalue takes more
///   than 30 sweeps (LAPACK's limit; not seen on finite input).
/// - Precondition: `diagonal` is non-empty, `offDiagonal.count == diagonal.count − 1`, all
///   entries finite.
public func symmetricTridiagonalEigendecomposition(diagonal: [Double], offDiagonal: [Double])
    throws -> SymmetricEigendecomposition
{
    let n = diagonal.count
    precondition(
        n >= 1 && offDiagonal.count == n - 1,
        "tridiagonal eigensolver: \(n) diagonal and \(offDiagonal.count) off-diagonal entries")
    precondition(
        diagonal.allSatisfy(\.isFinite) && offDiagonal.allSatisfy(\.isFinite),
        "tridiagonal eigensolver: non-finite entries in \(diagonal) / \(offDiagonal)")
    let sweepLimit = 30
    var d = diagonal
    var e = offDiagonal + [0]  // e[i] couples rows i and i + 1; e[n − 1] is a sentinel
    var z = [Double](repeating: 0, count: n * n)
    for i in 0..<n { z[i * n + i] = 1 }

    for l in 0..<n {
        var sweeps = 0
        while true {
            // The unreduced block starting at l ends at the first negligible e[m].
            var m = l
            while m < n - 1, abs(e[m]) > Double.ulpOfOne * (abs(d[m]) + abs(d[m + 1])) {
                m += 1
            }
            if m == l { break }  // d[l] is an eigenvalue
            sweeps += 1
            if sweeps > sweepLimit {
                throw CurvatureError.tridiagonalSolverDidNotConverge(
                    index: l, dimension: n, iterationLimit: sweepLimit)
            }

            // Wilkinson shift: the eigenvalue of [[d_l, e_l], [e_l, d_{l+1}]] nearer d_l,
            // written as d_l − e_l/(g ± √(g² + 1)) with g = (d_{l+1} − d_l)/(2e_l) to avoid
            // cancellation; g below starts as d_m minus that shift.
            var g = (d[l + 1] - d[l]) / (2 * e[l])
            var r = hypot(g, 1)
            g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r))
            var sine = 1.0
            var cosine = 1.0
            var p = 0.0
            var splitEarly = false

            // Rotations in planes (i, i + 1), i = m − 1 down to l, chasing the bulge.
            var i = m - 1
            while i >= l {
                let f = sine * e[i]
                let b = cosine * e[i]
                r = hypot(f, g)
                e[i + 1] = r
                if r == 0 {
                    // The rotation degenerates: T splits at i + 1. Undo the pending shift
                    // correction and start the block again.
                    d[i + 1] -= p
                    e[m] = 0
                    splitEarly = true
                    break
                }
                sine = f / r
                cosine = g / r
                g = d[i + 1] - p
                r = (d[i] - g) * sine + 2 * cosine * b
                p = sine * r
                d[i + 1] = g + p
                g = cosine * r - b
                for k in 0..<n {
                    let upper = z[k * n + i]
                    let lower = z[k * n + i + 1]
                    z[k * n + i + 1] = sine * upper + cosine * lower
                    z[k * n + i] = cosine * upper - sine * lower
                }
                i -= 1
            }
            if splitEarly { continue }
            d[l] -= p
            e[l] = g
            e[m] = 0
        }
    }

    var result = SymmetricEigendecomposition(dimension: n, eigenvalues: d, eigenvectors: z)
    result.sortAscending()
    return result
}
