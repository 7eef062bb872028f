// The register tiles of `gemm`. The portable tile is a 6 × 16 block of C held in twelve
// 8-lane vectors while one packed panel of A (6 rows) and one of B (16 columns) stream
// past.
//
// Per step of the depth loop the kernel loads two 8-float vectors of B, broadcasts six
// floats of A and issues twelve fused multiply-adds. With AVX2 + FMA that is 12 of the 16
// vector registers for the accumulators, 2 for B and 1 for the broadcast, and twelve FMAs
// against eight loads, which keeps both FMA ports of a core busy.
//
// A processor with AVX-512F runs the 8 × 16 tile of CBasinSupport's gemm_avx512.c
// instead, at up to twice the multiply-adds per cycle; the choice is made once per
// process and sets the height of the packed A panels. Both tiles sum every element in
// the same order with the same roundings, so a product has the same bits on either.

import CBasinSupport
import Foundation

/// The register tile that `gemm` runs on.
public enum GEMMRegisterTile: String, Sendable {
    /// 6 × 16 in 8-lane vectors: AVX2 + FMA on x86-64, NEON pairs on arm64.
    case simd8
    /// 8 × 16 in 16-lane AVX-512 vectors.
    case avx512

    /// The tile of this process: AVX-512 where the processor has it, unless the
    /// environment variable `BASIN_GEMM_TILE` is `simd8` (to compare the two).
    public static let active: GEMMRegisterTile = {
        let requested = ProcessInfo.processInfo.environment["BASIN_GEMM_TILE"]
        return requested != "simd8" && basin_cpu_supports_avx512() != 0 ? .avx512 : .simd8
    }()

    /// Rows of the tile, and so of a packed panel of A.
    public var rows: Int { self == .avx512 ? 8 : 6 }

    /// A short description for benchmark tables.
    public var summary: String {
        self == .avx512 ? "8×16 tile, AVX-512" : "6×16 tile, 8-lane vectors"
    }
}

/// Rows of the register tile (a packed panel of A holds this many rows).
@usableFromInline let gemmTileRows = GEMMRegisterTile.active.rows
/// Whether `gemmTile` runs the AVX-512 tile.
@usableFromInline let gemmUsesAVX512 = GEMMRegisterTile.active == .avx512
/// Columns of the register tile (a packed panel of B holds this many columns).
@usableFromInline let gemmTileColumns = 16

/// C[0..<r, 0..<16] ← alpha · Σₚ Ã[p, 0..<r] ⊗ B̃[p, 0..<16] + beta · C on the active
/// tile (r = `gemmTileRows`); see `gemmMicrokernel` for the operands and the rounding.
@inline(__always)
func gemmTile(
    depth: Int, packedA: UnsafePointer<Float>, packedB: UnsafePointer<Float>,
    alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    #if arch(x86_64)
        if gemmUsesAVX512 {
            basin_sgemm_tile_avx512(depth, packedA, packedB, alpha, beta, c, ldc)
            return
        }
    #endif
    gemmMicrokernel(
        depth: depth, packedA: packedA, packedB: packedB, alpha: alpha, beta: beta, c: c,
        ldc: ldc)
}

