// Dimension letters as in Model+Derivatives.swift: N batch, C × H × W one image, K classes.

/// What a kept pass was computed from, and what it gave. The arrays share storage with
/// the caller's and the model's until either side changes, so the equality tests in
/// `matches` cost O(1) while nothing changed, and a full comparison otherwise.
struct RetainedPass {
    var images: [Float]
    var labels: [Int32]
    var mode: BatchNormMode
    var parameters: [Float]
    var runningStatistics: [Float]
    var result: BatchResult

    func matches(
        images: [Float], labels: [Int32], mode: BatchNormMode, parameters: [Float],
        runningStatistics: [Float]
    ) -> Bool {
        self.mode == mode && self.labels == labels && self.images == images
            && self.parameters == parameters && self.runningStatistics == runningStatistics
    }
}

extension Model {
    /// H·v as `hessianVectorProduct`, for many directions on one batch.
    ///
    /// The forward pass (activations, ReLU masks, pooling choices, BatchNorm statistics),
    /// the loss and the backward pass (every layer's g_y) do not depend on v. With
    /// `reusingPass` the model keeps them in its layers after a full pass; a later call
    /// with equal images, labels and mode, on unchanged `parameters` and
    /// `runningStatistics`, with no other pass run on the model in between, runs only the
    /// forward tangent and the tangent of the backward pass. For a linear layer that is
    /// six matrix products of nine (two of four for the first layer). Any other call on
    /// the model, or a change of batch, mode, parameters or statistics, makes the next
    /// call run the full pass again. The products are the same as without reuse: the
    /// tangent passes read the same values in the same order.
    ///
    /// The retained state is the model's own activation buffers, so it costs no memory
    /// beyond a pass; parameters changed after the call are copied once on their next
    /// write (copy-on-write), to let the change be detected.
    /// - Returns: the loss and accuracy of the batch (from the full pass).
    /// - Precondition: `direction.count == parameterCount`.
    @discardableResult
    public func hessianVectorProduct(
        images: [Float], labels: [Int32], mode: BatchNormMode, direction: [Float],
        into product: inout [Float], reusingPass: Bool
    ) -> BatchResult {
        guard reusingPass else {
            return hessianVectorProduct(
                images: images, labels: labels, mode: mode, direction: direction, into: &product)
        }
        precondition(
            direction.count == parameterCount,
            "direction has \(direction.count) values, the model \(parameterCount) parameters")
        if let pass = retainedPass,
            pass.matches(
                images: images, labels: labels, mode: mode, parameters: parameters,
                runningStatistics: runningStatistics)
        {
            Model.resize(&product, to: parameterCount)
            direction.withUnsafeBufferPointer { v in
                product.withUnsafeMutableBufferPointer { hv in
                    runTangentPasses(
                        batch: labels.count, mode: mode, direction: v.baseAddress!,
                        product: hv.baseAddress!)
                }
            }
            return pass.result
        }
        let result = hessianVectorProduct(
            images: images, labels: labels, mode: mode, direction: direction, into: &product)
        retainedPass = RetainedPass(
            images: images, labels: labels, mode: mode, parameters: parameters,
            runningStatistics: runningStatistics, result: result)
        return result
    }

    /// Whether the layers hold a pass that `hessianVectorProduct(reusingPass: true)` would
    /// reuse for these inputs.
    public func holdsPass(images: [Float], labels: [Int32], mode: BatchNormMode) -> Bool {
        retainedPass?.matches(
            images: images, labels: labels, mode: mode, parameters: parameters,
            runningStatistics: runningStatistics) ?? false
    }

    /// The bytes the layers' buffers take after a pass with tangents on `batch` examples,
    /// counted buffer by buffer for the zoo's layer types (8 floats per value of the
    /// larger side for any other type). The convolution workspaces, which do not grow
    /// with the batch, are left out.
    public func retainedPassByteEstimate(batch: Int) -> Int {
        let floatsPerExample = layers.reduce(0) { $0 + Model.bufferFloatsPerExample($1) }
        return batch * floatsPerExample * MemoryLayout<Float>.stride
    }

    /// Floats per example in `layer`'s buffers: input-sized gradient and tangent (i) and
    /// output-sized values, tangents, masks and normalised values (o).
    static func bufferFloatsPerExample(_ layer: Layer) -> Int {
        let (i, o) = (layer.inputCount, layer.outputCount)
        switch layer {
        case is Flatten: return 0
        case is Linear, is Conv2d, is AvgPool2d, is GlobalAveragePool: return 2 * (i + o)
        case is ReLU, is Dropout: return 5 * o
        case is BatchNorm: return 6 * o
        case is MaxPool2d: return 3 * o + 2 * i
        case let block as BasicBlock:
            let inner = (block.main.layers + (block.shortcut?.layers ?? []))
                .reduce(0) { $0 + bufferFloatsPerExample($1) }
            return inner + 7 * o + 2 * i
        default: return 8 * max(i, o)
        }
    }

    /// The forward tangent ẏ and the backward tangent R{g} of every layer, with the
    /// forward and backward state of the retained pass; R{g_θ} = H·v into `product`.
    private func runTangentPasses(
        batch: Int, mode: BatchNormMode, direction: UnsafePointer<Float>,
        product: UnsafeMutablePointer<Float>
    ) {
        // Statistics are only read (no update in a tangent pass), so the model's array is
        // not written and keeps sharing its storage with the retained copy.
        parameters.withUnsafeBufferPointer { theta in
            runningStatistics.withUnsafeBufferPointer { statistics in
                batchesTracked.withUnsafeMutableBufferPointer { tracked in
                    let context = PassContext(
                        batch: batch, mode: mode, statisticsUpdate: .none,
                        parameters: theta.baseAddress!, direction: direction,
                        gradient: nil, gradientTangent: product,
                        runningStatistics: statistics.baseAddress.map {
                            UnsafeMutablePointer(mutating: $0)
                        } ?? dummyStatistics,
                        batchesTracked: tracked.baseAddress ?? dummyCounter)
                    runTangentLayers(context)
                }
            }
        }
    }

    private func runTangentLayers(_ context: PassContext) {
        // Forward tangent from ẋ = 0 at the images.
        var tangent: UnsafePointer<Float>? = nil
        for layer in layers { tangent = layer.forwardTangent(tangent, context) }
        guard let logitTangent = tangent else {
            preconditionFailure("the logits of a model always have a tangent")
        }

        // R{g} down to the first parameterised layer, with the g_y of the retained pass.
        var gradientTangent = loss.backwardTangent(logitTangent: logitTangent, batch: context.batch)
        for index in layers.indices.reversed() {
            guard let outputGradient = lastOutputGradients[index] else {
                preconditionFailure("a retained pass without the g_y of layer \(index)")
            }
            guard
                let next = layers[index].backwardTangent(
                    outputGradient, gradientTangent,
                    needsInputGradient: inputGradientNeeded[index], context)
            else { break }
            gradientTangent = next
        }
    }
}
