import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinNetwork

@Suite("Run reductions")
struct RunReductionsTests {
    @Test("sums, dot products and squared deviations match Double on lengths that do not tile")
    func reductions() {
        var generator = SeededGenerator(seed: 3)
        for count in [1, 7, 8, 9, 31, 784] {
            let a = LayerCheck.gaussian(count, &generator)
            let b = LayerCheck.gaussian(count, &generator)
            let (x, y) = (a.map(Double.init), b.map(Double.init))
            let mean = x.reduce(0, +) / Double(count)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let (p, q) = (pa.baseAddress!, pb.baseAddress!)
                    // float32 sums of ≤ 784 terms of size ~1: error ≲ 784·2⁻²⁴·Σ|terms|.
                    let tolerance = 1e-4 * Double(count)
                    expectClose(
                        Double(RunReductions.sum(p, count)), x.reduce(0, +),
                        absoluteTolerance: tolerance)
                    expectClose(
                        Double(RunReductions.dot(p, q, count)),
                        zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }, absoluteTolerance: tolerance)
                    expectClose(
                        Double(RunReductions.squaredDeviation(p, center: Float(mean), count)),
                        x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) },
                        absoluteTolerance: tolerance)
                }
            }
        }
    }
}