/// The portable tile: C[0..<6, 0..<16] ← alpha · Σₚ Ã[p, 0..<6] ⊗ B̃[p, 0..<16] + beta · C,
/// where Ã and B̃
/// are packed panels (`depth` steps of 6 and 16 consecutive floats). With `beta == 0`
/// C is not read. `c` has row stride `ldc` and must own the whole 6 × 16 tile.
///
/// Every element is the same chain of fused multiply-adds in ascending p, then one
/// multiply by alpha and one add of beta·C, so a value does not depend on where the
/// tile boundaries of a call fall.
@inline(__always)
func gemmMicrokernel(
    depth: Int, packedA: UnsafePointer<Float>, packedB: UnsafePointer<Float>,
    alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    var c00 = SIMD8<Float>()
    var c01 = SIMD8<Float>()
    var c10 = SIMD8<Float>()
    var c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>()
    var c21 = SIMD8<Float>()
    var c30 = SIMD8<Float>()
    var c31 = SIMD8<Float>()
    var c40 = SIMD8<Float>()
    var c41 = SIMD8<Float>()
    var c50 = SIMD8<Float>()
    var c51 = SIMD8<Float>()

    // Accumulate the outer products of the depth loop.
    var a = packedA
    var b = UnsafeRawPointer(packedB)
    for _ in 0..<depth {
        let b0 = b.loadUnaligned(as: SIMD8<Float>.self)
        let b1 = b.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        var broadcast = SIMD8<Float>(repeating: a[0])
        c00.addProduct(broadcast, b0)
        c01.addProduct(broadcast, b1)
        broadcast = SIMD8<Float>(repeating: a[1])
        c10.addProduct(broadcast, b0)
        c11.addProduct(broadcast, b1)
        broadcast = SIMD8<Float>(repeating: a[2])
        c20.addProduct(broadcast, b0)
        c21.addProduct(broadcast, b1)
        broadcast = SIMD8<Float>(repeating: a[3])
        c30.addProduct(broadcast, b0)
        c31.addProduct(broadcast, b1)
        broadcast = SIMD8<Float>(repeating: a[4])
        c40.addProduct(broadcast, b0)
        c41.addProduct(broadcast, b1)
        broadcast = SIMD8<Float>(repeating: a[5])
        c50.addProduct(broadcast, b0)
        c51.addProduct(broadcast, b1)
        a += 6
        b += 64
    }

    // Scale and merge into C, row by row.
    gemmStoreRow(c, c00, c01, alpha: alpha, beta: beta)
    gemmStoreRow(c + ldc, c10, c11, alpha: alpha, beta: beta)
    gemmStoreRow(c + 2 * ldc, c20, c21, alpha: alpha, beta: beta)
    gemmStoreRow(c + 3 * ldc, c30, c31, alpha: alpha, beta: beta)
    gemmStoreRow(c + 4 * ldc, c40, c41, alpha: alpha, beta: beta)
    gemmStoreRow(c + 5 * ldc, c50, c51, alpha: alpha, beta: beta)
}

/// row[0..<16] ← alpha · (low, high) + beta · row, not reading `row` when beta is 0.
@inline(__always)
func gemmStoreRow(
    _ row: UnsafeMutablePointer<Float>, _ low: SIMD8<Float>, _ high: SIMD8<Float>,
    alpha: Float, beta: Float
) {
    let raw = UnsafeMutableRawPointer(row)
    var newLow = alpha * low
    var newHigh = alpha * high
    if beta != 0 {
        newLow += beta * raw.loadUnaligned(as: SIMD8<Float>.self)
        newHigh += beta * raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
    }
    raw.storeBytes(of: newLow, as: SIMD8<Float>.self)
    raw.storeBytes(of: newHigh, toByteOffset: 32, as: SIMD8<Float>.self)
}

/// The active tile for a block that C cuts short (`rows ≤ gemmTileRows`, `columns ≤ 16`):
/// the full tile is computed into `scratch` (`gemmTileRows · 16` floats) with the same
/// arithmetic and only the valid part is copied back, so edge elements round exactly
/// like interior ones.
@inline(__always)
func gemmEdgeMicrokernel(
    depth: Int, packedA: UnsafePointer<Float>, packedB: UnsafePointer<Float>,
    alpha: Float, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
    rows: Int, columns: Int, scratch: UnsafeMutablePointer<Float>
) {
    // Bring the valid part of C into the scratch tile (only when it is read).
    if beta != 0 {
        scratch.update(repeating: 0, count: gemmTileRows * gemmTileColumns)
        for row in 0..<rows {
            (scratch + row * gemmTileColumns).update(from: c + row * ldc, count: columns)
        }
    }

    gemmTile(
        depth: depth, packedA: packedA, packedB: packedB, alpha: alpha, beta: beta,
        c: scratch, ldc: gemmTileColumns)

    // Copy the valid part back.
    for row in 0..<rows {
        (c + row * ldc).update(from: scratch + row * gemmTileColumns, count: columns)
    }
}
