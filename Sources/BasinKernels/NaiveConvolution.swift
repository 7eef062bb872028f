// Dimension letters as in Convolution.swift: N batch, C input channels, O output channels,
// H × W input, P × Q output, R × S kernel. The reference twins of the fast convolution
// kernels: direct loops with Double accumulation, slow and plainly correct.

/// Reference twin of `convolutionForward`: direct loops, Double accumulation.
public func naiveConvolutionForward(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
) {
    let (outH, outW) = (g.outputHeight, g.outputWidth)
    for n in 0..<g.batch {
        for o in 0..<g.outputChannels {
            for p in 0..<outH {
                for q in 0..<outW {
                    var sum = bias.map { Double($0[o]) } ?? 0
                    for c in 0..<g.inputChannels {
                        for r in 0..<g.kernelHeight {
                            let h = p * g.stride + r - g.padding
                            if h < 0 || h >= g.inputHeight { continue }
                            for s in 0..<g.kernelWidth {
                                let w = q * g.stride + s - g.padding
                                if w < 0 || w >= g.inputWidth { continue }
                                let x = input[
                                    ((n * g.inputChannels + c) * g.inputHeight + h) * g.inputWidth
                                        + w]
                                let k = weight[
                                    ((o * g.inputChannels + c) * g.kernelHeight + r) * g.kernelWidth
                                        + s]
                                sum += Double(x) * Double(k)
                            }
                        }
                    }
                    output[((n * g.outputChannels + o) * outH + p) * outW + q] = Float(sum)
                }
            }
        }
    }
}

/// Reference twin of `convolutionBackwardInput`.
public func naiveConvolutionBackwardInput(
    _ g: ConvolutionGeometry, outputGradient: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>
) {
    let (outH, outW) = (g.outputHeight, g.outputWidth)
    var sums = [Double](repeating: 0, count: g.inputCount)
    for n in 0..<g.batch {
        for o in 0..<g.outputChannels {
            for p in 0..<outH {
                for q in 0..<outW {
                    let dy = Double(
                        outputGradient[((n * g.outputChannels + o) * outH + p) * outW + q])
                    for c in 0..<g.inputChannels {
                        for r in 0..<g.kernelHeight {
                            let h = p * g.stride + r - g.padding
                            if h < 0 || h >= g.inputHeight { continue }
                            for s in 0..<g.kernelWidth {
                                let w = q * g.stride + s - g.padding
                                if w < 0 || w >= g.inputWidth { continue }
                                let k = weight[
                                    ((o * g.inputChannels + c) * g.kernelHeight + r) * g.kernelWidth
                                        + s]
                                sums[
                                    ((n * g.inputChannels + c) * g.inputHeight + h) * g.inputWidth
                                        + w] += dy * Double(k)
                            }
                        }
                    }
                }
            }
        }
    }
    for index in 0..<g.inputCount { inputGradient[index] = Float(sums[index]) }
}

/// Reference twin of `convolutionBackwardWeight`.
public func naiveConvolutionBackwardWeight(
    _ g: ConvolutionGeometry, input: UnsafePointer<Float>,
    outputGradient: UnsafePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
    accumulate: Bool
) {
    let (outH, outW) = (g.outputHeight, g.outputWidth)
    for o in 0..<g.outputChannels {
        for c in 0..<g.inputChannels {
            for r in 0..<g.kernelHeight {
                for s in 0..<g.kernelWidth {
                    var sum = 0.0
                    for n in 0..<g.batch {
                        for p in 0..<outH {
                            let h = p * g.stride + r - g.padding
                            if h < 0 || h >= g.inputHeight { continue }
                            for q in 0..<outW {
                                let w = q * g.stride + s - g.padding
                                if w < 0 || w >= g.inputWidth { continue }
                                let x = input[
                                    ((n * g.inputChannels + c) * g.inputHeight + h) * g.inputWidth
                                        + w]
                                let dy = outputGradient[
                                    ((n * g.outputChannels + o) * outH + p) * outW + q]
                                sum += Double(x) * Double(dy)
                            }
                        }
                    }
                    let index = ((o * g.inputChannels + c) * g.kernelHeight + r) * g.kernelWidth + s
                    weightGradient[index] = Float(sum) + (accumulate ? weightGradient[index] : 0)
                }
            }
        }
    }
}
