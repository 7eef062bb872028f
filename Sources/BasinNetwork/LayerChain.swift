// Dimension letters: N batch; each layer's per-sample shape is its own.

/// Layers applied one after another inside a composite layer (a residual block's main
/// path or shortcut). It records the output gradient of every layer during `backward`, so
/// that `backwardTangent`, called later with only the chain's R{g_y}, can pass each layer
/// its g_y. The record is a fixed array of pointers, so no pass allocates.
final class LayerChain {
    let layers: [Layer]
    private var outputGradients: [UnsafePointer<Float>?]

    init(_ layers: [Layer]) {
        precondition(!layers.isEmpty, "a layer chain needs at least one layer")
        self.layers = layers
        outputGradients = Array(repeating: nil, count: layers.count)
    }

    var outputShape: [Int] { layers.last!.outputShape }

    func forward(_ input: UnsafePointer<Float>, _ context: PassContext) -> UnsafePointer<Float> {
        forwardFusing(layers, input, context)
    }

    func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    {
        layers.reduce(inputTangent) { tangent, layer in layer.forwardTangent(tangent, context) }
    }

    func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>? {
        var gradient: UnsafePointer<Float>? = outputGradient
        for index in layers.indices.reversed() {
            outputGradients[index] = gradient
            let needsInput = index > 0 || needsInputGradient
            gradient = layers[index].backward(gradient!, needsInputGradient: needsInput, context)
        }
        return gradient
    }

    func backwardTangent(
        _ outputGradientTangent: UnsafePointer<Float>, needsInputGradient: Bool,
        _ context: PassContext
    ) -> UnsafePointer<Float>? {
        var tangent: UnsafePointer<Float>? = outputGradientTangent
        for index in layers.indices.reversed() {
            guard let gradient = outputGradients[index] else {
                preconditionFailure("LayerChain.backwardTangent before backward")
            }
            let needsInput = index > 0 || needsInputGradient
            tangent = layers[index].backwardTangent(
                gradient, tangent!, needsInputGradient: needsInput, context)
        }
        return tangent
    }

    func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double] {
        layers.reduce(input) { activation, layer in layer.referenceForward(activation, context) }
    }
}
