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

/// y = conv(x, w₁) + b₁ and z = conv(x, w₂) + b₂ by `convolutionForwardStacked`, and
/// z + conv(x₂, w₁) by `convolutionForwardAdding`, at one thread count; and the same by
/// the single forward pass.
struct StackedForwardResults {
    var first: [Float]
    var second: [Float]
    var added: [Float]

    init(_ g: ConvolutionGeometry, stacked: Bool, threadCount: Int = 2) {
        let (x, x2) = (uniformValues(g.inputCount, seed: 41), uniformValues(g.inputCount, seed: 42))
        let (w1, w2) = (
            uniformValues(g.weightCount, seed: 43), uniformValues(g.weightCount, seed: 44)
        )
        let (b1, b2) = (
            uniformValues(g.outputChannels, seed: 45), uniformValues(g.outputChannels, seed: 46)
        )
        var workspace = [Float](
            repeating: .nan, count: g.pairWorkspaceCount(threadCount: threadCount))
        // NaN in every output checks that the kernels overwrite rather than read.
        first = [Float](repeating: .nan, count: g.outputCount)
        second = first
        if stacked {
            // Both weights, and both outputs, side by side in one array each.
            var outputs = [Float](repeating: .nan, count: 2 * g.outputCount)
            let (w, b) = (w1 + w2, b1 + b2)
            w.withUnsafeBufferPointer { w in
                b.withUnsafeBufferPointer { b in
                    outputs.withUnsafeMutableBufferPointer { y in
                        let (w, b, y) = (w.baseAddress!, b.baseAddress!, y.baseAddress!)
                        convolutionForwardStacked(
                            g, input: x, weights: (w, w + g.weightCount),
                            biases: (b, b + g.outputChannels), outputs: (y, y + g.outputCount),
                            workspace: &workspace, threadCount: threadCount)
                    }
                }
            }
            first = Array(outputs[..<g.outputCount])
            second = Array(outputs[g.outputCount...])
            added = second
            convolutionForwardAdding(
                g, input: x2, weight: w1, output: &added, workspace: &workspace,
                threadCount: threadCount)
        } else {
            convolutionForward(
                g, input: x, weight: w1, bias: b1, output: &first, workspace: &workspace,
                threadCount: threadCount)
            convolutionForward(
                g, input: x, weight: w2, bias: b2, output: &second, workspace: &workspace,
                threadCount: threadCount)
            var term = [Float](repeating: .nan, count: g.outputCount)
            convolutionForward(
                g, input: x2, weight: w1, bias: nil, output: &term, workspace: &workspace,
                threadCount: threadCount)
            added = zip(second, term).map { $0 + $1 }
        }
    }
}

@Suite("the stacked and the adding forward passes against the single forward pass")
struct StackedForwardTests {
    @Test(
        "give the single pass's bits, or its sum within rounding", arguments: ConvolutionTests.cases
    )
    func matchesSingle(_ test: ConvolutionCase) {
        let g = test.geometry
        let bits = { (values: [Float]) in values.map(\.bitPattern) }
        for threads in [1, 2] {
            let stacked = StackedForwardResults(g, stacked: true, threadCount: threads)
            let single = StackedForwardResults(g, stacked: false, threadCount: threads)
            #expect(bits(stacked.first) == bits(single.first))
            #expect(bits(stacked.second) == bits(single.second))
            // The adding pass adds the product to z depth block by depth block: sums of at
            // most C·R·S + 1 products of values in [−1, 1) in another order.
            let depth = Double(g.inputChannels * g.kernelHeight * g.kernelWidth)
            expectClose(
                stacked.added, single.added, absoluteTolerance: 4e-7 * depth + 2e-6, "added")
        }
    }

    @Test("is bit-identical across thread counts", arguments: ConvolutionTests.cases)
    func deterministic(_ test: ConvolutionCase) {
        let g = test.geometry
        let bits = { (values: [Float]) in values.map(\.bitPattern) }
        let reference = StackedForwardResults(g, stacked: true, threadCount: 2)
        for threads in [1, 3] {
            let other = StackedForwardResults(g, stacked: true, threadCount: threads)
            #expect(bits(reference.first) == bits(other.first))
            #expect(bits(reference.second) == bits(other.second))
            #expect(bits(reference.added) == bits(other.added))
        }
    }
}

