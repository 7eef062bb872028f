// `gemm` on operands packed ahead of time. A kernel that multiplies the same matrix many
// times (a convolution's weights, once per image) packs it once; a kernel that builds an
// operand itself (im2col) can write it straight into panel order.
//
// Whole-matrix packed layout: the depth k is cut into blocks of `gemmDepthBlock(k:)`; block
// b (depths d₀ ..< d₀ + kc) starts at offset `paddedRows · d₀` and holds the panels that
// `gemmPackA` / `gemmPackB` write for that block. For A, paddedRows = m rounded up to a
// multiple of `gemmTileRows`; for B, n rounded up to a multiple of 16. Products on packed operands
// round exactly like `gemm` on the same operands.

/// Floats of a packed op(A) [m, k].
func gemmPackedACount(m: Int, k: Int) -> Int { roundUp(m, to: gemmTileRows) * k }

/// Floats of a packed op(B) [k, n].
func gemmPackedBCount(n: Int, k: Int) -> Int { roundUp(n, to: gemmTileColumns) * k }

/// Packs all of op(A) [m, k] (see `gemmPackA` for `transposed`).
func gemmPackWholeA(
    _ a: UnsafePointer<Float>, lda: Int, transposed: Bool, m: Int, k: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    let paddedRows = roundUp(m, to: gemmTileRows)
    let depthBlock = gemmDepthBlock(k: k)
    for start in stride(from: 0, to: k, by: depthBlock) {
        let depth = min(depthBlock, k - start)
        let block = transposed ? a + start * lda : a + start
        gemmPackA(
            block, lda: lda, transposed: transposed, rows: m, depth: depth,
            into: packed + paddedRows * start)
    }
}

/// Packs all of op(B) [k, n] (see `gemmPackB` for `transposed`).
func gemmPackWholeB(
    _ b: UnsafePointer<Float>, ldb: Int, transposed: Bool, n: Int, k: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    let paddedColumns = roundUp(n, to: gemmTileColumns)
    let depthBlock = gemmDepthBlock(k: k)
    for start in stride(from: 0, to: k, by: depthBlock) {
        let depth = min(depthBlock, k - start)
        let block = transposed ? b + start : b + start * ldb
        gemmPackB(
            block, ldb: ldb, transposed: transposed, depth: depth, columns: n,
            into: packed + paddedColumns * start)
    }
}

