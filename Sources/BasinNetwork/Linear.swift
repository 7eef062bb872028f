import BasinKernels

// Dimension letters: N batch, I input features, O output features. x [N, I], y [N, O],
// W [O, I] (PyTorch layout), b [O], all row-major; V_W, v_b the direction's slices.

/// A fully connected layer, y = x·Wᵀ + b, computed with `gemm`.
///
/// Tangents (the layer is bilinear in x and W):
///
///     ẏ = ẋ·Wᵀ + x·V_Wᵀ + v_b
///     g_x = g_y·W              R{g_x} = R{g_y}·W + g_y·V_W
///     g_W = g_yᵀ·x             R{g_W} = R{g_y}ᵀ·x + g_yᵀ·ẋ
///     g_b = Σ_n g_y            R{g_b} = Σ_n R{g_y}
public final class Linear: Layer {
    public let inputFeatures: Int
    public let outputFeatures: Int
    public let weightOffset: Int
    public let biasOffset: Int
    public var inputShape: [Int] { [inputFeatures] }
    public var outputShape: [Int] { [outputFeatures] }

    private let output = FloatBuffer()
    private let outputTangent = FloatBuffer()
    private let inputGradient = FloatBuffer()
    private let inputGradientTangent = FloatBuffer()
    private var input: UnsafePointer<Float>?
    private var inputTangent: UnsafePointer<Float>?

    public init(_ name: String, inputFeatures: Int, outputFeatures: Int, layout: LayoutBuilder) {
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        let bound = 1 / Double(inputFeatures).squareRoot()
        (weightOffset, biasOffset) = layout.scoped(name) {
            (
                layout.parameter(
                    "weight", shape: [outputFeatures, inputFeatures], role: .weight,
                    initializer: .uniform(bound: bound)),
                layout.parameter(
                    "bias", shape: [outputFeatures], role: .bias,
                    initializer: .uniform(bound: bound))
            )
        }
    }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        self.input = input
        let y = output.reserve(context.batch * outputFeatures)
        gemm(
            .none, .transposed, m: context.batch, n: outputFeatures, k: inputFeatures,
            alpha: 1, a: input, lda: inputFeatures, b: context.parameters + weightOffset,
            ldb: inputFeatures, beta: 0, c: y, ldc: outputFeatures)
        addBias(context.parameters + biasOffset, to: y, batch: context.batch)
        return UnsafePointer(y)
    }

    public func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    {
        guard let direction = context.direction, let input else {
            preconditionFailure("Linear.forwardTangent needs a direction and a prior forward")
        }
        self.inputTangent = inputTangent
        let (n, o, i) = (context.batch, outputFeatures, inputFeatures)
        let yDot = outputTangent.reserve(n * o)
        gemm(
            .none, .transposed, m: n, n: o, k: i, alpha: 1, a: input, lda: i,
            b: direction + weightOffset, ldb: i, beta: 0, c: yDot, ldc: o)
        if let inputTangent {
            gemm(
                .none, .transposed, m: n, n: o, k: i, alpha: 1, a: inputTangent, lda: i,
                b: context.parameters + weightOffset, ldb: i, beta: 1, c: yDot, ldc: o)
        }
        addBias(direction + biasOffset, to: yDot, batch: n)
        return UnsafePointer(yDot)
    }

    public func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        guard let gradient = context.gradient, let input else {
            preconditionFailure("Linear.backward needs a gradient vector and a prior forward")
        }
        let (n, o, i) = (context.batch, outputFeatures, inputFeatures)
        gemm(
            .transposed, .none, m: o, n: i, k: n, alpha: 1, a: outputGradient, lda: o,
            b: input, ldb: i, beta: 0, c: gradient + weightOffset, ldc: i)
        sumRows(outputGradient, into: gradient + biasOffset, batch: n)
        guard needsInputGradient else { return nil }
        let gx = inputGradient.reserve(n * i)
        gemm(
            .none, .none, m: n, n: i, k: o, alpha: 1, a: outputGradient, lda: o,
            b: context.parameters + weightOffset, ldb: i, beta: 0, c: gx, ldc: i)
        return UnsafePointer(gx)
    }

    public func backwardTangent(
        _ outputGradient: UnsafePointer<Float>, _ outputGradientTangent: UnsafePointer<Float>,
        needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        guard let product = context.gradientTangent, let direction = context.direction,
            let input
        else {
            preconditionFailure("Linear.backwardTangent needs a product vector and a direction")
        }
        let (n, o, i) = (context.batch, outputFeatures, inputFeatures)

        // R{g_W} = R{g_y}ᵀ·x + g_yᵀ·ẋ, R{g_b} = Σ_n R{g_y}.
        gemm(
            .transposed, .none, m: o, n: i, k: n, alpha: 1, a: outputGradientTangent, lda: o,
            b: input, ldb: i, beta: 0, c: product + weightOffset, ldc: i)
        if let inputTangent {
            gemm(
                .transposed, .none, m: o, n: i, k: n, alpha: 1, a: outputGradient, lda: o,
                b: inputTangent, ldb: i, beta: 1, c: product + weightOffset, ldc: i)
        }
        sumRows(outputGradientTangent, into: product + biasOffset, batch: n)

        // R{g_x} = R{g_y}·W + g_y·V_W.
        guard needsInputGradient else { return nil }
        let gxDot = inputGradientTangent.reserve(n * i)
        gemm(
            .none, .none, m: n, n: i, k: o, alpha: 1, a: outputGradientTangent, lda: o,
            b: context.parameters + weightOffset, ldb: i, beta: 0, c: gxDot, ldc: i)
        gemm(
            .none, .none, m: n, n: i, k: o, alpha: 1, a: outputGradient, lda: o,
            b: direction + weightOffset, ldb: i, beta: 1, c: gxDot, ldc: i)
        return UnsafePointer(gxDot)
    }

    public func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double] {
        let (o, i) = (outputFeatures, inputFeatures)
        let parameters = context.parameters
        var y = [Double](repeating: 0, count: context.batch * o)
        for n in 0..<context.batch {
            for row in 0..<o {
                var sum = parameters[biasOffset + row]
                for column in 0..<i {
                    sum += parameters[weightOffset + row * i + column] * input[n * i + column]
                }
                y[n * o + row] = sum
            }
        }
        return y
    }

    /// y[n, :] += b for every row n.
    private func addBias(
        _ bias: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, batch: Int
    ) {
        for n in 0..<batch {
            addInPlace(y + n * outputFeatures, bias, count: outputFeatures)
        }
    }

    /// s = Σ_n g[n, :], overwriting s.
    private func sumRows(_ g: UnsafePointer<Float>, into s: UnsafeMutablePointer<Float>, batch: Int)
    {
        s.update(repeating: 0, count: outputFeatures)
        for n in 0..<batch {
            addInPlace(s, g + n * outputFeatures, count: outputFeatures)
        }
    }
}
