import BasinKernels

// Dimension letters: N batch, C channels, H × W input, P × Q output, k the window
// (square), stride and padding as in PyTorch (`ceil_mode=False`).

/// Max pooling over k×k windows (PyTorch `MaxPool2d`). Piecewise linear: the tangents
/// follow the window maxima chosen by the forward pass (first maximum on ties), or with
/// `ActivationPattern.replay` the maxima of the last recording pass.
///
///     ẏ[i] = ẋ[argmax i]      g_x = scatter(g_y)      R{g_x} = scatter(R{g_y})
public final class MaxPool2d: Layer {
    public var hasParameters: Bool { false }
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let window: Int
    public let stride: Int

    private let output = FloatBuffer()
    private let outputTangent = FloatBuffer()
    private let inputGradient = FloatBuffer()
    private let inputGradientTangent = FloatBuffer()
    private let argmax = Buffer<Int32>()
    private let recordedArgmax = Buffer<Int32>()
    private var activeArgmax: UnsafePointer<Int32>?
    private var referenceArgmax: [Int] = []

    public init(shape: [Int], window: Int, stride: Int? = nil) {
        precondition(shape.count == 3, "MaxPool2d needs [C, H, W], got \(shape)")
        inputShape = shape
        self.window = window
        self.stride = stride ?? window
        let g = PoolingGeometry(
            batch: 1, channels: shape[0], inputHeight: shape[1], inputWidth: shape[2],
            window: window, stride: self.stride)
        precondition(
            g.outputHeight >= 1 && g.outputWidth >= 1,
            "input \(shape) smaller than window \(window)")
        outputShape = [shape[0], g.outputHeight, g.outputWidth]
    }

    func geometry(batch: Int) -> PoolingGeometry {
        PoolingGeometry(
            batch: batch, channels: inputShape[0], inputHeight: inputShape[1],
            inputWidth: inputShape[2], window: window, stride: stride)
    }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        let g = geometry(batch: context.batch)
        let y = output.reserve(g.outputCount)
        switch context.activationPattern {
        case .live, .record:
            let chosen = (context.activationPattern == .record ? recordedArgmax : argmax)
                .reserve(g.outputCount)
            maxPoolForward(g, input: input, output: y, argmax: chosen)
            activeArgmax = UnsafePointer(chosen)
        case .replay:
            precondition(recordedArgmax.capacity >= g.outputCount, "replay without a recording")
            activeArgmax = UnsafePointer(recordedArgmax.pointer)
            maxPoolGather(g, input: input, argmax: recordedArgmax.pointer, output: y)
        }
        return UnsafePointer(y)
    }

    public func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    {
        guard let inputTangent else { return nil }
        let g = geometry(batch: context.batch)
        let yDot = outputTangent.reserve(g.outputCount)
        maxPoolGather(g, input: inputTangent, argmax: activeArgmax!, output: yDot)
        return UnsafePointer(yDot)
    }

    public func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        return scatter(outputGradient, into: inputGradient, batch: context.batch)
    }

    public func backwardTangent(
        _ outputGradient: UnsafePointer<Float>, _ outputGradientTangent: UnsafePointer<Float>,
        needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        guard needsInputGradient else { return nil }
        return scatter(outputGradientTangent, into: inputGradientTangent, batch: context.batch)
    }

    private func scatter(_ values: UnsafePointer<Float>, into buffer: FloatBuffer, batch: Int)
        -> UnsafePointer<Float>
    {
        let g = geometry(batch: batch)
        let gx = buffer.reserve(g.inputCount)
        maxPoolBackward(g, outputGradient: values, argmax: activeArgmax!, inputGradient: gx)
        return UnsafePointer(gx)
    }

    public func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double] {
        let g = geometry(batch: context.batch)
        let indices = poolReferenceWindows(g)
        switch context.activationPattern {
        case .live, .record:
            // First maximum in window order, as the kernel chooses.
            let chosen = indices.map { window in
                window.reduce(window[0]) { input[$1] > input[$0] ? $1 : $0 }
            }
            if context.activationPattern == .record { referenceArgmax = chosen }
            return chosen.map { input[$0] }
        case .replay:
            precondition(referenceArgmax.count == indices.count, "replay without a recording")
            return referenceArgmax.map { input[$0] }
        }
    }
}

/// Average pooling over k×k windows (PyTorch `AvgPool2d`, padded zeros counted). Linear,
/// so its tangent is itself and its backward tangent its adjoint.
public final class AvgPool2d: Layer {
    public var hasParameters: Bool { false }
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let window: Int
    public let stride: Int
    public let padding: Int

