// Dimension letters: N batch, K classes; images [N, C, H, W], logits [N, K].

extension Model {
    /// The logits computed in Double by every layer's direct-loop reference, for
    /// `parameters` given in Double (the model's own when nil) and the model's running
    /// statistics. Slow; it is the yardstick the tests hold the fast path against.
    /// `activationPattern` `.record` remembers the ReLU signs and pooling maxima and
    /// `.replay` reuses them (see `ActivationPattern`).
    public func referenceLogits(
        images: [Double], mode: BatchNormMode, parameters: [Double]? = nil,
        activationPattern: ActivationPattern = .live
    ) -> [Double] {
        let perImage = inputShape.elementCount
        precondition(
            !images.isEmpty && images.count % perImage == 0,
            "images hold \(images.count) values, not a positive multiple of \(inputShape)")
        let theta = parameters ?? self.parameters.map(Double.init)
        precondition(
            theta.count == parameterCount,
            "parameters hold \(theta.count) values, the model needs \(parameterCount)")
        let context = ReferenceContext(
            batch: images.count / perImage, mode: mode, parameters: theta,
            runningStatistics: runningStatistics.map(Double.init),
            activationPattern: activationPattern)
        return layers.reduce(images) { activation, layer in
            layer.referenceForward(activation, context)
        }
    }

    /// The mean softmax cross-entropy of `referenceLogits`.
    public func referenceLoss(
        images: [Double], labels: [Int32], mode: BatchNormMode, parameters: [Double]? = nil,
        activationPattern: ActivationPattern = .live
    ) -> Double {
        let logits = referenceLogits(
            images: images, mode: mode, parameters: parameters,
            activationPattern: activationPattern)
        return SoftmaxCrossEntropy.referenceLoss(
            logits: logits, labels: labels, classCount: classCount)
    }
}
