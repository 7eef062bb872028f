// Dimension letters as in Pooling.swift: N batch, C channels, H × W input, P × Q output.
// The reference twins of the pooling kernels: plain loops over every window.

/// Reference twin of `maxPoolForward`: y = max over each window, `argmax[i]` the flat
/// index into `input` of the element chosen (first maximum in row-major window order;
/// NaN wins).
public func naiveMaxPoolForward(
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

/// Reference twin of `maxPoolBackward`: dx[argmax[i]] += dy[i]; overwrites
/// `inputGradient` (zero where nothing was chosen).
public func naiveMaxPoolBackward(
    _ g: PoolingGeometry, outputGradient: UnsafePointer<Float>, argmax: UnsafePointer<Int32>,
    inputGradient: UnsafeMutablePointer<Float>
) {
    inputGradient.update(repeating: 0, count: g.inputCount)
    for out in 0..<g.outputCount {
        inputGradient[Int(argmax[out])] += outputGradient[out]
    }
}

/// Reference twin of `maxPoolGather`: y[i] = x[argmax[i]].
public func naiveMaxPoolGather(
    _ g: PoolingGeometry, input: UnsafePointer<Float>, argmax: UnsafePointer<Int32>,
    output: UnsafeMutablePointer<Float>
) {
    for out in 0..<g.outputCount {
        output[out] = input[Int(argmax[out])]
    }
}

/// Reference twin of `averagePoolForward`: y = mean over each window of `window²`
/// elements, padded zeros included.
public func naiveAveragePoolForward(
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

/// Reference twin of `averagePoolBackward`; overwrites `inputGradient`.
public func naiveAveragePoolBackward(
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
