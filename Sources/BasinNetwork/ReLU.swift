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

    public init(shape: [Int]) {
        inputShape = shape
    }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        let count = context.batch * inputCount
        let y = output.reserve(count)
        let m: UnsafeMutablePointer<Float>
        switch context.activationPattern {
        case .live, .record:
            m = (context.activationPattern == .record ? recordedMask : mask).reserve(count)
            for index in 0..<count {
                let positive = input[index] > 0
                m[index] = positive ? 1 : 0
                y[index] = positive ? input[index] : 0
            }
        case .replay:
            precondition(recordedMask.capacity >= count, "ReLU replay without a recording")
            m = recordedMask.pointer
            for index in 0..<count { y[index] = input[index] * m[index] }
        }
        activeMask = UnsafePointer(m)
        return UnsafePointer(y)
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
        needsInputGradient
            ? masked(outputGradient, into: inputGradient, batch: context.batch) : nil
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
        for index in 0..<count { out[index] = value[index] * activeMask[index] }
        return UnsafePointer(out)
    }
}
