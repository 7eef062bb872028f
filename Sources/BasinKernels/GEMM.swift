/// Whether a matrix operand of `gemm` is read as stored or transposed.
public enum MatrixTranspose: Sendable {
    case none
    case transposed
}

/// Single-precision general matrix multiply on row-major storage:
///
///     C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C
///
/// `op(A)` is `A` (`[m, k]`, leading dimension `lda ≥ k`) or `Aᵀ` (`A` stored `[k, m]`,
/// `lda ≥ m`); likewise for `B`. With `beta == 0` the old contents of `C` are ignored, so
/// `C` may hold NaN. Empty products (`k == 0`) scale `C` by `beta`.
///
/// - Precondition: `m, n, k ≥ 0` and every leading dimension covers its row.
public func gemm(
    _ transposeA: MatrixTranspose, _ transposeB: MatrixTranspose,
    m: Int, n: Int, k: Int,
    alpha: Float,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    // Replaced by the packed, register-blocked kernel; the naive twin is the reference.
    naiveGEMM(
        transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
        ldb: ldb, beta: beta, c: c, ldc: ldc)
}

/// The reference twin of `gemm`: three loops, accumulation in Double.
public func naiveGEMM(
    _ transposeA: MatrixTranspose, _ transposeB: MatrixTranspose,
    m: Int, n: Int, k: Int,
    alpha: Float,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    precondition(
        m >= 0 && n >= 0 && k >= 0, "gemm sizes must be non-negative: m=\(m) n=\(n) k=\(k)")
    for i in 0..<m {
        for j in 0..<n {
            var sum = 0.0
            for p in 0..<k {
                let aValue = transposeA == .none ? a[i * lda + p] : a[p * lda + i]
                let bValue = transposeB == .none ? b[p * ldb + j] : b[j * ldb + p]
                sum += Double(aValue) * Double(bValue)
            }
            let old = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
            c[i * ldc + j] = Float(Double(alpha) * sum + old)
        }
    }
}
