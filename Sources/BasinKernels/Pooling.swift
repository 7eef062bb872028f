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

// The fast kernels work plane by plane (one (n, c) pair), planes spread over threads.
// Within a plane they visit the same elements in the same order as the naive twins, so
// their results are bit-identical to the twins' and do not depend on the thread count;
// they gain by clamping each window to the image once instead of testing every element,
// and by a dedicated loop for the common 2 × 2, stride 2 window.

/// y = max over each window. `argmax[i]` receives the flat index into `input` of the
/// element chosen for output `i` (first maximum in row-major window order; NaN wins).
public func maxPoolForward(
    _ g: PoolingGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    argmax: UnsafeMutablePointer<Int32>
) {
    forEachPlaneChunk(g) { planes in
        for plane in planes {
            maxPoolPlane(g, plane: plane, input: input, output: output, argmax: argmax)
        }
    }
}

/// dx[argmax[i]] += dy[i]; overwrites `inputGradient` (zero where nothing was chosen).
/// - Precondition: `argmax` came from `maxPoolForward` with the same geometry (each
///   index lies in the plane of its output).
public func maxPoolBackward(
    _ g: PoolingGeometry, outputGradient: UnsafePointer<Float>, argmax: UnsafePointer<Int32>,
    inputGradient: UnsafeMutablePointer<Float>
) {
    let (inputSize, outputSize) = (g.inputHeight * g.inputWidth, g.outputHeight * g.outputWidth)
    forEachPlaneChunk(g) { planes in
        for plane in planes {
            (inputGradient + plane * inputSize).update(repeating: 0, count: inputSize)
            for out in (plane * outputSize)..<((plane + 1) * outputSize) {
                inputGradient[Int(argmax[out])] += outputGradient[out]
            }
        }
    }
}

/// y[i] = x[argmax[i]]: the tangent of max pooling, which follows the forward choice.
public func maxPoolGather(
    _ g: PoolingGeometry, input: UnsafePointer<Float>, argmax: UnsafePointer<Int32>,
    output: UnsafeMutablePointer<Float>
) {
    let outputSize = g.outputHeight * g.outputWidth
    forEachPlaneChunk(g) { planes in
        for out in (planes.lowerBound * outputSize)..<(planes.upperBound * outputSize) {
            output[out] = input[Int(argmax[out])]
        }
    }
}

/// y = mean over each window of `window²` elements, padded zeros included.
public func averagePoolForward(
    _ g: PoolingGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
) {
    let (inputSize, outputSize) = (g.inputHeight * g.inputWidth, g.outputHeight * g.outputWidth)
    let scale = 1 / Float(g.window * g.window)
    forEachPlaneChunk(g) { planes in
        for plane in planes {
            let x = input + plane * inputSize
            let y = output + plane * outputSize
            for p in 0..<g.outputHeight {
                let rows = g.windowRange(output: p, size: g.inputHeight)
                for q in 0..<g.outputWidth {
                    let columns = g.windowRange(output: q, size: g.inputWidth)
                    var sum: Float = 0
                    for h in rows {
                        for w in columns { sum += x[h * g.inputWidth + w] }
                    }
                    y[p * g.outputWidth + q] = sum * scale
                }
            }
        }
    }
}

/// The adjoint of `averagePoolForward`; overwrites `inputGradient`.
public func averagePoolBackward(
    _ g: PoolingGeometry, outputGradient: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>
) {
    let (inputSize, outputSize) = (g.inputHeight * g.inputWidth, g.outputHeight * g.outputWidth)
    let scale = 1 / Float(g.window * g.window)
    forEachPlaneChunk(g) { planes in
        for plane in planes {
            let dx = inputGradient + plane * inputSize
            let dy = outputGradient + plane * outputSize
            dx.update(repeating: 0, count: inputSize)
            for p in 0..<g.outputHeight {
                let rows = g.windowRange(output: p, size: g.inputHeight)
                for q in 0..<g.outputWidth {
                    let columns = g.windowRange(output: q, size: g.inputWidth)
                    let value = dy[p * g.outputWidth + q] * scale
                    for h in rows {
                        for w in columns { dx[h * g.inputWidth + w] += value }
                    }
                }
            }
        }
    }
}

extension PoolingGeometry {
    /// The input rows (or columns) of window `output` that lie inside the image:
    /// [o·stride − pad, o·stride − pad + window) ∩ [0, size).
    @inline(__always)
    func windowRange(output o: Int, size: Int) -> Range<Int> {
        let start = o * stride - padding
        return max(0, start)..<min(size, start + window)
    }
}

/// Runs `body` on contiguous ranges of planes, one per thread, each of at least about
/// 32 Ki input elements so that small tensors stay on one thread.
private func forEachPlaneChunk(_ g: PoolingGeometry, _ body: (Range<Int>) -> Void) {
    let planeSize = max(1, g.inputHeight * g.inputWidth)
    Parallelism.forEachChunk(g.planeCount, minimumChunk: max(1, 32_768 / planeSize), body)
}

