// Single-precision matrix multiply with the loop structure of Goto and van de Geijn,
// "Anatomy of high-performance matrix multiplication" (ACM TOMS 34(3), 2008): C is swept
// in blocks of NC columns and KC depths whose slice of op(B) is packed once, then in
// blocks of MC rows whose slice of op(A) is packed, and each pair of packed panels
// feeds the register tile of GEMMMicrokernel.swift. Packing absorbs the transposes
// and leading dimensions; tiles that C cuts short are computed whole in scratch and
// copied, so odd shapes round exactly like interior ones.

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
/// `C` may hold NaN. Empty products (`k == 0`) scale `C` by `beta`. Unlike reference BLAS,
/// `alpha == 0` still reads A and B, so a NaN or infinity there gives NaN.
///
/// Runs on `Parallelism.threadCount` threads. Each element of C is computed by one
/// thread with a fixed order of summation, so the result is bit-identical for every
/// thread count (it differs from `naiveGEMM`, which sums in Double, by rounding only).
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
    gemm(
        transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
        ldb: ldb, beta: beta, c: c, ldc: ldc, threadCount: Parallelism.threadCount)
}

/// `gemm` on at most `threadCount` threads; kernels that already run inside a worker
/// pass 1. The result does not depend on `threadCount`.
public func gemm(
    _ transposeA: MatrixTranspose, _ transposeB: MatrixTranspose,
    m: Int, n: Int, k: Int,
    alpha: Float,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    threadCount: Int
) {
    precondition(
        m >= 0 && n >= 0 && k >= 0, "gemm sizes must be non-negative: m=\(m) n=\(n) k=\(k)")
    precondition(
        lda >= (transposeA == .none ? k : m) && ldb >= (transposeB == .none ? n : k)
            && ldc >= n,
        "gemm leading dimensions too small: m=\(m) n=\(n) k=\(k) lda=\(lda) ldb=\(ldb) "
            + "ldc=\(ldc) transposeA=\(transposeA) transposeB=\(transposeB)")
    if m == 0 || n == 0 { return }
    if k == 0 {
        gemmScale(m: m, n: n, beta: beta, c: c, ldc: ldc)
        return
    }

    // Split C into contiguous ranges of whole tiles along its longer side (counted in
    // tiles); small products stay on one thread, where dispatch would cost more.
    let rowTiles = (m + gemmTileRows - 1) / gemmTileRows
    let columnTiles = (n + gemmTileColumns - 1) / gemmTileColumns
    let splitColumns = columnTiles >= rowTiles
    let tileCount = splitColumns ? columnTiles : rowTiles
    let smallProduct = m * n * k < gemmParallelThreshold
    let workers = smallProduct ? 1 : max(1, min(threadCount, tileCount))

    Parallelism.runWorkers(workers) { worker in
        let firstTile = tileCount * worker / workers
        let endTile = tileCount * (worker + 1) / workers
        let tileSize = splitColumns ? gemmTileColumns : gemmTileRows
        let limit = splitColumns ? n : m
        let part = (firstTile * tileSize)..<min(limit, endTile * tileSize)
        if part.isEmpty { return }
        gemmBlocked(
            transposeA, transposeB, rows: splitColumns ? 0..<m : part,
            columns: splitColumns ? part : 0..<n, k: k, alpha: alpha, a: a, lda: lda, b: b,
            ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
}

/// Products with fewer multiply-adds than this run on one thread.
let gemmParallelThreshold = 1 << 20
/// Depth of a packed block (KC). A 16-column panel of B of this depth (32 KiB) stays in
/// the level-1 cache while the panels of A stream past it; a deep block also means C is
/// read and written fewer times, and its rows (a cache miss each) are fetched less often.
/// Chosen by timing 256, 384 and 512 at 2048³ on the reference machine.
let gemmDepthBlock = 512

/// The depth of every block but the last when `k` is cut into ⌈k / 512⌉ nearly equal
/// blocks (576 becomes 288 + 288 rather than 512 + 64, so no block is too shallow to pay
/// for its pass over C). It depends on k alone, so every element of C is summed in the
/// same blocks whatever the thread count or the tile it falls in.
@inline(__always)
func gemmDepthBlock(k: Int) -> Int {
    let blockCount = max(1, (k + gemmDepthBlock - 1) / gemmDepthBlock)
    return (k + blockCount - 1) / blockCount
}
/// Rows of a packed block of A (MC, a multiple of 6 and 8): 144 × 512 floats (288 KiB) sit in
/// the level-2 cache.
let gemmRowBlock = 144
/// Columns of a packed block of B (NC, a multiple of 16): 512 × 2048 floats, which live
/// in the level-3 cache.
let gemmColumnBlock = 2048

/// C ← beta · C without reading C when beta is 0 (the k == 0 case).
private func gemmScale(m: Int, n: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    for row in 0..<m {
        let start = c + row * ldc
        if beta == 0 {
            start.update(repeating: 0, count: n)
        } else {
            for column in 0..<n { start[column] *= beta }
        }
    }
}

/// The cache-blocked loops on one thread for the part `rows × columns` of C: for each
/// block of columns and depth, pack B once; for each block of rows, pack A and sweep
/// the register tile over the block.
private func gemmBlocked(
    _ transposeA: MatrixTranspose, _ transposeB: MatrixTranspose,
    rows: Range<Int>, columns: Range<Int>, k: Int,
    alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    let rowCapacity = min(gemmRowBlock, roundUp(rows.count, to: gemmTileRows))
    let depthBlock = gemmDepthBlock(k: k)
    let depthCapacity = min(depthBlock, k)
    let columnCapacity = min(gemmColumnBlock, roundUp(columns.count, to: gemmTileColumns))
    let packedACount = rowCapacity * depthCapacity
    let packedBCount = depthCapacity * columnCapacity
    let edgeCount = gemmTileRows * gemmTileColumns
    KernelScratchPool.withScratch(count: packedACount + packedBCount + edgeCount) { buffer in
        let packedA = buffer
        let packedB = buffer + packedACount
        let edge = packedB + packedBCount
        for jc in stride(from: columns.lowerBound, to: columns.upperBound, by: gemmColumnBlock) {
            let nc = min(gemmColumnBlock, columns.upperBound - jc)
            for pc in stride(from: 0, to: k, by: depthBlock) {
                let kc = min(depthBlock, k - pc)

                // Pack the depth-by-column block of op(B).
                let bBlock = transposeB == .none ? b + pc * ldb + jc : b + jc * ldb + pc
                gemmPackB(
                    bBlock, ldb: ldb, transposed: transposeB == .transposed, depth: kc,
                    columns: nc, into: packedB)

                // Later depth blocks add to what the first one stored.
                let blockBeta = pc == 0 ? beta : 1
                for ic in stride(from: rows.lowerBound, to: rows.upperBound, by: gemmRowBlock) {
                    let mc = min(gemmRowBlock, rows.upperBound - ic)
                    let aBlock = transposeA == .none ? a + ic * lda + pc : a + pc * lda + ic
                    gemmPackA(
                        aBlock, lda: lda, transposed: transposeA == .transposed, rows: mc,
                        depth: kc, into: packedA)
                    gemmMacrokernel(
                        rows: mc, columns: nc, depth: kc, packedA: packedA, packedB: packedB,
                        alpha: alpha, beta: blockBeta, c: c + ic * ldc + jc, ldc: ldc,
                        edge: edge)
                }
            }
        }
    }
}

/// Sweeps the register tile over one packed block: B panels outside (each stays in L1),
/// A panels inside.
@inline(__always)
func gemmMacrokernel(
    rows: Int, columns: Int, depth: Int, packedA: UnsafePointer<Float>,
    packedB: UnsafePointer<Float>, alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>,
    ldc: Int, edge: UnsafeMutablePointer<Float>
) {
    for jr in stride(from: 0, to: columns, by: gemmTileColumns) {
        let tileColumns = min(gemmTileColumns, columns - jr)
        let panelB = packedB + jr * depth
        for ir in stride(from: 0, to: rows, by: gemmTileRows) {
            let tileRows = min(gemmTileRows, rows - ir)
            let panelA = packedA + ir * depth
            let tile = c + ir * ldc + jr
            if tileRows == gemmTileRows && tileColumns == gemmTileColumns {
                gemmTile(
                    depth: depth, packedA: panelA, packedB: panelB, alpha: alpha, beta: beta,
                    c: tile, ldc: ldc)
            } else {
                gemmEdgeMicrokernel(
                    depth: depth, packedA: panelA, packedB: panelB, alpha: alpha, beta: beta,
                    c: tile, ldc: ldc, rows: tileRows, columns: tileColumns, scratch: edge)
            }
        }
    }
}

/// The smallest multiple of `step` that is ≥ `value`.
@inline(__always)
func roundUp(_ value: Int, to step: Int) -> Int { (value + step - 1) / step * step }

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
