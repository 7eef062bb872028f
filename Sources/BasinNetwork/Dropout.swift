import BasinKernels

// Dimension letters: N batch; the layer acts elementwise on the N·F values of any shape.

/// Inverted dropout with a reproducible mask: each value is kept with probability 1 − p
/// and scaled by 1/(1 − p), else zeroed. The mask is a function of `seed` and `step` only
/// (a generator derived from the seed for stream `step`), so a training loop that sets
/// `step` to its iteration gets the same masks on every run, and passes repeated at one
/// step (a gradient and a Hessian-vector product, a finite difference) see the same mask.
/// When `isEnabled` is false the layer is the identity (evaluation).
///
///     y = m⊙x      ẏ = m⊙ẋ      g_x = m⊙g_y      R{g_x} = m⊙R{g_y}
public final class Dropout: Layer {
    public var hasParameters: Bool { false }
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public let probability: Float
    public let seed: UInt64
    public var step: UInt64 = 0
    public var isEnabled = true

    private let mask = FloatBuffer()
    private let output = FloatBuffer()
    private let outputTangent = FloatBuffer()
    private let inputGradient = FloatBuffer()
    private let inputGradientTangent = FloatBuffer()

    /// - Precondition: 0 ≤ probability < 1.
    public init(shape: [Int], probability: Float, seed: UInt64) {
        precondition(
            probability >= 0 && probability < 1, "dropout probability \(probability) not in [0, 1)")
        inputShape = shape
        self.probability = probability
        self.seed = seed
    }

    /// Fills the mask for `count` values from (`seed`, `step`).
    private func drawMask(count: Int) -> UnsafeMutablePointer<Float> {
        let m = mask.reserve(count)
        var generator = SeededGenerator(seed: seed).derived(stream: step)
        let keep = 1 / (1 - probability)
        for index in 0..<count { m[index] = generator.nextUnitFloat() < probability ? 0 : keep }
        return m
    }

    private func apply(_ values: UnsafePointer<Float>, into buffer: FloatBuffer, count: Int)
        -> UnsafePointer<Float>
    {
        guard isEnabled else { return values }
        let out = buffer.reserve(count)
        for index in 0..<count { out[index] = values[index] * mask.pointer[index] }
        return UnsafePointer(out)
    }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        let count = context.batch * inputCount
        if isEnabled { _ = drawMask(count: count) }
        return apply(input, into: output, count: count)
    }

    public func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    {
        inputTangent.map { apply($0, into: outputTangent, count: context.batch * inputCount) }
    }

    public func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        needsInputGradient
            ? apply(outputGradient, into: inputGradient, count: context.batch * inputCount) : nil
    }

    public func backwardTangent(
        _ outputGradient: UnsafePointer<Float>, _ outputGradientTangent: UnsafePointer<Float>,
        needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        needsInputGradient
            ? apply(
                outputGradientTangent, into: inputGradientTangent,
                count: context.batch * inputCount) : nil
    }

    public func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double] {
        guard isEnabled else { return input }
        var generator = SeededGenerator(seed: seed).derived(stream: step)
        let keep = 1 / (1 - Double(probability))
        return input.map { generator.nextUnitFloat() < probability ? 0 : $0 * keep }
    }
}
