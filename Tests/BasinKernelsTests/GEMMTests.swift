import BasinKernels
import BasinTestSupport
import Testing

/// A row-major matrix with a leading dimension, its padding filled with `padding`.
struct PaddedMatrix {
    var rows: Int
    var columns: Int
    var leadingDimension: Int
    var values: [Float]

    init(
        rows: Int, columns: Int, extraColumns: Int = 0, padding: Float = .nan,
        generator: inout SeededGenerator
    ) {
        self.rows = rows
        self.columns = columns
        leadingDimension = columns + extraColumns
        values = [Float](repeating: padding, count: max(1, rows * leadingDimension))
        for row in 0..<rows {
            for column in 0..<columns {
                values[row * leadingDimension + column] = 2 * generator.nextUnitFloat() - 1
            }
        }
    }
}

/// One product to check: sizes, transposes, scalars, extra leading-dimension padding.
struct GEMMCase: CustomTestStringConvertible, Sendable {
    var m: Int
    var n: Int
    var k: Int
    var transposeA: MatrixTranspose
    var transposeB: MatrixTranspose
    var alpha: Float = 1
    var beta: Float = 0
    var extra: Int = 0

    var testDescription: String {
        "\(m)×\(n)×\(k) \(transposeA)/\(transposeB) α=\(alpha) β=\(beta) +ld \(extra)"
    }
}

/// Runs `gemm` and `naiveGEMM` on the same seeded operands; returns (fast, naive) C.
/// Operand padding is NaN, so reading past a row shows up; C's padding is a finite
/// marker that must survive, and with beta 0 C's body starts as NaN, which must be ignored.
func runBothGEMMs(_ test: GEMMCase, threadCount: Int, seed: UInt64 = 7) -> ([Float], [Float]) {
    var generator = SeededGenerator(seed: seed)
    let (aRows, aColumns) = test.transposeA == .none ? (test.m, test.k) : (test.k, test.m)
    let (bRows, bColumns) = test.transposeB == .none ? (test.k, test.n) : (test.n, test.k)
    let a = PaddedMatrix(
        rows: aRows, columns: aColumns, extraColumns: test.extra, generator: &generator)
    let b = PaddedMatrix(
        rows: bRows, columns: bColumns, extraColumns: test.extra, generator: &generator)
    var c = PaddedMatrix(
        rows: test.m, columns: test.n, extraColumns: test.extra, padding: 7,
        generator: &generator)
    var naive = c.values
    if test.beta == 0 {
        for row in 0..<test.m {
            for column in 0..<test.n { c.values[row * c.leadingDimension + column] = .nan }
        }
    }
    var fast = c.values
    gemm(
        test.transposeA, test.transposeB, m: test.m, n: test.n, k: test.k, alpha: test.alpha,
        a: a.values, lda: a.leadingDimension, b: b.values, ldb: b.leadingDimension,
        beta: test.beta, c: &fast, ldc: c.leadingDimension, threadCount: threadCount)
    naiveGEMM(
        test.transposeA, test.transposeB, m: test.m, n: test.n, k: test.k, alpha: test.alpha,
        a: a.values, lda: a.leadingDimension, b: b.values, ldb: b.leadingDimension,
        beta: test.beta, c: &naive, ldc: c.leadingDimension)
    return (fast, naive)
}

let allTransposes: [(MatrixTranspose, MatrixTranspose)] = [
    (.none, .none), (.none, .transposed), (.transposed, .none), (.transposed, .transposed),
]

/// Sizes that do not tile: 1, odd, primes, and ones that cross the 6 × 16 register tile,
/// the 144-row, 512-deep and 2048-column cache blocks.
let awkwardShapes: [(Int, Int, Int)] = [
    (1, 1, 1), (1, 17, 3), (5, 1, 9), (6, 16, 1), (7, 13, 5), (13, 33, 31), (101, 103, 107),
    (151, 19, 7), (23, 29, 1031), (2, 2053, 3),
]

@Suite("gemm against its naive twin")
struct GEMMTests {
    static var cases: [GEMMCase] {
        var cases: [GEMMCase] = []
        for (m, n, k) in awkwardShapes {
            for (transposeA, transposeB) in allTransposes {
                cases.append(
                    GEMMCase(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB))
            }
        }
        let scalars: [(Float, Float)] = [(1, 1), (2, -0.5), (-0.25, 0), (0.5, 3)]
        for (alpha, beta) in scalars {
            for (transposeA, transposeB) in allTransposes {
                cases.append(
                    GEMMCase(
                        m: 19, n: 37, k: 45, transposeA: transposeA, transposeB: transposeB,
                        alpha: alpha, beta: beta, extra: 3))
            }
        }
        return cases
    }

    @Test("matches naiveGEMM within float rounding of the sum", arguments: cases)
    func matchesNaive(_ test: GEMMCase) {
        let (fast, naive) = runBothGEMMs(test, threadCount: 2)
        // Float accumulation of k terms of size ≤ 1 errs by about k·2⁻²⁴ at worst.
        let tolerance = 1e-7 * Double(test.k) * Double(abs(test.alpha)) + 1e-6
        expectClose(fast, naive, absoluteTolerance: tolerance, relativeTolerance: 1e-6)
    }

    @Test("is bit-identical across thread counts and repeated runs")
    func deterministic() {
        let test = GEMMCase(m: 131, n: 173, k: 97, transposeA: .none, transposeB: .transposed)
        let (once, _) = runBothGEMMs(test, threadCount: 2)
        let (twice, _) = runBothGEMMs(test, threadCount: 2)
        let (single, _) = runBothGEMMs(test, threadCount: 1)
        let (three, _) = runBothGEMMs(test, threadCount: 3)
        #expect(once.map(\.bitPattern) == twice.map(\.bitPattern))
        #expect(once.map(\.bitPattern) == single.map(\.bitPattern))
        #expect(once.map(\.bitPattern) == three.map(\.bitPattern))
    }

    @Test("an empty depth scales C by beta, and zeroes it without reading when beta is 0")
    func emptyDepth() {
        var c: [Float] = [1, 2, .nan, 4]
        let unused: [Float] = [0]
        gemm(
            .none, .none, m: 2, n: 2, k: 0, alpha: 1, a: unused, lda: 0, b: unused, ldb: 2,
            beta: 0, c: &c, ldc: 2)
        #expect(c == [0, 0, 0, 0])
        c = [1, 2, 3, 4]
        gemm(
            .none, .none, m: 2, n: 2, k: 0, alpha: 1, a: unused, lda: 0, b: unused, ldb: 2,
            beta: -2, c: &c, ldc: 2)
        #expect(c == [-2, -4, -6, -8])
    }

    @Test("computes a small product exactly (values worked by hand)")
    func smallProduct() {
        // [1 2 3; 4 5 6] · [1 0; 0 1; 1 1] = [4 5; 10 11]; every term is an exact integer.
        let a: [Float] = [1, 2, 3, 4, 5, 6]
        let b: [Float] = [1, 0, 0, 1, 1, 1]
        var c = [Float](repeating: .nan, count: 4)
        gemm(
            .none, .none, m: 2, n: 2, k: 3, alpha: 1, a: a, lda: 3, b: b, ldb: 2, beta: 0,
            c: &c, ldc: 2)
        #expect(c == [4, 5, 10, 11])
    }
}
