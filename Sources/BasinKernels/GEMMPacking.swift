// Packing for `gemm`: copies a block of op(A) or op(B) into the panel order the
// microkernel reads, so that the inner loop sees unit-stride memory whatever the
// transposes and leading dimensions of the caller. Rows or columns past the end of the
// matrix are filled with zeros; they only feed tile elements that are never stored.

/// Packs op(A)[rows, depth] (a block whose top-left element is `a`) into panels of
/// `gemmTileRows` (r̂) rows: panel i starts at `i · r̂ · depth`, and element (r, p) of the
/// panel sits at `p · r̂ + r`.
///
/// - Parameters:
///   - transposed: false when A is stored `[m, k]` (element (r, p) at `a[r·lda + p]`),
///     true when stored `[k, m]` (element (r, p) at `a[p·lda + r]`).
func gemmPackA(
    _ a: UnsafePointer<Float>, lda: Int, transposed: Bool, rows: Int, depth: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    let tile = gemmTileRows
    var destination = packed
    for panelRow in stride(from: 0, to: rows, by: tile) {
        let valid = min(tile, rows - panelRow)
        if valid < tile { destination.update(repeating: 0, count: tile * depth) }
        if transposed {
            // Row p of the stored matrix holds the panel's values for step p.
            var source = a + panelRow
            for p in 0..<depth {
                for r in 0..<valid { destination[p * tile + r] = source[r] }
                source += lda
            }
        } else if valid == tile && tile == 8 {
            // Eight stored rows read side by side, so the panel is written in order.
            let r0 = a + panelRow * lda
            let (r1, r2, r3) = (r0 + lda, r0 + 2 * lda, r0 + 3 * lda)
            let (r4, r5, r6, r7) = (r0 + 4 * lda, r0 + 5 * lda, r0 + 6 * lda, r0 + 7 * lda)
            for p in 0..<depth {
                let target = destination + p * 8
                target[0] = r0[p]
                target[1] = r1[p]
                target[2] = r2[p]
                target[3] = r3[p]
                target[4] = r4[p]
                target[5] = r5[p]
                target[6] = r6[p]
                target[7] = r7[p]
            }
        } else if valid == tile && tile == 6 {
            // Six stored rows read side by side, so the panel is written in order.
            let r0 = a + panelRow * lda
            let (r1, r2, r3, r4, r5) = (
                r0 + lda, r0 + 2 * lda, r0 + 3 * lda, r0 + 4 * lda, r0 + 5 * lda
            )
            for p in 0..<depth {
                let target = destination + p * 6
                target[0] = r0[p]
                target[1] = r1[p]
                target[2] = r2[p]
                target[3] = r3[p]
                target[4] = r4[p]
                target[5] = r5[p]
            }
        } else {
            // Read each stored row in order and scatter it with the panel's stride.
            for r in 0..<valid {
                let source = a + (panelRow + r) * lda
                for p in 0..<depth { destination[p * tile + r] = source[p] }
            }
        }
        destination += tile * depth
    }
}

/// Packs op(B)[depth, columns] (a block whose top-left element is `b`) into panels of
/// `gemmTileColumns` columns: panel j starts at `j · 16 · depth`, and element (p, c) of
/// the panel sits at `p · 16 + c`.
///
/// - Parameters:
///   - transposed: false when B is stored `[k, n]` (element (p, c) at `b[p·ldb + c]`),
///     true when stored `[n, k]` (element (p, c) at `b[c·ldb + p]`).
func gemmPackB(
    _ b: UnsafePointer<Float>, ldb: Int, transposed: Bool, depth: Int, columns: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    let tile = gemmTileColumns
    var destination = packed
    for panelColumn in stride(from: 0, to: columns, by: tile) {
        let valid = min(tile, columns - panelColumn)
        if transposed {
            if valid < tile { destination.update(repeating: 0, count: tile * depth) }
            gemmPackTransposedPanel(
                b + panelColumn * ldb, ldb: ldb, depth: depth, columns: valid,
                into: destination)
        } else if valid == tile {
            // Sixteen contiguous floats per step: two vector copies.
            var source = UnsafeRawPointer(b + panelColumn)
            let target = UnsafeMutableRawPointer(destination)
            for p in 0..<depth {
                let low = source.loadUnaligned(as: SIMD8<Float>.self)
                let high = source.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                target.storeBytes(of: low, toByteOffset: p * 64, as: SIMD8<Float>.self)
                target.storeBytes(of: high, toByteOffset: p * 64 + 32, as: SIMD8<Float>.self)
                source += ldb * MemoryLayout<Float>.stride
            }
        } else {
            destination.update(repeating: 0, count: tile * depth)
            for p in 0..<depth {
                let source = b + p * ldb + panelColumn
                for c in 0..<valid { destination[p * tile + c] = source[c] }
            }
        }
        destination += tile * depth
    }
}

/// One panel of a transposed B: stored row c (length `depth`) becomes column c of the
/// panel. Eight stored rows are read together so that each step writes a full vector.
@inline(__always)
private func gemmPackTransposedPanel(
    _ b: UnsafePointer<Float>, ldb: Int, depth: Int, columns: Int,
    into destination: UnsafeMutablePointer<Float>
) {
    let tile = gemmTileColumns
    var column = 0
    while column + 8 <= columns {
        let r0 = b + column * ldb
        let (r1, r2, r3) = (r0 + ldb, r0 + 2 * ldb, r0 + 3 * ldb)
        let (r4, r5, r6, r7) = (r0 + 4 * ldb, r0 + 5 * ldb, r0 + 6 * ldb, r0 + 7 * ldb)
        let target = UnsafeMutableRawPointer(destination + column)
        for p in 0..<depth {
            let values = SIMD8<Float>(r0[p], r1[p], r2[p], r3[p], r4[p], r5[p], r6[p], r7[p])
            target.storeBytes(of: values, toByteOffset: p * tile * 4, as: SIMD8<Float>.self)
        }
        column += 8
    }
    while column < columns {
        let source = b + column * ldb
        for p in 0..<depth { destination[p * tile + column] = source[p] }
        column += 1
    }
}