@Suite("the weight-gradient pair against two single weight gradients")
struct BackwardWeightPairTests {
    @Test(
        "gives each single gradient's bits at every thread count", arguments: ConvolutionTests.cases
    )
    func matchesSingle(_ test: ConvolutionCase) {
        let g = test.geometry
        let x = uniformValues(g.inputCount, seed: 51)
        let dy = uniformValues(2 * g.outputCount, seed: 52)
        let bits = { (values: [Float]) in values.map(\.bitPattern) }
        for threads in [1, 2, 3] {
            var workspace = [Float](
                repeating: .nan, count: g.pairWorkspaceCount(threadCount: threads))
            // NaN in both outputs checks that the pair overwrites rather than reads.
            var pair = [Float](repeating: .nan, count: 2 * g.weightCount)
            dy.withUnsafeBufferPointer { dy in
                pair.withUnsafeMutableBufferPointer { dw in
                    let (dy, dw) = (dy.baseAddress!, dw.baseAddress!)
                    convolutionBackwardWeightPair(
                        g, input: x, outputGradients: (dy, dy + g.outputCount),
                        weightGradients: (dw, dw + g.weightCount), workspace: &workspace,
                        threadCount: threads)
                }
            }
            for term in 0..<2 {
                var single = [Float](repeating: .nan, count: g.weightCount)
                let gradient = Array(dy[(term * g.outputCount)..<((term + 1) * g.outputCount)])
                convolutionBackwardWeight(
                    g, input: x, outputGradient: gradient, weightGradient: &single,
                    accumulate: false, workspace: &workspace, threadCount: threads)
                let half = Array(pair[(term * g.weightCount)..<((term + 1) * g.weightCount)])
                #expect(bits(half) == bits(single), "term \(term), \(threads) threads")
            }
        }
    }
}

@Suite("the forward pass with an epilogue against the plain pass and the epilogue after it")
struct ConvolutionEpilogueTests {
    @Test(
        "gives the bits of BatchNorm's map and the rectifier applied to the stored output",
        arguments: ConvolutionTests.cases)
    func matchesSeparatePasses(_ test: ConvolutionCase) {
        let g = test.geometry
        let (x, w) = (uniformValues(g.inputCount, seed: 61), uniformValues(g.weightCount, seed: 62))
        let bias = uniformValues(g.outputChannels, seed: 63)
        let mean = uniformValues(g.outputChannels, seed: 64)
        let scale = uniformValues(g.outputChannels, seed: 65).map { 1 + $0 * $0 }
        let (gamma, beta) = (
            uniformValues(g.outputChannels, seed: 66), uniformValues(g.outputChannels, seed: 67)
        )
        let bits = { (values: [Float]) in values.map(\.bitPattern) }
        for (threads, rectifies) in [(1, true), (2, true), (2, false), (3, false)] {
            var workspace = [Float](
                repeating: .nan, count: g.workspaceCount(threadCount: threads))
            var plain = [Float](repeating: .nan, count: g.outputCount)
            convolutionForward(
                g, input: x, weight: w, bias: bias, output: &plain, workspace: &workspace,
                threadCount: threads)
            // BatchNorm's forward with running statistics, then ReLU's, as those layers
            // compute them.
            var expected = plain
            let planeSize = g.outputHeight * g.outputWidth
            for index in expected.indices {
                let o = index / planeSize % g.outputChannels
                let value = gamma[o] * ((plain[index] - mean[o]) * scale[o]) + beta[o]
                expected[index] = rectifies ? (value > 0 ? value : 0) : value
            }
            var fused = [Float](repeating: .nan, count: g.outputCount)
            mean.withUnsafeBufferPointer { mean in
                scale.withUnsafeBufferPointer { scale in
                    gamma.withUnsafeBufferPointer { gamma in
                        beta.withUnsafeBufferPointer { beta in
                            let epilogue = ConvolutionEpilogue(
                                mean: mean.baseAddress!, scale: scale.baseAddress!,
                                gamma: gamma.baseAddress!, beta: beta.baseAddress!,
                                rectifies: rectifies)
                            convolutionForward(
                                g, input: x, weight: w, bias: bias, output: &fused,
                                workspace: &workspace, threadCount: threads, epilogue: epilogue)
                        }
                    }
                }
            }
            #expect(bits(fused) == bits(expected), "\(threads) threads, rectifies \(rectifies)")
        }
    }
}
