import BasinKernels
import BasinTestSupport
import Testing

@Suite("element-wise kernels and channel reductions")
struct ElementwiseOperationsTests {
    /// Lengths around the eight-lane vector width, so both the vector loop and the tail run.
    static let counts = [0, 1, 7, 8, 9, 31, 100]

    @Test("ReLU forward and backward match the scalar definitions", arguments: counts)
    func relu(count: Int) {
        var input = uniformValues(count, seed: 41)
        if count > 3 {
            input[1] = 0
            input[2] = .nan
        }
        let gradient = uniformValues(count, seed: 42)
        var output = [Float](repeating: 7, count: count)
        reluForward(input, output: &output, count: count)
        var backward = [Float](repeating: 7, count: count)
        reluBackward(input, outputGradient: gradient, inputGradient: &backward, count: count)
        for index in 0..<count {
            let x = input[index]
            #expect(output[index].bitPattern == (x < 0 ? 0 : x).bitPattern, "index \(index)")
            #expect(backward[index] == (x > 0 ? gradient[index] : 0), "index \(index)")
        }
    }

    @Test("add, accumulate and scale match the scalar loops exactly", arguments: counts)
    func arithmetic(count: Int) {
        let x = uniformValues(count, seed: 43)
        let y = uniformValues(count, seed: 44)
        var sum = [Float](repeating: 0, count: count)
        add(x, y, output: &sum, count: count)
        #expect(sum == zip(x, y).map { $0 + $1 })
        var accumulated = y
        accumulate(x, into: &accumulated, count: count)
        #expect(accumulated == sum)
        var scaled = x
        scale(&scaled, by: -1.5, count: count)
        #expect(scaled == x.map { -1.5 * $0 })
    }

    @Test("channel bias, sums and centred square sums match Double loops")
    func channelReductions() {
        let (batch, channels, planeSize) = (3, 4, 13)
        let x = uniformValues(batch * channels * planeSize, seed: 45)
        let bias: [Float] = [1, -2, 0.5, 3]
        var biased = x
        addChannelBias(bias, to: &biased, batch: batch, channels: channels, planeSize: planeSize)
        var sums = [Double](repeating: 0, count: channels)
        channelSums(x, batch: batch, channels: channels, planeSize: planeSize, sums: &sums)
        let means = sums.map { $0 / Double(batch * planeSize) }
        var squares = [Double](repeating: 0, count: channels)
        channelCenteredSquareSums(
            x, batch: batch, channels: channels, planeSize: planeSize, means: means,
            squareSums: &squares)

        var expectedSums = [Double](repeating: 0, count: channels)
        var expectedSquares = [Double](repeating: 0, count: channels)
        for index in x.indices {
            let c = index / planeSize % channels
            #expect(biased[index] == x[index] + bias[c])
            expectedSums[c] += Double(x[index])
        }
        for index in x.indices {
            let c = index / planeSize % channels
            let centred = Double(x[index]) - expectedSums[c] / Double(batch * planeSize)
            expectedSquares[c] += centred * centred
        }
        expectClose(sums, expectedSums, absoluteTolerance: 1e-12)
        expectClose(squares, expectedSquares, absoluteTolerance: 1e-12)
    }
}
