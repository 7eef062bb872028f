// Element-wise kernels and per-channel reductions on contiguous float buffers, eight
// lanes at a time. Dimension letters: N batch, C channels, L = H·W positions per plane;
// channel tensors are NCHW, so channel c of image n is the contiguous plane
// x[(n·C + c)·L ..< (n·C + c + 1)·L].

/// y = max(x, 0), elementwise; NaN stays NaN (as in PyTorch). `output` may be `input`.
public func reluForward(
    _ input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int
) {
    let source = UnsafeRawPointer(input)
    let target = UnsafeMutableRawPointer(output)
    var index = 0
    while index + 8 <= count {
        let x = source.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        let y = x.replacing(with: 0, where: x .< 0)
        target.storeBytes(of: y, toByteOffset: index * 4, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        output[index] = input[index] < 0 ? 0 : input[index]
        index += 1
    }
}

/// dx = dy where x > 0, else 0 (the derivative at 0 is taken as 0, as in PyTorch).
/// `input` is the forward input x (or its output y, which has the same sign pattern).
/// `inputGradient` may be `outputGradient`. Also the tangent of ReLU: ẏ = ẋ·[x > 0].
public func reluBackward(
    _ input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>, count: Int
) {
    let x = UnsafeRawPointer(input)
    let dy = UnsafeRawPointer(outputGradient)
    let dx = UnsafeMutableRawPointer(inputGradient)
    var index = 0
    while index + 8 <= count {
        let value = x.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        let gradient = dy.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        let masked = SIMD8<Float>().replacing(with: gradient, where: value .> 0)
        dx.storeBytes(of: masked, toByteOffset: index * 4, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        inputGradient[index] = input[index] > 0 ? outputGradient[index] : 0
        index += 1
    }
}

/// z = x + y, elementwise. `output` may alias either operand.
public func add(
    _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    count: Int
) {
    let left = UnsafeRawPointer(x)
    let right = UnsafeRawPointer(y)
    let target = UnsafeMutableRawPointer(output)
    var index = 0
    while index + 8 <= count {
        let sum =
            left.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            + right.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        target.storeBytes(of: sum, toByteOffset: index * 4, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        output[index] = x[index] + y[index]
        index += 1
    }
}

/// y ← y + x, elementwise.
public func accumulate(
    _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int
) {
    addInPlace(y, x, count: count)
}

/// x ← a·x, elementwise.
public func scale(_ x: UnsafeMutablePointer<Float>, by a: Float, count: Int) {
    let raw = UnsafeMutableRawPointer(x)
    var index = 0
    while index + 8 <= count {
        let value = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        raw.storeBytes(of: a * value, toByteOffset: index * 4, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        x[index] *= a
        index += 1
    }
}

/// y[n, c, l] += bias[c]: adds a per-channel bias to an NCHW tensor of `batch` images,
/// `channels` channels and `planeSize` positions per channel.
public func addChannelBias(
    _ bias: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, batch: Int, channels: Int,
    planeSize: Int
) {
    for plane in 0..<(batch * channels) {
        let value = bias[plane % channels]
        let target = UnsafeMutableRawPointer(y + plane * planeSize)
        var index = 0
        while index + 8 <= planeSize {
            let old = target.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            target.storeBytes(of: old + value, toByteOffset: index * 4, as: SIMD8<Float>.self)
            index += 8
        }
        while index < planeSize {
            y[plane * planeSize + index] += value
            index += 1
        }
    }
}

/// Per-channel sums of an NCHW tensor in Double: `sums[c] = Σ_{n,l} x[n,c,l]`. Each
/// plane is summed in eight Double lanes, planes in ascending n, so the result is
/// deterministic and carries about 15 significant digits (the batch-norm mean and the
/// bias gradient).
public func channelSums(
    _ x: UnsafePointer<Float>, batch: Int, channels: Int, planeSize: Int,
    sums: UnsafeMutablePointer<Double>
) {
    for c in 0..<channels {
        var sum = 0.0
        for n in 0..<batch {
            sum += planeSum(x + (n * channels + c) * planeSize, count: planeSize, center: 0)
        }
        sums[c] = sum
    }
}

/// Per-channel centred sums of squares in Double: `squareSums[c] = Σ_{n,l} (x[n,c,l] −
/// means[c])²` (the batch-norm variance times N·L, computed in two passes so that a large
/// mean does not cancel the digits of a small variance).
public func channelCenteredSquareSums(
    _ x: UnsafePointer<Float>, batch: Int, channels: Int, planeSize: Int,
    means: UnsafePointer<Double>, squareSums: UnsafeMutablePointer<Double>
) {
    for c in 0..<channels {
        var sum = 0.0
        for n in 0..<batch {
            sum += planeSquareSum(
                x + (n * channels + c) * planeSize, count: planeSize, center: means[c])
        }
        squareSums[c] = sum
    }
}

/// Σ (x[i] − center) over one plane, in eight Double lanes.
@inline(__always)
func planeSum(_ x: UnsafePointer<Float>, count: Int, center: Double) -> Double {
    let source = UnsafeRawPointer(x)
    let shift = SIMD8<Double>(repeating: center)
    var lanes = SIMD8<Double>()
    var index = 0
    while index + 8 <= count {
        let value = source.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        lanes += SIMD8<Double>(value) - shift
        index += 8
    }
    var sum = lanes.sum()
    while index < count {
        sum += Double(x[index]) - center
        index += 1
    }
    return sum
}

/// Σ (x[i] − center)² over one plane, in eight Double lanes.
@inline(__always)
func planeSquareSum(_ x: UnsafePointer<Float>, count: Int, center: Double) -> Double {
    let source = UnsafeRawPointer(x)
    let shift = SIMD8<Double>(repeating: center)
    var lanes = SIMD8<Double>()
    var index = 0
    while index + 8 <= count {
        let value = source.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        let centered = SIMD8<Double>(value) - shift
        lanes.addProduct(centered, centered)
        index += 8
    }
    var sum = lanes.sum()
    while index < count {
        let centered = Double(x[index]) - center
        sum += centered * centered
        index += 1
    }
    return sum
}
