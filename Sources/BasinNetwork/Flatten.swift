// Dimension letters: N batch, C channels, H × W height and width; F = C·H·W.

/// Reshapes [N, C, H, W] to [N, F] without moving data: every pass returns the pointer it
/// was given, so it costs nothing and its tangents are the identity.
public final class Flatten: Layer {
    public var hasParameters: Bool { false }
    public let inputShape: [Int]
    public var outputShape: [Int] { [inputCount] }

    public init(shape: [Int]) {
        inputShape = shape
    }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        input
    }

    public func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    {
        inputTangent
    }

    public func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        needsInputGradient ? outputGradient : nil
    }

    public func backwardTangent(
        _ outputGradient: UnsafePointer<Float>, _ outputGradientTangent: UnsafePointer<Float>,
        needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        needsInputGradient ? outputGradientTangent : nil
    }

    public func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double] {
        input
    }
}
