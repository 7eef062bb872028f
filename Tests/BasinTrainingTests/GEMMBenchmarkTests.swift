import BasinTestSupport
import Testing

@testable import BasinTraining

@Suite("GEMM benchmark")
struct GEMMBenchmarkTests {
    @Test("a shape counts 2·m·n·k operations and prints as m×n×k")
    func shape() {
        let shape = GEMMShape(m: 2048, n: 2048, k: 2048)
        #expect(shape.operationCount == 17_179_869_184)
        #expect(GEMMShape(m: 128, n: 4608, k: 512).description == "128×4608×512")
    }

    @Test("GFLOP/s are the operations of a product over the median and the fastest run")
    func rates() {
        // 2·50·40·25 = 100,000 operations in 10 µs (median) and 5 µs (fastest).
        let clock = ScriptedClock(durations: [1e-5, 5e-6, 2e-5])
        let policy = TimingPolicy(warmUpCount: 1, minimumSeconds: 0, minimumRepeatCount: 3)
        let result = GEMMBenchmark.run(
            GEMMShape(m: 50, n: 40, k: 25), threadCount: 2, policy: policy, clock: clock.read)
        #expect(result.throughput.timing.repeatCount == 3)
        #expect(result.threadCount == 2)
        expectClose(
            result.medianGigaflopsPerSecond, 10, absoluteTolerance: 0, relativeTolerance: 1e-12)
        expectClose(
            result.bestGigaflopsPerSecond, 20, absoluteTolerance: 0, relativeTolerance: 1e-12)
    }
}
