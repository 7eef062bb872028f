import CBasinSupport
import Testing

@testable import BasinKernels

/// The rounding `gemm` promises, element by element: within each depth block a chain of
/// fused multiply-adds in ascending p starting from zero, then alpha times the chain plus
/// beta times the old value (beta for the first block, 1 after), each rounded on its own.
/// The blocks are `gemmDepthBlock(k:)` deep. Any register tile must give these bits.
private func blockedChainGEMM(
    _ test: GEMMCase, a: [Float], lda: Int, b: [Float], ldb: Int, c: inout [Float], ldc: Int
) {
    let block = gemmDepthBlock(k: test.k)
    for i in 0..<test.m {
        for j in 0..<test.n {
            var value = c[i * ldc + j]
            for start in stride(from: 0, to: test.k, by: block) {
                var chain: Float = 0
                for p in start..<min(test.k, start + block) {
                    let aValue = test.transposeA == .none ? a[i * lda + p] : a[p * lda + i]
                    let bValue = test.transposeB == .none ? b[p * ldb + j] : b[j * ldb + p]
                    chain.addProduct(aValue, bValue)
                }
                let scale = start == 0 ? test.beta : 1
                value = scale == 0 ? test.alpha * chain : test.alpha * chain + scale * value
            }
            c[i * ldc + j] = value
        }
    }
}

/// The indices where two arrays differ in their bits (a count is easier to read than
/// two dumps of a few hundred floats).
private func bitMismatches(_ actual: [Float], _ expected: [Float]) -> [Int] {
    actual.indices.filter { actual[$0].bitPattern != expected[$0].bitPattern }
}

/// One register tile on random packed panels against the scalar chain, bit for bit.
private func checkTile(
    rows: Int, beta: Float,
    run: (
        Int, UnsafePointer<Float>, UnsafePointer<Float>, Float, Float, UnsafeMutablePointer<Float>,
        Int
    ) -> Void
) {
    let (depth, columns, ldc, alpha) = (37, gemmTileColumns, 21, Float(1.5))
    var generator = SeededGenerator(seed: 11)
    let packedA = (0..<(depth * rows)).map { _ in 2 * generator.nextUnitFloat() - 1 }
    let packedB = (0..<(depth * columns)).map { _ in 2 * generator.nextUnitFloat() - 1 }
    let old = (0..<(rows * ldc)).map { _ in 2 * generator.nextUnitFloat() - 1 }
    var expected = old
    for r in 0..<rows {
        for j in 0..<columns {
            var chain: Float = 0
            for p in 0..<depth { chain.addProduct(packedA[p * rows + r], packedB[p * columns + j]) }
            let index = r * ldc + j
            expected[index] = beta == 0 ? alpha * chain : alpha * chain + beta * old[index]
        }
    }
    // With beta 0 the old C must not be read: NaN there would show.
    var c = beta == 0 ? old.map { _ in Float.nan } : old
    for index in 0..<c.count where index % ldc >= columns { c[index] = old[index] }
    c.withUnsafeMutableBufferPointer { cBuffer in
        run(depth, packedA, packedB, alpha, beta, cBuffer.baseAddress!, ldc)
    }
    let mismatches = bitMismatches(c, expected)
    #expect(
        mismatches.isEmpty, "\(mismatches.count) elements differ, first at \(mismatches.first ?? 0)"
    )
}

@Suite("GEMM register tiles")
struct GEMMTileTests {
    @Test(
        "the portable 6 × 16 tile rounds as the chain of fused multiply-adds",
        arguments: [0, -0.5] as [Float])
    func portableTile(beta: Float) {
        checkTile(rows: 6, beta: beta) { depth, a, b, alpha, beta, c, ldc in
            gemmMicrokernel(
                depth: depth, packedA: a, packedB: b, alpha: alpha, beta: beta, c: c, ldc: ldc)
        }
    }

    #if arch(x86_64)
        @Test(
            "the AVX-512 8 × 16 tile rounds as the chain of fused multiply-adds",
            .enabled(if: basin_cpu_supports_avx512() != 0, "the processor has no AVX-512F"),
            arguments: [0, -0.5] as [Float])
        func avx512Tile(beta: Float) {
            checkTile(rows: Int(BASIN_AVX512_TILE_ROWS), beta: beta) {
                depth, a, b, alpha, beta, c, ldc in
                basin_sgemm_tile_avx512(depth, a, b, alpha, beta, c, ldc)
            }
        }
    #endif

    static let cases: [GEMMCase] = [
        GEMMCase(
            m: 23, n: 41, k: 1100, transposeA: .none, transposeB: .none, alpha: 0.75, beta: -1.25,
            extra: 2),
        GEMMCase(
            m: 17, n: 33, k: 515, transposeA: .transposed, transposeB: .none, alpha: 1, beta: 0),
        GEMMCase(
            m: 150, n: 19, k: 40, transposeA: .none, transposeB: .transposed, alpha: -2, beta: 0.5,
            extra: 1),
        GEMMCase(
            m: 9, n: 70, k: 600, transposeA: .transposed, transposeB: .transposed, alpha: 1, beta: 1
        ),
    ]

    @Test(
        "gemm gives the bits of the blocked chain on the active tile, edges and several depth blocks included",
        arguments: cases)
    func sameBitsAsChain(_ test: GEMMCase) {
        var generator = SeededGenerator(seed: 5)
        let (aRows, aColumns) = test.transposeA == .none ? (test.m, test.k) : (test.k, test.m)
        let (bRows, bColumns) = test.transposeB == .none ? (test.k, test.n) : (test.n, test.k)
        let a = PaddedMatrix(
            rows: aRows, columns: aColumns, extraColumns: test.extra, generator: &generator)
        let b = PaddedMatrix(
            rows: bRows, columns: bColumns, extraColumns: test.extra, generator: &generator)
        let c = PaddedMatrix(
            rows: test.m, columns: test.n, extraColumns: test.extra, padding: 7,
            generator: &generator)
        var fast = c.values
        var expected = c.values
        gemm(
            test.transposeA, test.transposeB, m: test.m, n: test.n, k: test.k, alpha: test.alpha,
            a: a.values, lda: a.leadingDimension, b: b.values, ldb: b.leadingDimension,
            beta: test.beta, c: &fast, ldc: c.leadingDimension, threadCount: 2)
        blockedChainGEMM(
            test, a: a.values, lda: a.leadingDimension, b: b.values, ldb: b.leadingDimension,
            c: &expected, ldc: c.leadingDimension)
        let mismatches = bitMismatches(fast, expected)
        #expect(
            mismatches.isEmpty,
            "\(mismatches.count) elements differ, first at \(mismatches.first ?? 0)")
    }
}