/// Writes rows `depth ..< depth + rowCount` of op(B), given as `rowCount` rows of `n`
/// contiguous floats `rowStride` apart, into a whole-matrix packed B of depth `k`, panel
/// by panel, so that each panel receives one contiguous run of `16 · rowCount` floats.
/// Consecutive panels lie a whole block depth apart, often a multiple of the level-1
/// cache's set stride, so packing one row at a time across all panels would evict its
/// own lines.
/// - Precondition: the rows lie in one depth block of `gemmDepthBlock(k:)`.
func gemmPackRowsOfB(
    _ rows: UnsafePointer<Float>, rowCount: Int, rowStride: Int, depth: Int, n: Int, k: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    let tile = gemmTileColumns
    let depthBlock = gemmDepthBlock(k: k)
    let blockStart = depth - depth % depthBlock
    let blockDepth = min(depthBlock, k - blockStart)
    precondition(
        depth + rowCount <= blockStart + blockDepth,
        "rows \(depth)..<\(depth + rowCount) cross the depth block at \(blockStart + blockDepth)")
    var target = packed + roundUp(n, to: tile) * blockStart + (depth - blockStart) * tile
    var column = 0
    while column + tile <= n {
        for row in 0..<rowCount {
            let source = UnsafeRawPointer(rows + row * rowStride + column)
            let raw = UnsafeMutableRawPointer(target + row * tile)
            raw.storeBytes(of: source.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            raw.storeBytes(
                of: source.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                toByteOffset: 32, as: SIMD8<Float>.self)
        }
        target += tile * blockDepth
        column += tile
    }
    if column < n {
        for row in 0..<rowCount {
            let rowTarget = target + row * tile
            rowTarget.update(from: rows + row * rowStride + column, count: n - column)
            (rowTarget + (n - column)).update(repeating: 0, count: tile - (n - column))
        }
    }
}

/// How many consecutive rows, from depth index `depth`, `gemmPackRowsOfB` can pack at
/// once: at most `limit`, and not past the end of the depth block of a depth-`k` product.
@inline(__always)
func gemmRowsInBlock(from depth: Int, k: Int, limit: Int) -> Int {
    let depthBlock = gemmDepthBlock(k: k)
    let blockEnd = min(k, (depth / depthBlock + 1) * depthBlock)
    return min(limit, blockEnd - depth)
}

/// Writes one column (depth index `depth`) of op(A), given as `m` contiguous floats, into
/// a whole-matrix packed A of depth `k`; the padding rows of the last panel get zeros.
@inline(__always)
func gemmPackColumnOfA(
    _ column: UnsafePointer<Float>, depth: Int, m: Int, k: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    let tile = gemmTileRows
    let depthBlock = gemmDepthBlock(k: k)
    let blockStart = depth - depth % depthBlock
    let blockDepth = min(depthBlock, k - blockStart)
    var target = packed + roundUp(m, to: tile) * blockStart + (depth - blockStart) * tile
    var row = 0
    while row + tile <= m {
        for r in 0..<tile { target[r] = column[row + r] }
        target += tile * blockDepth
        row += tile
    }
    if row < m {
        target.update(from: column + row, count: m - row)
        (target + (m - row)).update(repeating: 0, count: tile - (m - row))
    }
}

/// C[m×n] = alpha · A·B + beta · C on whole-matrix packed operands, on at most
/// `threadCount` threads (columns of C split in whole tiles). With beta 0 C is not read.
func gemmOnPacked(
    m: Int, n: Int, k: Int, alpha: Float, packedA: UnsafePointer<Float>,
    packedB: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
    threadCount: Int
) {
    if m == 0 || n == 0 { return }
    precondition(k > 0, "gemmOnPacked needs k ≥ 1, got \(k)")
    let columnTiles = (n + gemmTileColumns - 1) / gemmTileColumns
    let workers =
        m * n * k < gemmParallelThreshold ? 1 : max(1, min(threadCount, columnTiles))
    Parallelism.runWorkers(workers) { worker in
        let lower = columnTiles * worker / workers * gemmTileColumns
        let upper = min(n, columnTiles * (worker + 1) / workers * gemmTileColumns)
        if lower >= upper { return }
        gemmOnPackedColumns(
            lower..<upper, m: m, n: n, k: k, alpha: alpha, packedA: packedA,
            packedB: packedB, beta: beta, c: c, ldc: ldc)
    }
}

/// The loops of `gemmOnPacked` for one range of columns (starting at a tile boundary).
private func gemmOnPackedColumns(
    _ columns: Range<Int>, m: Int, n: Int, k: Int, alpha: Float,
    packedA: UnsafePointer<Float>, packedB: UnsafePointer<Float>, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    let paddedRows = roundUp(m, to: gemmTileRows)
    let paddedColumns = roundUp(n, to: gemmTileColumns)
    withUnsafeTemporaryAllocation(of: Float.self, capacity: gemmTileRows * gemmTileColumns) {
        edge in
        let depthBlock = gemmDepthBlock(k: k)
        for start in stride(from: 0, to: k, by: depthBlock) {
            let depth = min(depthBlock, k - start)
            let blockA = packedA + paddedRows * start
            let blockB = packedB + paddedColumns * start
            let blockBeta = start == 0 ? beta : 1
            for jc in stride(from: columns.lowerBound, to: columns.upperBound, by: gemmColumnBlock)
            {
                let nc = min(gemmColumnBlock, columns.upperBound - jc)
                for ic in stride(from: 0, to: m, by: gemmRowBlock) {
                    gemmMacrokernel(
                        rows: min(gemmRowBlock, m - ic), columns: nc, depth: depth,
                        packedA: blockA + ic * depth, packedB: blockB + jc * depth,
                        alpha: alpha, beta: blockBeta, c: c + ic * ldc + jc, ldc: ldc,
                        edge: edge.baseAddress!)
                }
            }
        }
    }
}
