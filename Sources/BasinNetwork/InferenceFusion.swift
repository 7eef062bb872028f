import BasinKernels

/// Runs `layers` forward on `input`. In an inference pass (`context.fusesInference`, no
/// tangent or backward pass to follow, running statistics, live activation pattern), a
/// convolution followed by a BatchNorm, and by a ReLU after that, runs as one convolution
/// whose epilogue applies the other two as each value is stored: the same operations, so
/// the same bits, with the activation written once and read by neither layer. The
/// BatchNorm and ReLU are then skipped, and their own buffers are not written.
func forwardFusing(
    _ layers: [Layer], _ input: UnsafePointer<Float>, _ context: PassContext
) -> UnsafePointer<Float> {
    let fuses =
        context.fusesInference && context.isForwardOnly && context.mode == .running
        && context.activationPattern == .live
    var activation = input
    var index = 0
    while index < layers.count {
        if fuses, index + 1 < layers.count, let convolution = layers[index] as? Conv2d,
            let normalization = layers[index + 1] as? BatchNorm
        {
            let rectifies = index + 2 < layers.count && layers[index + 2] is ReLU
            activation = convolution.forward(
                activation, context,
                epilogue: normalization.runningEpilogue(context, rectifies: rectifies))
            index += rectifies ? 3 : 2
        } else {
            activation = layers[index].forward(activation, context)
            index += 1
        }
    }
    return activation
}
