import BasinKernels

// Dimension letters: N batch, C input channels, H × W input height and width, O output
// channels, P × Q output height and width, R × S kernel height and width. x [N, C, H, W],
// y [N, O, P, Q], W [O, C, R, S] (PyTorch layout), b [O], all row-major.

/// A 2-D convolution (cross-correlation, PyTorch `Conv2d` with square stride and zero
/// padding), with an optional bias. The arithmetic is done by the convolution kernels of
/// BasinKernels; this layer only wires them.
///
/// Tangents (the layer is bilinear in x and W; conv(x, W) is the forward map, convᵀ its
/// adjoint in x, corr(x, g) its adjoint in W):
///
///     ẏ = conv(ẋ, W) + conv(x, V_W) + v_b
///     g_x = convᵀ(g_y, W)          R{g_x} = convᵀ(R{g_y}, W) + convᵀ(g_y, V_W)
///     g_W = corr(x, g_y)           R{g_W} = corr(x, R{g_y}) + corr(ẋ, g_y)
///     g_b = Σ_{n,p,q} g_y          R{g_b} = Σ_{n,p,q} R{g_y}
public final class Conv2d: Layer {
    public let inputShape: [Int]
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let weightOffset: Int
    /// Offset of the bias in the parameter vector, nil without a bias.
    public let biasOffset: Int?
    public let outputShape: [Int]

    private let output = FloatBuffer()
    private let outputTangent = FloatBuffer()
    private let inputGradient = FloatBuffer()
    private let inputGradientTangent = FloatBuffer()
    private let workspace = FloatBuffer()
    private var input: UnsafePointer<Float>?
    private var inputTangent: UnsafePointer<Float>?
    /// Whether the tangent output holds conv(x, V_W) + v_b, computed by the forward pass
    /// alongside y, for the tangent pass to complete.
    private var tangentHoldsWeightPart = false
    /// Whether the backward pass left g_W for the tangent pass to compute with R{g_W}.
    private var weightGradientWaits = false

    /// A convolution named `name` (its tensors are `name.weight`, `name.bias`) on inputs of
    /// `inputShape` = [C, H, W]. Weights are drawn Kaiming-normal with fan_out = O·R·S,
    /// a bias uniformly in ±1/√(C·R·S) (PyTorch's default).
    public init(
        _ name: String, inputShape: [Int], outputChannels: Int, kernelSize: Int,
        stride: Int = 1, padding: Int = 0, bias: Bool, layout: LayoutBuilder
    ) {
        precondition(inputShape.count == 3, "Conv2d needs [C, H, W] input, got \(inputShape)")
        self.inputShape = inputShape
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        let shape = [outputChannels, inputShape[0], kernelSize, kernelSize]
        let fanIn = inputShape[0] * kernelSize * kernelSize
        (weightOffset, biasOffset) = layout.scoped(name) {
            let weight = layout.parameter(
                "weight", shape: shape, role: .weight,
                initializer: .kaimingNormal(fanOut: outputChannels * kernelSize * kernelSize))
            let bias =
                bias
                ? layout.parameter(
                    "bias", shape: [outputChannels], role: .bias,
                    initializer: .uniform(bound: 1 / Double(fanIn).squareRoot())) : nil
            return (weight, bias)
        }
        let geometry = ConvolutionGeometry(
            batch: 1, inputChannels: inputShape[0], inputHeight: inputShape[1],
            inputWidth: inputShape[2], outputChannels: outputChannels, kernelHeight: kernelSize,
            kernelWidth: kernelSize, stride: stride, padding: padding)
        precondition(
            geometry.outputHeight >= 1 && geometry.outputWidth >= 1,
            "\(name): input \(inputShape) is too small for a \(kernelSize)×\(kernelSize) kernel")
        outputShape = [outputChannels, geometry.outputHeight, geometry.outputWidth]
    }

