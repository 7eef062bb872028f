// Dimension letters: N batch; the per-sample shape is whatever the layer is given ([F] or
// [C, H, W]); the layer acts elementwise on the N·(C·H·W) values.

/// The rectifier y = max(x, 0). Its derivative is the mask [x > 0] (0 at x = 0, as in
/// PyTorch) and its second derivative vanishes almost everywhere, so every tangent is the
/// same mask applied again:
///
///     ẏ = [x > 0]·ẋ      g_x = [x > 0]·g_y      R{g_x} = [x > 0]·R{g_y}
public final class ReLU: Layer {
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }

    private let output = FloatBuffer()
    private let outputTangent = FloatBuffer()
    private let inputGradient = FloatBuffer()
    private let inputGradientTangent = FloatBuffer()
    private var input: UnsafePointer<Float>?

    public init(shape: [Int]) {
        inputShape = shape
    }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        self.input = input
        let count = context.batch * inputCount
        let y = output.reserve(count)
        for index in 0..<count { y[index] = max(input[index], 0) }
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
        input.map { max($0, 0) }
    }

    /// out = [x > 0]·value, elementwise.
    private func masked(_ value: UnsafePointer<Float>, into buffer: FloatBuffer, batch: Int)
        -> UnsafePointer<Float>
    {
        guard let input else { preconditionFailure("ReLU tangent or backward before forward") }
        let count = batch * inputCount
        let out = buffer.reserve(count)
        for index in 0..<count { out[index] = input[index] > 0 ? value[index] : 0 }
        return UnsafePointer(out)
    }
}
