import BasinKernels

// Dimension letters: N batch, C input channels, H × W input, D block width (planes),
// P × Q output (H/stride × W/stride for the 3×3, padding-1 convolutions).

/// The residual basic block of He et al. 2016 (CIFAR variant, PyTorch naming):
///
///     y = ReLU(bn2(conv2(ReLU(bn1(conv1(x))))) + shortcut(x))
///
/// with 3×3 convolutions (padding 1, no bias; conv1 carries the stride) and
/// shortcut(x) = x, or `shortcut.1(shortcut.0(x))` (1×1 convolution with the stride, no
/// bias, then BatchNorm) when the stride is not 1 or the width changes. The sum is linear,
/// so every gradient and tangent is the sum of the two paths'.
public final class BasicBlock: Layer {
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let hasProjectionShortcut: Bool

    let main: LayerChain
    let shortcut: LayerChain?
    private let finalActivation: ReLU
    private let sum = FloatBuffer()
    private let sumTangent = FloatBuffer()
    private let inputGradient = FloatBuffer()
    private let inputGradientTangent = FloatBuffer()
    private var input: UnsafePointer<Float>?
    private var inputTangent: UnsafePointer<Float>?

    /// A block named `name` (tensors `name.conv1.weight`, …) of width `planes`.
    public init(_ name: String, inputShape: [Int], planes: Int, stride: Int, layout: LayoutBuilder)
    {
        precondition(inputShape.count == 3, "BasicBlock needs [C, H, W], got \(inputShape)")
        self.inputShape = inputShape
        let projects = stride != 1 || inputShape[0] != planes
        hasProjectionShortcut = projects
        (main, shortcut) = layout.scoped(name) {
            let conv1 = Conv2d(
                "conv1", inputShape: inputShape, outputChannels: planes, kernelSize: 3,
                stride: stride, padding: 1, bias: false, layout: layout)
            let shape = conv1.outputShape
            let main = LayerChain([
                conv1, BatchNorm("bn1", shape: shape, layout: layout), ReLU(shape: shape),
                Conv2d(
                    "conv2", inputShape: shape, outputChannels: planes, kernelSize: 3,
                    padding: 1, bias: false, layout: layout),
                BatchNorm("bn2", shape: shape, layout: layout),
            ])
            let shortcut: LayerChain? =
                projects
                ? layout.scoped("shortcut") {
                    let projection = Conv2d(
                        "0", inputShape: inputShape, outputChannels: planes, kernelSize: 1,
                        stride: stride, bias: false, layout: layout)
                    return LayerChain([
                        projection,
                        BatchNorm("1", shape: projection.outputShape, layout: layout),
                    ])
                } : nil
            return (main, shortcut)
        }
        outputShape = main.outputShape
        if let shortcut {
            precondition(shortcut.outputShape == outputShape, "shortcut shape differs")
        }
        finalActivation = ReLU(shape: outputShape)
    }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        self.input = input
        let count = context.batch * outputCount
        let total = sum.reserve(count)
        let residual = main.forward(input, context)
        let skip = shortcut?.forward(input, context) ?? input
        forEachElementChunk(count) { range in
            BasinKernels.add(
                residual + range.lowerBound, skip + range.lowerBound,
                output: total + range.lowerBound, count: range.count)
        }
        return finalActivation.forward(total, context)
    }

    public func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    {
        self.inputTangent = inputTangent
        let count = context.batch * outputCount
        let total = sumTangent.reserve(count)
        guard let residual = main.forwardTangent(inputTangent, context) else {
            preconditionFailure("the main path of a block always has a tangent")
        }
        let skip = shortcut != nil ? shortcut!.forwardTangent(inputTangent, context) : inputTangent
        if let skip {
            for index in 0..<count { total[index] = residual[index] + skip[index] }
        } else {
            total.update(from: residual, count: count)
        }
        return finalActivation.forwardTangent(total, context)
    }

    public func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        let gSum = finalActivation.backward(outputGradient, needsInputGradient: true, context)!
        let fromMain = main.backward(gSum, needsInputGradient: needsInputGradient, context)
        let fromShortcut =
            shortcut?.backward(gSum, needsInputGradient: needsInputGradient, context) ?? gSum
        guard needsInputGradient, let fromMain else { return nil }
        return add(fromMain, fromShortcut, into: inputGradient, batch: context.batch)
    }

    public func backwardTangent(
        _ outputGradient: UnsafePointer<Float>, _ outputGradientTangent: UnsafePointer<Float>,
        needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        // The final ReLU's own g_y is the block's; its R{g} feeds both paths.
        let rSum = finalActivation.backwardTangent(
            outputGradient, outputGradientTangent, needsInputGradient: true, context)!
        let fromMain = main.backwardTangent(
            rSum, needsInputGradient: needsInputGradient, context)
        let fromShortcut =
            shortcut?.backwardTangent(rSum, needsInputGradient: needsInputGradient, context)
            ?? rSum
        guard needsInputGradient, let fromMain else { return nil }
        return add(fromMain, fromShortcut, into: inputGradientTangent, batch: context.batch)
    }

    public func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double] {
        let residual = main.referenceForward(input, context)
        let skip = shortcut?.referenceForward(input, context) ?? input
        return zip(residual, skip).map { max($0 + $1, 0) }
    }

    /// out = a + b over the block's input size.
    private func add(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into buffer: FloatBuffer,
        batch: Int
    ) -> UnsafePointer<Float> {
        let count = batch * inputCount
        let out = buffer.reserve(count)
        forEachElementChunk(count) { range in
            BasinKernels.add(
                a + range.lowerBound, b + range.lowerBound, output: out + range.lowerBound,
                count: range.count)
        }
        return UnsafePointer(out)
    }
}