    /// The kernels' description of this layer for `batch` images.
    public func geometry(batch: Int) -> ConvolutionGeometry {
        ConvolutionGeometry(
            batch: batch, inputChannels: inputShape[0], inputHeight: inputShape[1],
            inputWidth: inputShape[2], outputChannels: outputChannels, kernelHeight: kernelSize,
            kernelWidth: kernelSize, stride: stride, padding: padding)
    }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        self.input = input
        let g = geometry(batch: context.batch)
        let y = output.reserve(g.outputCount)
        let (weight, bias) = (
            context.parameters + weightOffset, biasOffset.map { context.parameters + $0 }
        )
        if let direction = context.direction {
            // A tangent pass follows: its part conv(x, V_W) + v_b shares the columns of x.
            convolutionForwardStacked(
                g, input: input, weights: (weight, direction + weightOffset),
                biases: (bias, biasOffset.map { direction + $0 }),
                outputs: (y, outputTangent.reserve(g.outputCount)),
                workspace: workspace.reserve(g.pairWorkspaceCount))
            tangentHoldsWeightPart = true
        } else {
            convolutionForward(
                g, input: input, weight: weight, bias: bias, output: y,
                workspace: workspace.reserve(g.workspaceCount))
            tangentHoldsWeightPart = false
        }
        return UnsafePointer(y)
    }

    /// The forward pass of an inference pass with the layers after it folded into the
    /// storing of y: y = epilogue(conv(x, W) + b).
    func forward(
        _ input: UnsafePointer<Float>, _ context: PassContext, epilogue: ConvolutionEpilogue
    ) -> UnsafePointer<Float> {
        self.input = input
        tangentHoldsWeightPart = false
        let g = geometry(batch: context.batch)
        let y = output.reserve(g.outputCount)
        convolutionForward(
            g, input: input, weight: context.parameters + weightOffset,
            bias: biasOffset.map { context.parameters + $0 }, output: y,
            workspace: workspace.reserve(g.workspaceCount), threadCount: Parallelism.threadCount,
            epilogue: epilogue)
        return UnsafePointer(y)
    }

    public func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    {
        guard let direction = context.direction, let input else {
            preconditionFailure("Conv2d.forwardTangent needs a direction and a prior forward")
        }
        self.inputTangent = inputTangent
        let g = geometry(batch: context.batch)
        let work = workspace.reserve(g.workspaceCount)
        let yDot = outputTangent.reserve(g.outputCount)
        if !tangentHoldsWeightPart {
            // A tangent pass without the forward pass before it (a repeated product).
            convolutionForward(
                g, input: input, weight: direction + weightOffset,
                bias: biasOffset.map { direction + $0 }, output: yDot, workspace: work)
        }
        tangentHoldsWeightPart = false
        if let inputTangent {
            convolutionForwardAdding(
                g, input: inputTangent, weight: context.parameters + weightOffset, output: yDot,
                workspace: work)
        }
        return UnsafePointer(yDot)
    }

    public func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        guard let gradient = context.gradient, let input else {
            preconditionFailure("Conv2d.backward needs a gradient vector and a prior forward")
        }
        let g = geometry(batch: context.batch)
        let work = workspace.reserve(g.workspaceCount)
        // With a tangent pass to follow, g_W waits for it: corr(x, g_y) and corr(x, R{g_y})
        // share the columns of x.
        weightGradientWaits = context.direction != nil
        if !weightGradientWaits {
            convolutionBackwardWeight(
                g, input: input, outputGradient: outputGradient,
                weightGradient: gradient + weightOffset, accumulate: false, workspace: work)
        }
        if let biasOffset { sumPlanes(outputGradient, into: gradient + biasOffset, g) }
        guard needsInputGradient else { return nil }
        let gx = inputGradient.reserve(g.inputCount)
        convolutionBackwardInput(
            g, outputGradient: outputGradient, weight: context.parameters + weightOffset,
            inputGradient: gx, workspace: work)
        return UnsafePointer(gx)
    }

    public func backwardTangent(
        _ outputGradient: UnsafePointer<Float>, _ outputGradientTangent: UnsafePointer<Float>,
        needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        guard let product = context.gradientTangent, let direction = context.direction,
            let input
        else {
            preconditionFailure("Conv2d.backwardTangent needs a product vector and a direction")
        }
        let g = geometry(batch: context.batch)
        let work = workspace.reserve(g.pairWorkspaceCount)

        // R{g_W} = corr(x, R{g_y}) + corr(ẋ, g_y), R{g_b} = Σ R{g_y}; g_W = corr(x, g_y)
        // with the first term when the backward pass left it.
        if weightGradientWaits, let gradient = context.gradient {
            convolutionBackwardWeightPair(
                g, input: input, outputGradients: (outputGradient, outputGradientTangent),
                weightGradients: (gradient + weightOffset, product + weightOffset),
                workspace: work)
        } else {
            convolutionBackwardWeight(
                g, input: input, outputGradient: outputGradientTangent,
                weightGradient: product + weightOffset, accumulate: false, workspace: work)
        }
        weightGradientWaits = false
        if let inputTangent {
            convolutionBackwardWeight(
                g, input: inputTangent, outputGradient: outputGradient,
                weightGradient: product + weightOffset, accumulate: true, workspace: work)
        }
        if let biasOffset { sumPlanes(outputGradientTangent, into: product + biasOffset, g) }

        // R{g_x} = convᵀ(R{g_y}, W) + convᵀ(g_y, V_W), one product of depth 2O.
        guard needsInputGradient else { return nil }
        let gxDot = inputGradientTangent.reserve(g.inputCount)
        convolutionBackwardInputPair(
            g, outputGradients: (outputGradientTangent, outputGradient),
            weights: (context.parameters + weightOffset, direction + weightOffset),
            inputGradient: gxDot, workspace: work)
        return UnsafePointer(gxDot)
    }

    public func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double] {
        let g = geometry(batch: context.batch)
        let (c, h, w) = (inputShape[0], inputShape[1], inputShape[2])
        let (p, q) = (g.outputHeight, g.outputWidth)
        let theta = context.parameters
        var y = [Double](repeating: 0, count: g.outputCount)
        for n in 0..<context.batch {
            for o in 0..<outputChannels {
                for row in 0..<p {
                    for column in 0..<q {
                        var sum = biasOffset.map { theta[$0 + o] } ?? 0
                        for channel in 0..<c {
                            for r in 0..<kernelSize {
                                let inRow = row * stride + r - padding
                                if inRow < 0 || inRow >= h { continue }
                                for s in 0..<kernelSize {
                                    let inColumn = column * stride + s - padding
                                    if inColumn < 0 || inColumn >= w { continue }
                                    let weight = theta[
                                        weightOffset
                                            + ((o * c + channel) * kernelSize + r) * kernelSize + s]
                                    sum +=
                                        weight
                                        * input[((n * c + channel) * h + inRow) * w + inColumn]
                                }
                            }
                        }
                        y[((n * outputChannels + o) * p + row) * q + column] = sum
                    }
                }
            }
        }
        return y
    }

    /// s[o] = Σ_{n,p,q} g[n, o, p, q], overwriting s.
    private func sumPlanes(
        _ g: UnsafePointer<Float>, into s: UnsafeMutablePointer<Float>,
        _ geometry: ConvolutionGeometry
    ) {
        let plane = geometry.outputHeight * geometry.outputWidth
        for o in 0..<outputChannels {
            var sum: Float = 0
            for n in 0..<geometry.batch {
                let base = g + (n * outputChannels + o) * plane
                for index in 0..<plane { sum += base[index] }
            }
            s[o] = sum
        }
    }
}
