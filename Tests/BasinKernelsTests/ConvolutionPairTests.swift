import BasinKernels
import BasinTestSupport
import Testing

/// dx = convᵀ(dy₁, w₁) + convᵀ(dy₂, w₂) by `convolutionBackwardInputPair` at one thread
/// count, or as the sum of two naive passes.
func backwardInputPair(_ g: ConvolutionGeometry, naive: Bool, threadCount: Int = 2) -> [Float] {
    let (dy1, dy2) = (
        uniformValues(g.outputCount, seed: 31), uniformValues(g.outputCount, seed: 32)
    )
    let (w1, w2) = (uniformValues(g.weightCount, seed: 33), uniformValues(g.weightCount, seed: 34))
    // NaN in the output checks that the kernel overwrites rather than reads.
    var dx = [Float](repeating: .nan, count: g.inputCount)
    if naive {
        var (first, second) = (dx, dx)
        naiveConvolutionBackwardInput(g, outputGradient: dy1, weight: w1, inputGradient: &first)
        naiveConvolutionBackwardInput(g, outputGradient: dy2, weight: w2, inputGradient: &second)
        return zip(first, second).map { $0 + $1 }
    }
    var workspace = [Float](repeating: .nan, count: g.pairWorkspaceCount(threadCount: threadCount))
    // Each pair of operands side by side in one array, read through two pointers.
    let (dy, w) = (dy1 + dy2, w1 + w2)
    dy.withUnsafeBufferPointer { dy in
        w.withUnsafeBufferPointer { w in
            let (dy, w) = (dy.baseAddress!, w.baseAddress!)
            convolutionBackwardInputPair(
                g, outputGradients: (dy, dy + g.outputCount), weights: (w, w + g.weightCount),
                inputGradient: &dx, workspace: &workspace, threadCount: threadCount)
        }
    }
    return dx
}

@Suite("the backward-input pair against the sum of two naive passes")
struct ConvolutionPairTests {
    @Test("matches the naive twins", arguments: ConvolutionTests.cases)
    func matchesNaive(_ test: ConvolutionCase) {
        let g = test.geometry
        // Two sums of at most O·R·S products of values in [−1, 1), in Float.
        expectClose(
            backwardInputPair(g, naive: false), backwardInputPair(g, naive: true),
            absoluteTolerance: 4e-7 * Double(g.outputChannels * 25) + 2e-6, "backward-input pair")
    }

    @Test(
        "is bit-identical run to run and across thread counts",
        arguments: [
            ConvolutionCase(
                batch: 5, channels: 3, height: 10, width: 9, outputs: 7, kernel: (3, 3),
                stride: 1, padding: 1),
            ConvolutionCase(
                batch: 5, channels: 16, height: 7, width: 7, outputs: 32, kernel: (3, 3),
                stride: 2, padding: 1),
            ConvolutionCase(
                batch: 25, channels: 8, height: 15, width: 20, outputs: 3, kernel: (3, 3),
                stride: 1, padding: 1),
            // One image of few positions: the transposed products, summed.
            ConvolutionCase(
                batch: 1, channels: 16, height: 7, width: 7, outputs: 32, kernel: (3, 3),
                stride: 1, padding: 1),
            ConvolutionCase(batch: 1, kernel: (1, 1), stride: 1, padding: 0),
        ])
    func deterministic(_ test: ConvolutionCase) {
        let g = test.geometry
        let first = backwardInputPair(g, naive: false, threadCount: 2)
        let bits = { (values: [Float]) in values.map(\.bitPattern) }
        for threads in [2, 1, 3] {
            #expect(bits(first) == bits(backwardInputPair(g, naive: false, threadCount: threads)))
        }
    }
}
