import BasinKernels

/// Runs `layers` forward on `input`, fusing neighbours whose separate passes would only
/// move the activation through memory again; each fusion does the operations of the layers
/// it replaces, in their order, so the results have the same bits.
///
/// - In an inference pass (`context.fusesInference`, no tangent or backward pass to
///   follow, running statistics), a convolution followed by a BatchNorm, and by a ReLU
///   after that, runs as one convolution whose epilogue applies the other two as each
///   value is stored. The BatchNorm and ReLU are skipped; their buffers are not written.
/// - In any other pass without tangents, a BatchNorm followed by a ReLU stores the
///   rectified values itself, and in the backward pass applies the ReLU's mask to the
///   gradient as it reads it; the ReLU passes both through.
///
/// Both need the live activation pattern (recorded and replayed masks stay in the ReLU).
func forwardFusing(
    _ layers: [Layer], _ input: UnsafePointer<Float>, _ context: PassContext
) -> UnsafePointer<Float> {
    let live = context.activationPattern == .live
    let inference =
        live && context.fusesInference && context.isForwardOnly && context.mode == .running
    let rectifiesNormalization = live && context.direction == nil
    var activation = input
    var index = 0
    while index < layers.count {
        let next = index + 1 < layers.count ? layers[index + 1] : nil
        if inference, let convolution = layers[index] as? Conv2d,
            let normalization = next as? BatchNorm
        {
            let rectifies = index + 2 < layers.count && layers[index + 2] is ReLU
            activation = convolution.forward(
                activation, context,
                epilogue: normalization.runningEpilogue(context, rectifies: rectifies))
            index += rectifies ? 3 : 2
        } else if rectifiesNormalization, let normalization = layers[index] as? BatchNorm,
            let rectifier = next as? ReLU
        {
            activation = rectifier.bypass(
                normalization.forward(activation, context, rectifies: true))
            index += 2
        } else {
            activation = layers[index].forward(activation, context)
            index += 1
        }
    }
    return activation
}
