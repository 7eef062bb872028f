import BasinKernels

// Dimension letters: N batch; the per-sample shape is whatever the layer is given ([F] or
// [C, H, W]); the layer acts elementwise on the N·(C·H·W) values.

/// The rectifier y = max(x, 0). Its derivative is the mask m = [x > 0] (0 at x = 0, as
/// in PyTorch) and its second derivative vanishes almost everywhere, so every tangent is
/// the same mask applied again:
///
///     ẏ = m⊙ẋ      g_x = m⊙g_y      R{g_x} = m⊙R{g_y}
///
/// With `ActivationPattern.replay` the mask of the last recording pass is used instead of
/// [x > 0], and y = m⊙x.
public final class ReLU: Layer {
    public var hasParameters: Bool { false }
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }

    private let output = FloatBuffer()
    private let outputTangent = FloatBuffer()
    private let inputGradient = FloatBuffer()
    private let inputGradientTangent = FloatBuffer()
    /// m as 0 or 1 for the current pass.
    private let mask = FloatBuffer()
    /// m as recorded for replay.
    private let recordedMask = FloatBuffer()
    private var referenceMask: [Bool] = []
    private var activeMask: UnsafePointer<Float>?
    /// Whether the last forward pass was done by the BatchNorm before this layer
    /// (`bypass`): the backward pass then leaves the gradient to it.
    private var bypassed = false

    public init(shape: [Int]) {
        inputShape = shape
    }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        bypassed = false
        let count = context.batch * inputCount
        let y = output.reserve(count)
        switch context.activationPattern {
        case .live where context.isForwardOnly:
            // Nothing will read the mask: y alone.
            activeMask = nil
            forEachElementChunk(count) { range in
                rectify(input, output: y, mask: nil, range)
            }
            return UnsafePointer(y)
        case .live, .record:
            let m = (context.activationPattern == .record ? recordedMask : mask).reserve(count)
            forEachElementChunk(count) { range in rectify(input, output: y, mask: m, range) }
            activeMask = UnsafePointer(m)
        case .replay:
            precondition(recordedMask.capacity >= count, "ReLU replay without a recording")
            let m = UnsafePointer(recordedMask.pointer)
            forEachElementChunk(count) { range in multiply(input, m, into: y, range) }
            activeMask = m
        }
        return UnsafePointer(y)
    }

    /// The forward pass when the BatchNorm before this layer has stored the rectified
    /// values `rectified` itself (`BatchNorm.forward(_:_:rectifies:)`): they pass through,
    /// and so does the next backward pass's gradient, which that BatchNorm masks.
    func bypass(_ rectified: UnsafePointer<Float>) -> UnsafePointer<Float> {
        bypassed = true
        activeMask = nil
        return rectified
    }

    public func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    {
        guard let inputTangent else { return nil }
        return masked(inputTangent, into: outputTangent, batch: context.batch)
    }

    public func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        return bypassed
            ? outputGradient : masked(outputGradient, into: inputGradient, batch: context.batch)
    }

    public func backwardTangent(
        _ outputGradient: UnsafePointer<Float>, _ outputGradientTangent: UnsafePointer<Float>,
        needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        needsInputGradient
            ? masked(outputGradientTangent, into: inputGradientTangent, batch: context.batch)
            : nil
    }

    public func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double] {
        switch context.activationPattern {
        case .live:
            return input.map { max($0, 0) }
        case .record:
            referenceMask = input.map { $0 > 0 }
            return input.map { max($0, 0) }
        case .replay:
            precondition(referenceMask.count == input.count, "ReLU replay without a recording")
            return zip(input, referenceMask).map { $1 ? $0 : 0 }
        }
    }

    /// out = m⊙value, elementwise.
    private func masked(_ value: UnsafePointer<Float>, into buffer: FloatBuffer, batch: Int)
        -> UnsafePointer<Float>
    {
        guard let activeMask else { preconditionFailure("ReLU tangent or backward before forward") }
        let count = batch * inputCount
        let out = buffer.reserve(count)
        forEachElementChunk(count) { range in multiply(value, activeMask, into: out, range) }
        return UnsafePointer(out)
    }
}

/// Runs `body` on contiguous ranges covering `0..<count`, spread over the kernel threads
/// in pieces of at least 16 Ki elements; for elementwise work, whose result does not
/// depend on the split.
func forEachElementChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
    Parallelism.forEachChunk(count, minimumChunk: 1 << 14, body)
}

/// y = [x > 0]·x and, when `mask` is given, m = [x > 0] as 0 or 1, over `range`, eight
/// lanes at a time (NaN is not positive: y = 0 and m = 0, as in the scalar rule).
@inline(__always)
private func rectify(
    _ input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    mask: UnsafeMutablePointer<Float>?, _ range: Range<Int>
) {
    var index = range.lowerBound
    let (x, y) = (UnsafeRawPointer(input), UnsafeMutableRawPointer(output))
    while index + 8 <= range.upperBound {
        let value = x.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        let positive = value .> 0
        y.storeBytes(
            of: SIMD8<Float>().replacing(with: value, where: positive), toByteOffset: index * 4,
            as: SIMD8<Float>.self)
        if let mask {
            UnsafeMutableRawPointer(mask).storeBytes(
                of: SIMD8<Float>().replacing(with: 1, where: positive), toByteOffset: index * 4,
                as: SIMD8<Float>.self)
        }
        index += 8
    }
    while index < range.upperBound {
        let positive = input[index] > 0
        output[index] = positive ? input[index] : 0
        mask?[index] = positive ? 1 : 0
        index += 1
    }
}

/// out = a⊙b over `range`, eight lanes at a time.
@inline(__always)
private func multiply(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
    _ range: Range<Int>
) {
    var index = range.lowerBound
    let (left, right) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
    let target = UnsafeMutableRawPointer(out)
    while index + 8 <= range.upperBound {
        let product =
            left.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            * right.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
        target.storeBytes(of: product, toByteOffset: index * 4, as: SIMD8<Float>.self)
        index += 8
    }
    while index < range.upperBound {
        out[index] = a[index] * b[index]
        index += 1
    }
}
