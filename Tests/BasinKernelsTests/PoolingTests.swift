import BasinKernels
import BasinTestSupport
import Testing

/// One pooling geometry to check, named for the test log.
struct PoolingCase: CustomTestStringConvertible, Sendable {
    var geometry: PoolingGeometry

    init(height: Int, width: Int, window: Int, stride: Int? = nil, padding: Int = 0) {
        geometry = PoolingGeometry(
            batch: 2, channels: 3, inputHeight: height, inputWidth: width, window: window,
            stride: stride, padding: padding)
    }

    var testDescription: String {
        let g = geometry
        return "\(g.inputHeight)×\(g.inputWidth) window \(g.window) stride \(g.stride) "
            + "pad \(g.padding)"
    }
}

@Suite("pooling kernels against their naive twins")
struct PoolingTests {
    static let cases: [PoolingCase] = [
        PoolingCase(height: 8, width: 6, window: 2),
        PoolingCase(height: 7, width: 9, window: 2),
        PoolingCase(height: 7, width: 5, window: 3, stride: 2, padding: 1),
        PoolingCase(height: 6, width: 6, window: 3, stride: 1, padding: 1),
        PoolingCase(height: 5, width: 7, window: 2, stride: 1),
        PoolingCase(height: 28, width: 28, window: 2),
    ]

    @Test("max and average pooling match the twins bit for bit", arguments: cases)
    func matchesNaive(_ test: PoolingCase) {
        let g = test.geometry
        var input = uniformValues(g.inputCount, seed: 31)
        input[5] = .nan  // NaN wins its window in both
        let outputGradient = uniformValues(g.outputCount, seed: 32)

        var fastOutput = [Float](repeating: 0, count: g.outputCount)
        var naiveOutput = fastOutput
        var fastArgmax = [Int32](repeating: -1, count: g.outputCount)
        var naiveArgmax = fastArgmax
        maxPoolForward(g, input: input, output: &fastOutput, argmax: &fastArgmax)
        naiveMaxPoolForward(g, input: input, output: &naiveOutput, argmax: &naiveArgmax)
        #expect(fastArgmax == naiveArgmax)
        #expect(fastOutput.map(\.bitPattern) == naiveOutput.map(\.bitPattern))

        var fastGradient = [Float](repeating: .nan, count: g.inputCount)
        var naiveGradient = fastGradient
        maxPoolBackward(
            g, outputGradient: outputGradient, argmax: fastArgmax, inputGradient: &fastGradient)
        naiveMaxPoolBackward(
            g, outputGradient: outputGradient, argmax: naiveArgmax, inputGradient: &naiveGradient)
        #expect(fastGradient == naiveGradient)

        var fastGather = [Float](repeating: 0, count: g.outputCount)
        var naiveGather = fastGather
        maxPoolGather(g, input: input, argmax: fastArgmax, output: &fastGather)
        naiveMaxPoolGather(
            g, input: input, argmax: naiveArgmax, output: &naiveGather)
        #expect(fastGather.map(\.bitPattern) == naiveGather.map(\.bitPattern))

        input[5] = 0.5
        averagePoolForward(g, input: input, output: &fastOutput)
        naiveAveragePoolForward(g, input: input, output: &naiveOutput)
        #expect(fastOutput == naiveOutput)
        averagePoolBackward(g, outputGradient: outputGradient, inputGradient: &fastGradient)
        naiveAveragePoolBackward(g, outputGradient: outputGradient, inputGradient: &naiveGradient)
        #expect(fastGradient == naiveGradient)
    }

    @Test(
        "2 × 2 max pooling keeps the scalar rule with ties and NaN in every window position",
        arguments: [(6, 8), (4, 14), (6, 29), (10, 28)])
    func tiesAndNaN(height: Int, width: Int) {
        let g = PoolingGeometry(
            batch: 2, channels: 2, inputHeight: height, inputWidth: width, window: 2)
        // Values in {−1, −0.5, 0, 0.5}, so most windows hold ties, and a NaN every 7th.
        var input = uniformValues(g.inputCount, seed: 33).map { ($0 * 2).rounded(.down) / 2 }
        for index in stride(from: 3, to: input.count, by: 7) { input[index] = .nan }
        var fastOutput = [Float](repeating: 0, count: g.outputCount)
        var naiveOutput = fastOutput
        var fastArgmax = [Int32](repeating: -1, count: g.outputCount)
        var naiveArgmax = fastArgmax
        maxPoolForward(g, input: input, output: &fastOutput, argmax: &fastArgmax)
        naiveMaxPoolForward(g, input: input, output: &naiveOutput, argmax: &naiveArgmax)
        #expect(fastArgmax == naiveArgmax)
        #expect(fastOutput.map(\.bitPattern) == naiveOutput.map(\.bitPattern))
    }

    @Test("max pooling picks the first maximum of a 2 × 2 window (worked by hand)")
    func firstMaximum() {
        let g = PoolingGeometry(batch: 1, channels: 1, inputHeight: 2, inputWidth: 4, window: 2)
        let input: [Float] = [1, 3, 5, 5, 3, 2, 4, 0]
        var output: [Float] = [0, 0]
        var argmax: [Int32] = [0, 0]
        maxPoolForward(g, input: input, output: &output, argmax: &argmax)
        #expect(output == [3, 5])
        #expect(argmax == [1, 2])
    }

    @Test("global average pooling and its adjoint (closed form: mean, then dy / L)")
    func globalAverage() {
        let input: [Float] = [1, 2, 3, 4, -1, -2, -3, 10]
        var output: [Float] = [0, 0]
        globalAveragePoolForward(input, output: &output, planeCount: 2, planeSize: 4)
        #expect(output == [2.5, 1])
        var gradient = [Float](repeating: .nan, count: 8)
        globalAveragePoolBackward([4, -8], inputGradient: &gradient, planeCount: 2, planeSize: 4)
        #expect(gradient == [1, 1, 1, 1, -2, -2, -2, -2])
    }
}