/// Max pooling of one plane; a dedicated loop for 2 × 2 windows with stride 2.
@inline(__always)
private func maxPoolPlane(
    _ g: PoolingGeometry, plane: Int, input: UnsafePointer<Float>,
    output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>
) {
    let base = plane * g.inputHeight * g.inputWidth
    let x = input + base
    let outputBase = plane * g.outputHeight * g.outputWidth
    let width = g.inputWidth

    // The best of a window, scanning in row-major order; a later element replaces the
    // best when it is larger, or when it is NaN and the best is not.
    @inline(__always)
    func consider(_ index: Int, _ best: inout Float, _ bestIndex: inout Int) {
        let value = x[index]
        if value > best || value.isNaN && !best.isNaN {
            best = value
            bestIndex = index
        }
    }

    if g.window == 2 && g.stride == 2 && g.padding == 0 && g.outputWidth >= 4 {
        for p in 0..<g.outputHeight {
            maxPoolPairOfRows(
                x + 2 * p * width, width: width, outputWidth: g.outputWidth,
                firstIndex: base + 2 * p * width,
                output: output + outputBase + p * g.outputWidth,
                argmax: argmax + outputBase + p * g.outputWidth)
        }
        return
    }
    if g.window == 2 && g.stride == 2 && g.padding == 0 {
        for p in 0..<g.outputHeight {
            for q in 0..<g.outputWidth {
                let first = 2 * p * width + 2 * q
                var best = x[first]
                var bestIndex = first
                consider(first + 1, &best, &bestIndex)
                consider(first + width, &best, &bestIndex)
                consider(first + width + 1, &best, &bestIndex)
                let out = outputBase + p * g.outputWidth + q
                output[out] = best
                argmax[out] = Int32(base + bestIndex)
            }
        }
        return
    }

    for p in 0..<g.outputHeight {
        let rows = g.windowRange(output: p, size: g.inputHeight)
        for q in 0..<g.outputWidth {
            let columns = g.windowRange(output: q, size: width)
            let first = rows.lowerBound * width + columns.lowerBound
            var best = x[first]
            var bestIndex = first
            for h in rows {
                for w in columns where h * width + w != first {
                    consider(h * width + w, &best, &bestIndex)
                }
            }
            let out = outputBase + p * g.outputWidth + q
            output[out] = best
            argmax[out] = Int32(base + bestIndex)
        }
    }
}

/// y[n, c] = (1 / (H·W)) · Σ_{h,w} x[n, c, h, w], summed in Double: global average
/// pooling to an [N, C] tensor. Also its own tangent (it is linear).
public func globalAveragePoolForward(
    _ input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, planeCount: Int,
    planeSize: Int
) {
    let scale = 1 / Double(max(1, planeSize))
    for plane in 0..<planeCount {
        output[plane] = Float(
            planeSum(input + plane * planeSize, count: planeSize, center: 0) * scale)
    }
}

/// dx[n, c, h, w] = dy[n, c] / (H·W): the adjoint of `globalAveragePoolForward`;
/// overwrites `inputGradient`.
public func globalAveragePoolBackward(
    _ outputGradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>,
    planeCount: Int, planeSize: Int
) {
    let scale = 1 / Float(max(1, planeSize))
    for plane in 0..<planeCount {
        (inputGradient + plane * planeSize).update(
            repeating: outputGradient[plane] * scale, count: planeSize)
    }
}

/// One output row of 2 × 2, stride-2 max pooling, four outputs at a time: `top` is input
/// row 2p (the next row follows `width` floats later), `firstIndex` its flat index. The
/// four window elements are taken in row-major order with the rule of `maxPoolPlane`
/// (larger, or NaN over a number), lane by lane, so the choice and the value are those of
/// the scalar loop. When the row is not a multiple of four outputs long, the last step is
/// moved back to end at the row's end and recomputes a few outputs with the same result.
/// - Precondition: `outputWidth ≥ 4` and `width ≥ 2 · outputWidth`.
@inline(__always)
private func maxPoolPairOfRows(
    _ top: UnsafePointer<Float>, width: Int, outputWidth: Int, firstIndex: Int,
    output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>
) {
    let topRaw = UnsafeRawPointer(top)
    let bottomRaw = UnsafeRawPointer(top + width)
    let steps = SIMD4<Int32>(0, 2, 4, 6)
    var q = 0
    while q < outputWidth {
        let start = min(q, outputWidth - 4)
        let upper = topRaw.loadUnaligned(fromByteOffset: 8 * start, as: SIMD8<Float>.self)
        let lower = bottomRaw.loadUnaligned(fromByteOffset: 8 * start, as: SIMD8<Float>.self)

        // Candidates in window order: top-left, then top-right, bottom-left, bottom-right.
        var best = upper.evenHalf
        var offset = SIMD4<Int32>(repeating: 0)
        @inline(__always)
        func consider(_ candidate: SIMD4<Float>, _ candidateOffset: Int) {
            let replaces = (candidate .> best) .| ((candidate .!= candidate) .& (best .== best))
            best.replace(with: candidate, where: replaces)
            offset.replace(with: SIMD4(repeating: Int32(candidateOffset)), where: replaces)
        }
        consider(upper.oddHalf, 1)
        consider(lower.evenHalf, width)
        consider(lower.oddHalf, width + 1)

        let raw = UnsafeMutableRawPointer(output + start)
        raw.storeBytes(of: best, as: SIMD4<Float>.self)
        let indices = SIMD4(repeating: Int32(firstIndex + 2 * start)) &+ steps &+ offset
        UnsafeMutableRawPointer(argmax + start).storeBytes(of: indices, as: SIMD4<Int32>.self)
        q += 4
    }
}
