// Dimension letters: N batch, C input channels, O output channels, H × W input height and
// width, P × Q output height and width, R × S kernel height and width. Tensors are NCHW,
// weights OCRS, all row-major and contiguous.

/// The sizes of one 2-D convolution (cross-correlation, as in PyTorch's `Conv2d`).
public struct ConvolutionGeometry: Hashable, Sendable {
    public var batch: Int
    public var inputChannels: Int
    public var inputHeight: Int
    public var inputWidth: Int
    public var outputChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var stride: Int
    public var padding: Int

    public init(
        batch: Int, inputChannels: Int, inputHeight: Int, inputWidth: Int,
        outputChannels: Int, kernelHeight: Int, kernelWidth: Int, stride: Int = 1,
        padding: Int = 0
    ) {
        precondition(
            stride >= 1 && padding >= 0, "stride \(stride) must be ≥ 1, padding \(padding) ≥ 0")
        self.batch = batch
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
    }

    /// P = ⌊(H + 2·padding − R) / stride⌋ + 1.
    public var outputHeight: Int { (inputHeight + 2 * padding - kernelHeight) / stride + 1 }
    /// Q = ⌊(W + 2·padding − S) / stride⌋ + 1.
    public var outputWidth: Int { (inputWidth + 2 * padding - kernelWidth) / stride + 1 }

    public var inputCount: Int { batch * inputChannels * inputHeight * inputWidth }
    public var outputCount: Int { batch * outputChannels * outputHeight * outputWidth }
    public var weightCount: Int { outputChannels * inputChannels * kernelHeight * kernelWidth }

    /// Floats of scratch memory the fast kernels need; callers allocate once and reuse.
    public var workspaceCount: Int {
        inputChannels * kernelHeight * kernelWidth * outputHeight * outputWidth
    }
}

/// y[n,o,p,q] = Σ_{c,r,s} w[o,c,r,s] · x[n,c,p·stride+r−pad,q·stride+s−pad] (+ bias[o]).
/// Overwrites `output`. `workspace` holds at least `geometry.workspaceCount` floats.
public func convolutionForward(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
    workspace: UnsafeMutablePointer<Float>
) {
    naiveConvolutionForward(geometry, input: input, weight: weight, bias: bias, output: output)
}

/// dx = Σ over outputs of w · dy (the transposed convolution). Overwrites `inputGradient`.
public func convolutionBackwardInput(
    _ geometry: ConvolutionGeometry, outputGradient: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>,
    workspace: UnsafeMutablePointer<Float>
) {
    naiveConvolutionBackwardInput(
        geometry, outputGradient: outputGradient, weight: weight, inputGradient: inputGradient)
}

/// dw[o,c,r,s] = Σ_{n,p,q} dy[n,o,p,q] · x[n,c,…]. Adds into `weightGradient` when
/// `accumulate` is true, else overwrites it.
public func convolutionBackwardWeight(
    _ geometry: ConvolutionGeometry, input: UnsafePointer<Float>,
    outputGradient: UnsafePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
    accumulate: Bool, workspace: UnsafeMutablePointer<Float>
) {
    naiveConvolutionBackwardWeight(
        geometry, input: input, outputGradient: outputGradient, weightGradient: weightGradient,
        accumulate: accumulate)
}

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