    private let output = FloatBuffer()
    private let outputTangent = FloatBuffer()
    private let inputGradient = FloatBuffer()
    private let inputGradientTangent = FloatBuffer()

    public init(shape: [Int], window: Int, stride: Int? = nil, padding: Int = 0) {
        precondition(shape.count == 3, "AvgPool2d needs [C, H, W], got \(shape)")
        inputShape = shape
        self.window = window
        self.stride = stride ?? window
        self.padding = padding
        let g = PoolingGeometry(
            batch: 1, channels: shape[0], inputHeight: shape[1], inputWidth: shape[2],
            window: window, stride: self.stride, padding: padding)
        precondition(
            g.outputHeight >= 1 && g.outputWidth >= 1,
            "input \(shape) smaller than window \(window)")
        outputShape = [shape[0], g.outputHeight, g.outputWidth]
    }

    func geometry(batch: Int) -> PoolingGeometry {
        PoolingGeometry(
            batch: batch, channels: inputShape[0], inputHeight: inputShape[1],
            inputWidth: inputShape[2], window: window, stride: stride, padding: padding)
    }

    private func pool(_ values: UnsafePointer<Float>, into buffer: FloatBuffer, batch: Int)
        -> UnsafePointer<Float>
    {
        let g = geometry(batch: batch)
        let y = buffer.reserve(g.outputCount)
        averagePoolForward(g, input: values, output: y)
        return UnsafePointer(y)
    }

    private func adjoint(_ values: UnsafePointer<Float>, into buffer: FloatBuffer, batch: Int)
        -> UnsafePointer<Float>
    {
        let g = geometry(batch: batch)
        let gx = buffer.reserve(g.inputCount)
        averagePoolBackward(g, outputGradient: values, inputGradient: gx)
        return UnsafePointer(gx)
    }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        pool(input, into: output, batch: context.batch)
    }

    public func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    {
        inputTangent.map { pool($0, into: outputTangent, batch: context.batch) }
    }

    public func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        needsInputGradient
            ? adjoint(outputGradient, into: inputGradient, batch: context.batch) : nil
    }

    public func backwardTangent(
        _ outputGradient: UnsafePointer<Float>, _ outputGradientTangent: UnsafePointer<Float>,
        needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        needsInputGradient
            ? adjoint(outputGradientTangent, into: inputGradientTangent, batch: context.batch)
            : nil
    }

    public func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double] {
        let g = geometry(batch: context.batch)
        let area = Double(window * window)
        return poolReference(input, g) { window in window.reduce(0, +) / area }
    }
}

/// The in-bounds input indices of every output window, in row-major window order.
func poolReferenceWindows(_ g: PoolingGeometry) -> [[Int]] {
    var windows: [[Int]] = []
    for plane in 0..<g.planeCount {
        for row in 0..<g.outputHeight {
            for column in 0..<g.outputWidth {
                var window: [Int] = []
                for r in 0..<g.window {
                    let h = row * g.stride + r - g.padding
                    guard h >= 0 && h < g.inputHeight else { continue }
                    for s in 0..<g.window {
                        let w = column * g.stride + s - g.padding
                        guard w >= 0 && w < g.inputWidth else { continue }
                        window.append((plane * g.inputHeight + h) * g.inputWidth + w)
                    }
                }
                windows.append(window)
            }
        }
    }
    return windows
}

/// Applies `reduce` to the in-bounds values of every window, in Double.
func poolReference(_ input: [Double], _ g: PoolingGeometry, _ reduce: ([Double]) -> Double)
    -> [Double]
{
    var y = [Double](repeating: 0, count: g.outputCount)
    let (p, q) = (g.outputHeight, g.outputWidth)
    for plane in 0..<g.planeCount {
        for row in 0..<p {
            for column in 0..<q {
                var window: [Double] = []
                for r in 0..<g.window {
                    let h = row * g.stride + r - g.padding
                    guard h >= 0 && h < g.inputHeight else { continue }
                    for s in 0..<g.window {
                        let w = column * g.stride + s - g.padding
                        guard w >= 0 && w < g.inputWidth else { continue }
                        window.append(input[(plane * g.inputHeight + h) * g.inputWidth + w])
                    }
                }
                y[(plane * p + row) * q + column] = reduce(window)
            }
        }
    }
    return y
}
