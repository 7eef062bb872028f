// Dimension letters: N batch, C channels, H × W height and width, S = H·W.

/// Global average pooling, [N, C, H, W] → [N, C] (PyTorch `AdaptiveAvgPool2d(1)` followed
/// by flattening): y[n, c] = (1/S)·Σ_s x[n, c, s]. Linear, so the tangent is the same map
/// and the backward tangent its adjoint, g_x[n, c, s] = g_y[n, c]/S.
public final class GlobalAveragePool: Layer {
    public var hasParameters: Bool { false }
    public let inputShape: [Int]
    public var outputShape: [Int] { [inputShape[0]] }

    private let output = FloatBuffer()
    private let outputTangent = FloatBuffer()
    private let inputGradient = FloatBuffer()
    private let inputGradientTangent = FloatBuffer()

    public init(shape: [Int]) {
        precondition(shape.count == 3, "GlobalAveragePool needs [C, H, W], got \(shape)")
        inputShape = shape
    }

    private var planeSize: Int { inputShape[1] * inputShape[2] }

    private func average(_ x: UnsafePointer<Float>, into buffer: FloatBuffer, batch: Int)
        -> UnsafePointer<Float>
    {
        let planes = batch * inputShape[0]
        let size = planeSize
        let y = buffer.reserve(planes)
        let scale = 1 / Float(size)
        for plane in 0..<planes {
            var sum: Float = 0
            for index in 0..<size { sum += x[plane * size + index] }
            y[plane] = sum * scale
        }
        return UnsafePointer(y)
    }

    private func spread(_ g: UnsafePointer<Float>, into buffer: FloatBuffer, batch: Int)
        -> UnsafePointer<Float>
    {
        let planes = batch * inputShape[0]
        let size = planeSize
        let gx = buffer.reserve(planes * size)
        let scale = 1 / Float(size)
        for plane in 0..<planes {
            let value = g[plane] * scale
            for index in 0..<size { gx[plane * size + index] = value }
        }
        return UnsafePointer(gx)
    }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        average(input, into: output, batch: context.batch)
    }

    public func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    {
        inputTangent.map { average($0, into: outputTangent, batch: context.batch) }
    }

    public func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        needsInputGradient
            ? spread(outputGradient, into: inputGradient, batch: context.batch) : nil
    }

    public func backwardTangent(
        _ outputGradient: UnsafePointer<Float>, _ outputGradientTangent: UnsafePointer<Float>,
        needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        needsInputGradient
            ? spread(outputGradientTangent, into: inputGradientTangent, batch: context.batch)
            : nil
    }

    public func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double] {
        let size = planeSize
        return (0..<context.batch * inputShape[0]).map { plane in
            input[plane * size..<(plane + 1) * size].reduce(0, +) / Double(size)
        }
    }
}
