// Dimension letters: N batch, C channels, H × W input, P × Q output. Tensors are NCHW.

/// The sizes of one 2-D pooling over square windows (PyTorch's `MaxPool2d`/`AvgPool2d`
/// with `ceil_mode=False`; average pooling counts padded zeros, `count_include_pad=True`).
public struct PoolingGeometry: Hashable, Sendable {
    public var batch: Int
    public var channels: Int
    public var inputHeight: Int
    public var inputWidth: Int
    public var window: Int
    public var stride: Int
    public var padding: Int

    public init(
        batch: Int, channels: Int, inputHeight: Int, inputWidth: Int, window: Int,
        stride: Int? = nil, padding: Int = 0
    ) {
        self.batch = batch
        self.channels = channels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.window = window
        self.stride = stride ?? window
        self.padding = padding
        precondition(
            window >= 1 && self.stride >= 1 && padding >= 0 && 2 * padding <= window,
            "pooling window \(window), stride \(self.stride), padding \(padding) are not valid")
    }

    public var outputHeight: Int { (inputHeight + 2 * padding - window) / stride + 1 }
    public var outputWidth: Int { (inputWidth + 2 * padding - window) / stride + 1 }
    public var planeCount: Int { batch * channels }
    public var inputCount: Int { planeCount * inputHeight * inputWidth }
    public var outputCount: Int { planeCount * outputHeight * outputWidth }
}

/// y = max over each window. `argmax[i]` receives the flat index into `input` of the
/// element chosen for output `i` (first maximum in row-major window order; NaN wins).
public func maxPoolForward(
    _ g: PoolingGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    argmax: UnsafeMutablePointer<Int32>
) {
    let (outH, outW) = (g.outputHeight, g.outputWidth)
    for plane in 0..<g.planeCount {
        let base = plane * g.inputHeight * g.inputWidth
        for p in 0..<outH {
            for q in 0..<outW {
                var best = -Float.infinity
                var bestIndex = -1
                for r in 0..<g.window {
                    let h = p * g.stride + r - g.padding
                    if h < 0 || h >= g.inputHeight { continue }
                    for s in 0..<g.window {
                        let w = q * g.stride + s - g.padding
                        if w < 0 || w >= g.inputWidth { continue }
                        let index = base + h * g.inputWidth + w
                        let value = input[index]
                        if bestIndex < 0 || value > best || value.isNaN && !best.isNaN {
                            best = value
                            bestIndex = index
                        }
                    }
                }
                let out = (plane * outH + p) * outW + q
                output[out] = best
                argmax[out] = Int32(bestIndex)
            }
        }
    }
}

/// dx[argmax[i]] += dy[i]; overwrites `inputGradient` (zero where nothing was chosen).
public func maxPoolBackward(
    _ g: PoolingGeometry, outputGradient: UnsafePointer<Float>, argmax: UnsafePointer<Int32>,
    inputGradient: UnsafeMutablePointer<Float>
) {
    inputGradient.update(repeating: 0, count: g.inputCount)
    for out in 0..<g.outputCount {
        inputGradient[Int(argmax[out])] += outputGradient[out]
    }
}

/// y[i] = x[argmax[i]]: the tangent of max pooling, which follows the forward choice.
public func maxPoolGather(
    _ g: PoolingGeometry, input: UnsafePointer<Float>, argmax: UnsafePointer<Int32>,
    output: UnsafeMutablePointer<Float>
) {
    for out in 0..<g.outputCount {
        output[out] = input[Int(argmax[out])]
    }
}

/// y = mean over each window of `window²` elements, padded zeros included.
public func averagePoolForward(
    _ g: PoolingGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
) {
    let (outH, outW) = (g.outputHeight, g.outputWidth)
    let scale = 1 / Float(g.window * g.window)
    for plane in 0..<g.planeCount {
        let base = plane * g.inputHeight * g.inputWidth
        for p in 0..<outH {
            for q in 0..<outW {
                var sum: Float = 0
                for r in 0..<g.window {
                    let h = p * g.stride + r - g.padding
                    if h < 0 || h >= g.inputHeight { continue }
                    for s in 0..<g.window {
                        let w = q * g.stride + s - g.padding
                        if w < 0 || w >= g.inputWidth { continue }
                        sum += input[base + h * g.inputWidth + w]
                    }
                }
                output[(plane * outH + p) * outW + q] = sum * scale
            }
        }
    }
}

/// The adjoint of `averagePoolForward`; overwrites `inputGradient`.
public func averagePoolBackward(
    _ g: PoolingGeometry, outputGradient: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>
) {
    let (outH, outW) = (g.outputHeight, g.outputWidth)
    let scale = 1 / Float(g.window * g.window)
    inputGradient.update(repeating: 0, count: g.inputCount)
    for plane in 0..<g.planeCount {
        let base = plane * g.inputHeight * g.inputWidth
        for p in 0..<outH {
            for q in 0..<outW {
                let dy = outputGradient[(plane * outH + p) * outW + q] * scale
                for r in 0..<g.window {
                    let h = p * g.stride + r - g.padding
                    if h < 0 || h >= g.inputHeight { continue }
                    for s in 0..<g.window {
                        let w = q * g.stride + s - g.padding
                        if w < 0 || w >= g.inputWidth { continue }
                        inputGradient[base + h * g.inputWidth + w] += dy
                    }
                }
            }
        }
    }
}
