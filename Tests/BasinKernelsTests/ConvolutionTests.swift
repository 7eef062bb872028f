import BasinKernels
import BasinTestSupport
import Testing

/// Seeded uniform values in [−1, 1).
func uniformValues(_ count: Int, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in 2 * generator.nextUnitFloat() - 1 }
}

/// One geometry to check, named for the test log.
struct ConvolutionCase: CustomTestStringConvertible, Sendable {
    var geometry: ConvolutionGeometry

    init(
        batch: Int = 3, channels: Int = 3, height: Int = 7, width: Int = 9, outputs: Int = 5,
        kernel: (Int, Int), stride: Int, padding: Int
    ) {
        geometry = ConvolutionGeometry(
            batch: batch, inputChannels: channels, inputHeight: height, inputWidth: width,
            outputChannels: outputs, kernelHeight: kernel.0, kernelWidth: kernel.1,
            stride: stride, padding: padding)
    }

    var testDescription: String {
        let g = geometry
        return "N\(g.batch) C\(g.inputChannels) \(g.inputHeight)×\(g.inputWidth) → "
            + "O\(g.outputChannels) kernel \(g.kernelHeight)×\(g.kernelWidth) "
            + "stride \(g.stride) pad \(g.padding)"
    }
}

/// Operands and results of the three passes, fast and naive, at one thread count.
struct ConvolutionResults {
    var forward: [Float]
    var backwardInput: [Float]
    var backwardWeight: [Float]
    var accumulatedWeight: [Float]

    /// Runs the fast kernels (with `threadCount`) or the naive twins on seeded operands.
    init(_ g: ConvolutionGeometry, naive: Bool, threadCount: Int = 2) {
        let input = uniformValues(g.inputCount, seed: 11)
        let weight = uniformValues(g.weightCount, seed: 12)
        let bias = uniformValues(g.outputChannels, seed: 13)
        let outputGradient = uniformValues(g.outputCount, seed: 14)
        let startingWeight = uniformValues(g.weightCount, seed: 15)
        // NaN in every output checks that the kernels overwrite rather than read.
        forward = [Float](repeating: .nan, count: g.outputCount)
        backwardInput = [Float](repeating: .nan, count: g.inputCount)
        backwardWeight = [Float](repeating: .nan, count: g.weightCount)
        accumulatedWeight = startingWeight
        if naive {
            naiveConvolutionForward(g, input: input, weight: weight, bias: bias, output: &forward)
            naiveConvolutionBackwardInput(
                g, outputGradient: outputGradient, weight: weight, inputGradient: &backwardInput)
            naiveConvolutionBackwardWeight(
                g, input: input, outputGradient: outputGradient, weightGradient: &backwardWeight,
                accumulate: false)
            naiveConvolutionBackwardWeight(
                g, input: input, outputGradient: outputGradient,
                weightGradient: &accumulatedWeight, accumulate: true)
            return
        }
        var workspace = [Float](repeating: .nan, count: g.workspaceCount(threadCount: threadCount))
        convolutionForward(
            g, input: input, weight: weight, bias: bias, output: &forward,
            workspace: &workspace, threadCount: threadCount)
        convolutionBackwardInput(
            g, outputGradient: outputGradient, weight: weight, inputGradient: &backwardInput,
            workspace: &workspace, threadCount: threadCount)
        convolutionBackwardWeight(
            g, input: input, outputGradient: outputGradient, weightGradient: &backwardWeight,
            accumulate: false, workspace: &workspace, threadCount: threadCount)
        convolutionBackwardWeight(
            g, input: input, outputGradient: outputGradient, weightGradient: &accumulatedWeight,
            accumulate: true, workspace: &workspace, threadCount: threadCount)
    }
}

