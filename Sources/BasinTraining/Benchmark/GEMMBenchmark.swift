import BasinKernels

/// The size of a matrix product C[m×n] = A[m×k]·B[k×n].
public struct GEMMShape: Sendable, Hashable, Codable, CustomStringConvertible {
    public var m: Int
    public var n: Int
    public var k: Int

    public init(m: Int, n: Int, k: Int) {
        self.m = m
        self.n = n
        self.k = k
    }

    /// Floating-point operations of one product, 2·m·n·k (a multiply-add counts as two).
    public var operationCount: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// `m×n×k`.
    public var description: String { "\(m)×\(n)×\(k)" }
}

/// The speed of `gemm` on one shape.
public struct GEMMBenchmarkResult: Sendable, Equatable, Codable {
    public var shape: GEMMShape
    public var threadCount: Int
    /// Operations per second; `unitsPerRun` is 2·m·n·k.
    public var throughput: Throughput

    public init(shape: GEMMShape, threadCount: Int, timing: TimingSummary) {
        self.shape = shape
        self.threadCount = threadCount
        throughput = Throughput(unitsPerRun: shape.operationCount, timing: timing)
    }

    /// 10⁻⁹ · operations per second of the median run.
    public var medianGigaflopsPerSecond: Double { throughput.medianPerSecond / 1e9 }
    /// 10⁻⁹ · operations per second of the fastest run.
    public var bestGigaflopsPerSecond: Double { throughput.bestPerSecond / 1e9 }
}

/// Times the packed SIMD `gemm` of BasinKernels for `basin bench`.
public enum GEMMBenchmark {
    /// The reported shapes: a large square (the kernel's peak), a medium square whose
    /// operands fit in the last-level cache, and a short, wide product (128 rows, 4608
    /// columns, depth 512) whose few rows leave the threads only columns to share.
    public static let referenceShapes = [
        GEMMShape(m: 2048, n: 2048, k: 2048),
        GEMMShape(m: 512, n: 512, k: 512),
        GEMMShape(m: 128, n: 4608, k: 512),
    ]

    /// Times C = A·B (row-major, no transposes, alpha 1, beta 0) on `threadCount` threads,
    /// with A and B filled with seeded uniform values in [−1, 1).
    /// - Precondition: `m, n, k ≥ 1`, `threadCount ≥ 1`.
    public static func run(
        _ shape: GEMMShape, threadCount: Int, policy: TimingPolicy,
        clock: BenchmarkClock = monotonicBenchmarkSeconds
    ) -> GEMMBenchmarkResult {
        precondition(
            shape.m >= 1 && shape.n >= 1 && shape.k >= 1 && threadCount >= 1,
            "gemm benchmark of \(shape) on \(threadCount) threads")
        var generator = SeededGenerator(seed: 2048)
        let a = (0..<shape.m * shape.k).map { _ in 2 * generator.nextUnitFloat() - 1 }
        let b = (0..<shape.k * shape.n).map { _ in 2 * generator.nextUnitFloat() - 1 }
        var c = [Float](repeating: 0, count: shape.m * shape.n)
        let timing = a.withUnsafeBufferPointer { aBuffer in
            b.withUnsafeBufferPointer { bBuffer in
                c.withUnsafeMutableBufferPointer { cBuffer in
                    RepeatedTiming.measure(policy, clock: clock) {
                        gemm(
                            .none, .none, m: shape.m, n: shape.n, k: shape.k, alpha: 1,
                            a: aBuffer.baseAddress!, lda: shape.k, b: bBuffer.baseAddress!,
                            ldb: shape.n, beta: 0, c: cBuffer.baseAddress!, ldc: shape.n,
                            threadCount: threadCount)
                    }
                }
            }
        }
        return GEMMBenchmarkResult(shape: shape, threadCount: threadCount, timing: timing)
    }
}