@Suite("convolution kernels against their naive twins")
struct ConvolutionTests {
    /// Kernels 1×1, 3×3, 5×5 and one non-square, strides 1–2, paddings 0–2, non-square
    /// images, and batches of 1 (threaded product), 3 (threaded over images, one product
    /// per thread) and 25 (several products per thread, of unequal widths).
    static let cases: [ConvolutionCase] = [
        ConvolutionCase(kernel: (1, 1), stride: 1, padding: 0),
        ConvolutionCase(kernel: (1, 1), stride: 2, padding: 0),
        ConvolutionCase(kernel: (1, 1), stride: 1, padding: 1),
        ConvolutionCase(kernel: (3, 3), stride: 1, padding: 0),
        ConvolutionCase(kernel: (3, 3), stride: 1, padding: 1),
        ConvolutionCase(kernel: (3, 3), stride: 2, padding: 1),
        ConvolutionCase(kernel: (3, 3), stride: 2, padding: 2),
        ConvolutionCase(kernel: (5, 5), stride: 1, padding: 2),
        ConvolutionCase(kernel: (5, 5), stride: 2, padding: 0),
        ConvolutionCase(kernel: (5, 5), stride: 2, padding: 1),
        ConvolutionCase(kernel: (3, 1), stride: 1, padding: 1),
        ConvolutionCase(batch: 1, channels: 4, kernel: (3, 3), stride: 1, padding: 1),
        // Few output positions and many channels: the images of a batch side by side in
        // one product, and for a single image transposed products.
        ConvolutionCase(
            channels: 16, height: 7, width: 7, outputs: 32, kernel: (3, 3), stride: 1, padding: 1),
        ConvolutionCase(
            batch: 1, channels: 16, height: 7, width: 7, outputs: 32, kernel: (3, 3), stride: 1,
            padding: 1),
        ConvolutionCase(
            channels: 4, height: 5, width: 5, outputs: 16, kernel: (3, 3), stride: 1, padding: 0),
        ConvolutionCase(
            batch: 1, channels: 4, height: 7, width: 6, outputs: 32, kernel: (3, 3), stride: 2,
            padding: 0),
        ConvolutionCase(
            batch: 4, channels: 1, height: 11, width: 5, kernel: (3, 3), stride: 2, padding: 1),
        // One image and a 1 × 1 kernel: the backward-input product writes dx directly.
        ConvolutionCase(batch: 1, kernel: (1, 1), stride: 1, padding: 0),
        // 300 output positions: products of two images, so the batch splits into uneven
        // runs, and a patch of 72 values, so each partial weight gradient sums a run of two
        // images and one of one.
        ConvolutionCase(
            batch: 25, channels: 8, height: 15, width: 20, outputs: 3, kernel: (3, 3), stride: 1,
            padding: 1),
        // Column matrices read as runs of the image: a patch of 576 values (two depth
        // blocks), images of 9 positions (a 16-column panel spans several images), and a
        // 1 × 3 kernel with padding 1 (output rows that read only padding).
        ConvolutionCase(
            batch: 2, channels: 64, height: 6, width: 5, outputs: 7, kernel: (3, 3), stride: 1,
            padding: 1),
        ConvolutionCase(
            batch: 7, channels: 3, height: 3, width: 3, outputs: 5, kernel: (3, 3), stride: 1,
            padding: 1),
        ConvolutionCase(kernel: (1, 3), stride: 1, padding: 1),
        // Channel counts that are multiples of 16: the weight gradient packs its columns
        // from a channels-last copy of the images, with strides, paddings that leave some
        // output rows and columns all padding, 1 × 1 kernels, two panels per kernel
        // offset, and runs of 15 images of 7 × 7 (735 columns: two depth blocks that start
        // and end inside an image row).
        ConvolutionCase(
            batch: 5, channels: 16, height: 9, width: 7, outputs: 5, kernel: (3, 3), stride: 1,
            padding: 1),
        ConvolutionCase(
            channels: 16, height: 11, width: 9, outputs: 7, kernel: (3, 3), stride: 2,
            padding: 1),
        ConvolutionCase(
            channels: 32, height: 9, width: 7, outputs: 6, kernel: (1, 1), stride: 2,
            padding: 0),
        ConvolutionCase(
            channels: 16, height: 5, width: 6, outputs: 4, kernel: (1, 1), stride: 1,
            padding: 1),
        ConvolutionCase(
            batch: 2, channels: 16, height: 8, width: 9, outputs: 3, kernel: (5, 3), stride: 2,
            padding: 2),
        ConvolutionCase(
            batch: 25, channels: 16, height: 7, width: 7, outputs: 9, kernel: (3, 3), stride: 1,
            padding: 1),
        ConvolutionCase(
            batch: 1, channels: 32, height: 6, width: 5, outputs: 3, kernel: (3, 3), stride: 2,
            padding: 1),
    ]

    @Test("forward and both backward passes match the naive twins", arguments: cases)
    func matchesNaive(_ test: ConvolutionCase) {
        let g = test.geometry
        let fast = ConvolutionResults(g, naive: false)
        let naive = ConvolutionResults(g, naive: true)
        // Sums of at most C·R·S (or N·P·Q) products of values in [−1, 1), in Float.
        let depth = Double(g.inputChannels * g.kernelHeight * g.kernelWidth)
        let positions = Double(g.batch * g.outputHeight * g.outputWidth)
        let depthTolerance = 2e-7 * depth + 1e-6
        expectClose(fast.forward, naive.forward, absoluteTolerance: depthTolerance, "forward")
        expectClose(
            fast.backwardInput, naive.backwardInput,
            absoluteTolerance: 2e-7 * Double(g.outputChannels * 25) + 1e-6, "backward-input")
        expectClose(
            fast.backwardWeight, naive.backwardWeight, absoluteTolerance: 2e-7 * positions + 1e-6,
            "backward-weight")
        expectClose(
            fast.accumulatedWeight, naive.accumulatedWeight,
            absoluteTolerance: 2e-7 * positions + 1e-6, "backward-weight, accumulated")
    }

    @Test(
        "results are bit-identical run to run and across thread counts",
        arguments: [
            ConvolutionCase(
                batch: 5, channels: 3, height: 10, width: 9, outputs: 7, kernel: (3, 3),
                stride: 1, padding: 1),
            // Seven-by-seven images side by side in one product.
            ConvolutionCase(
                batch: 5, channels: 16, height: 7, width: 7, outputs: 32, kernel: (3, 3),
                stride: 1, padding: 1),
            // One image: transposed forward and backward-input products, threaded.
            ConvolutionCase(
                batch: 1, channels: 16, height: 7, width: 7, outputs: 32, kernel: (3, 3),
                stride: 1, padding: 1),
            // Several products per thread and per partial weight gradient.
            ConvolutionCase(
                batch: 25, channels: 8, height: 15, width: 20, outputs: 3, kernel: (3, 3),
                stride: 1, padding: 1),
            // One image of 144 positions and a patch of 576 values: on one thread the
            // product is built a few panels at a time (three chunks, the last one short,
            // each over two depth blocks), on two the whole column matrix is packed first.
            ConvolutionCase(
                batch: 1, channels: 64, height: 12, width: 12, outputs: 9, kernel: (3, 3),
                stride: 1, padding: 1),
            // A channels-last weight gradient over runs of several images.
            ConvolutionCase(
                batch: 25, channels: 16, height: 7, width: 7, outputs: 9, kernel: (3, 3),
                stride: 1, padding: 1),
        ])
    func deterministic(_ test: ConvolutionCase) {
        let g = test.geometry
        let first = ConvolutionResults(g, naive: false, threadCount: 2)
        let second = ConvolutionResults(g, naive: false, threadCount: 2)
        let single = ConvolutionResults(g, naive: false, threadCount: 1)
        let three = ConvolutionResults(g, naive: false, threadCount: 3)
        let bits = { (values: [Float]) in values.map(\.bitPattern) }
        for other in [second, single, three] {
            #expect(bits(first.forward) == bits(other.forward))
            #expect(bits(first.backwardInput) == bits(other.backwardInput))
            #expect(bits(first.backwardWeight) == bits(other.backwardWeight))
            #expect(bits(first.accumulatedWeight) == bits(other.accumulatedWeight))
        }
    }

    @Test("the bias gradient sums the output gradient over batch and positions")
    func biasGradient() {
        let g = ConvolutionGeometry(
            batch: 3, inputChannels: 2, inputHeight: 5, inputWidth: 6, outputChannels: 4,
            kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        let outputGradient = uniformValues(g.outputCount, seed: 21)
        var expected = [Double](repeating: 0, count: g.outputChannels)
        let planeSize = g.outputHeight * g.outputWidth
        for index in 0..<g.outputCount {
            expected[index / planeSize % g.outputChannels] += Double(outputGradient[index])
        }
        var biasGradient = [Float](repeating: 1, count: g.outputChannels)
        convolutionBiasGradient(
            g, outputGradient: outputGradient, biasGradient: &biasGradient, accumulate: true)
        expectClose(
            biasGradient.map(Double.init), expected.map { $0 + 1 }, absoluteTolerance: 1e-6)
    }
}
