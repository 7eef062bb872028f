import BasinKernels
import Foundation

// Dimension letters: N batch, C × H × W one image, K classes. images [N, C, H, W] and
// labels [N] (Int32 in 0..<K) as flat row-major arrays; logits [N, K].

extension Model {
    /// The mean loss and the correct count of a batch.
    ///
    /// With `mode == .batch` and `statisticsUpdate` other than `.none` the pass updates the
    /// running statistics and `num_batches_tracked` as PyTorch's `train()` forward does;
    /// in `.running` mode nothing is updated.
    /// - Precondition: `images.count == labels.count · C·H·W`, at least one image.
    @discardableResult
    public func evaluate(
        images: [Float], labels: [Int32], mode: BatchNormMode,
        statisticsUpdate: RunningStatisticsUpdate = .none
    ) -> BatchResult {
        run(
            images: images, labels: labels, mode: mode, update: statisticsUpdate,
            direction: nil, gradient: nil, product: nil, wantsLogits: false
        ).result
    }

    /// The logits of a batch, [N, K] row-major. Never updates running statistics.
    public func logits(images: [Float], mode: BatchNormMode) -> [Float] {
        let batch = batchSize(images: images)
        let labels = [Int32](repeating: 0, count: batch)
        return run(
            images: images, labels: labels, mode: mode, update: .none, direction: nil,
            gradient: nil, product: nil, wantsLogits: true
        ).logits
    }

    /// The logits z [N, K] and their tangent ż = (∂z/∂θ)·v along `direction` (a
    /// Jacobian-vector product), by one forward pass with tangents. Never updates running
    /// statistics.
    /// - Precondition: `direction.count == parameterCount`.
    public func logitsTangent(images: [Float], mode: BatchNormMode, direction: [Float])
        -> (logits: [Float], tangent: [Float])
    {
        precondition(
            direction.count == parameterCount,
            "direction has \(direction.count) values, the model \(parameterCount) parameters")
        let labels = [Int32](repeating: 0, count: batchSize(images: images))
        let pass = direction.withUnsafeBufferPointer { v in
            run(
                images: images, labels: labels, mode: mode, update: .none,
                direction: v.baseAddress, gradient: nil, product: nil, wantsLogits: true)
        }
        return (pass.logits, pass.logitsTangent)
    }

    /// ∇_θ L of the mean loss over the batch into `gradient` (resized to `parameterCount`
    /// if needed, otherwise overwritten without allocating).
    @discardableResult
    public func gradient(
        images: [Float], labels: [Int32], mode: BatchNormMode,
        statisticsUpdate: RunningStatisticsUpdate = .none, into gradient: inout [Float]
    ) -> BatchResult {
        Model.resize(&gradient, to: parameterCount)
        return gradient.withUnsafeMutableBufferPointer { g in
            run(
                images: images, labels: labels, mode: mode, update: statisticsUpdate,
                direction: nil, gradient: g.baseAddress, product: nil, wantsLogits: false
            ).result
        }
    }

    /// The exact Hessian-vector product H·v of the mean loss over the batch, by
    /// forward-over-reverse differentiation (Pearlmutter 1994), into `product`. In
    /// `.batch` mode H includes the dependence of the batch statistics on θ. Running
    /// statistics are never updated. A linear or convolutional layer costs nine
    /// matrix products against a gradient's three (ẏ and R{g_x}, R{g_W} add two each),
    /// less the input-side terms of the first layer. A convolution runs them as fewer,
    /// larger products: y with conv(x, V_W) over one column matrix of x, g_W with
    /// corr(x, R{g_y}), and the two terms of R{g_x} as one product of depth 2O. One
    /// product costs 2.5 (`mlp`) to 2.9 (`cnn`) gradients (`basin bench`).
    /// - Precondition: `direction.count == parameterCount`.
    @discardableResult
    public func hessianVectorProduct(
        images: [Float], labels: [Int32], mode: BatchNormMode, direction: [Float],
        into product: inout [Float]
    ) -> BatchResult {
        // Limitation: by operation count a product is 2.5 (`mlp`) to 3 gradients, and
        // BatchNorm and ReLU, fused in gradient passes, run as sweeps of their own here.
        var gradient = scratchGradient
        scratchGradient = []
        defer { scratchGradient = gradient }
        return hessianVectorProduct(
            images: images, labels: labels, mode: mode, direction: direction, into: &product,
            gradient: &gradient)
    }

    /// `hessianVectorProduct` that also returns the gradient ∇_θ L of the same pass.
    @discardableResult
    public func hessianVectorProduct(
        images: [Float], labels: [Int32], mode: BatchNormMode, direction: [Float],
        into product: inout [Float], gradient: inout [Float]
    ) -> BatchResult {
        precondition(
            direction.count == parameterCount,
            "direction has \(direction.count) values, the model \(parameterCount) parameters")
        Model.resize(&product, to: parameterCount)
        Model.resize(&gradient, to: parameterCount)
        return direction.withUnsafeBufferPointer { v in
            product.withUnsafeMutableBufferPointer { hv in
                gradient.withUnsafeMutableBufferPointer { g in
                    run(
                        images: images, labels: labels, mode: mode, update: .none,
                        direction: v.baseAddress, gradient: g.baseAddress,
                        product: hv.baseAddress, wantsLogits: false
                    ).result
                }
            }
        }
    }

    /// H·v by central differences of gradients on the same batch and mode:
    ///
    ///     H·v ≈ [∇L(θ + h·v) − ∇L(θ − h·v)] / (2h)
    ///
    /// For a smooth loss the error is O(h²) truncation plus about ε·‖∇L‖/h round-off
    /// (ε = 2⁻²³, float32 gradients). ReLU and max pooling add a third term: every
    /// activation whose sign or window maximum changes between θ − h·v and θ + h·v adds a
    /// jump of the gradient divided by 2h, which can exceed H·v itself in a deep network.
    ///
    /// - `freezingActivations: false` differentiates the live function. The default step
    ///   is h = 10⁻⁵·max(‖θ‖, 1)/‖v‖: a displacement of 10⁻⁵ of the weights, small
    ///   enough that few activations switch, large enough to keep round-off near 1 % of
    ///   H·v.
    /// - `freezingActivations: true` records the activation pattern at θ and replays it
    ///   at θ ± h·v (see `ActivationPattern`), which removes the kinks; the result then
    ///   converges to the exact product. The default step is h = 10⁻³·max(‖θ‖, 1)/‖v‖.
    ///   The textbook optimum for smooth functions, ε^(1/3) ≈ 5·10⁻³, lets truncation
    ///   reach 1 % of H·v in a ResNet with batch statistics over few values per channel;
    ///   10⁻³ measured 0.05 % there, with round-off of the same size.
    ///
    /// Running statistics are not updated and `parameters` is restored bit for bit. A zero
    /// direction gives a zero product. Allocates.
    /// - Returns: the step h used (0 for a zero direction).
    @discardableResult
    public func finiteDifferenceHessianVectorProduct(
        images: [Float], labels: [Int32], mode: BatchNormMode, direction: [Float],
        step: Double? = nil, freezingActivations: Bool = false, into product: inout [Float]
    ) -> Double {
        precondition(
            direction.count == parameterCount,
            "direction has \(direction.count) values, the model \(parameterCount) parameters")
        Model.resize(&product, to: parameterCount)
        let directionNorm = Vector.norm(direction)
        guard directionNorm > 0 else {
            for index in product.indices { product[index] = 0 }
            return 0
        }
        let h =
            step
            ?? Model.finiteDifferenceStep(
                parameterNorm: Vector.norm(parameters), directionNorm: directionNorm,
                freezingActivations: freezingActivations)
        precondition(h > 0 && h.isFinite, "finite-difference step must be positive, got \(h)")
        if freezingActivations {
            _ = run(
                images: images, labels: labels, mode: mode, update: .none, direction: nil,
                gradient: nil, product: nil, wantsLogits: false, pattern: .record)
        }

        // Gradients at θ + h·v and θ − h·v, then the original parameters back.
        let original = parameters
        var gradients = [[Float]](
            repeating: [Float](repeating: 0, count: parameterCount), count: 2)
        for (index, sign) in [1.0, -1.0].enumerated() {
            for coordinate in parameters.indices {
                parameters[coordinate] = Float(
                    Double(original[coordinate]) + sign * h * Double(direction[coordinate]))
            }
            gradients[index].withUnsafeMutableBufferPointer { g in
                _ = run(
                    images: images, labels: labels, mode: mode, update: .none, direction: nil,
                    gradient: g.baseAddress, product: nil, wantsLogits: false,
                    pattern: freezingActivations ? .replay : .live)
            }
        }
        parameters = original

        // The central difference, formed in Double.
        for index in product.indices {
            let difference = Double(gradients[0][index]) - Double(gradients[1][index])
            product[index] = Float(difference / (2 * h))
        }
        return h
    }

    /// The relative displacement of the default finite-difference step of the live
    /// function.
    public static let finiteDifferenceRelativeStep = 1e-5
    /// The relative displacement of the default step with frozen activations.
    public static let frozenFiniteDifferenceRelativeStep = 1e-3

    /// The default finite-difference step: 10⁻⁵·max(‖θ‖, 1)/‖v‖ for the live function,
    /// 10⁻³·max(‖θ‖, 1)/‖v‖ with frozen activations.
    /// - Precondition: `directionNorm > 0`.
    public static func finiteDifferenceStep(
        parameterNorm: Double, directionNorm: Double, freezingActivations: Bool = false
    ) -> Double {
        precondition(directionNorm > 0, "direction norm must be positive, got \(directionNorm)")
        let relative =
            freezingActivations ? frozenFiniteDifferenceRelativeStep : finiteDifferenceRelativeStep
        return relative * max(parameterNorm, 1) / directionNorm
    }

    /// N from the length of `images`.
    func batchSize(images: [Float]) -> Int {
        let perImage = inputShape.elementCount
        precondition(
            !images.isEmpty && images.count % perImage == 0,
            "images hold \(images.count) floats, not a positive multiple of \(inputShape)")
        return images.count / perImage
    }

    static func resize(_ vector: inout [Float], to count: Int) {
        if vector.count != count { vector = [Float](repeating: 0, count: count) }
    }

    /// One pass: forward (and forward tangent when `direction` is given), the loss, and
    /// when `gradient` is given the backward pass (and its tangent into `product`).
    func run(
        images: [Float], labels: [Int32], mode: BatchNormMode, update: RunningStatisticsUpdate,
        direction: UnsafePointer<Float>?, gradient: UnsafeMutablePointer<Float>?,
        product: UnsafeMutablePointer<Float>?, wantsLogits: Bool,
        pattern: ActivationPattern = .live
    ) -> (result: BatchResult, logits: [Float], logitsTangent: [Float]) {
        let batch = batchSize(images: images)
        precondition(
            labels.count == batch, "\(labels.count) labels for \(batch) images of \(inputShape)")
        precondition(
            parameters.count == parameterCount,
            "parameters hold \(parameters.count) values, the model needs \(parameterCount)")
        retainedPass = nil
        precondition(
            runningStatistics.count == runningStatisticsCount,
            "runningStatistics hold \(runningStatistics.count) values, the model needs "
                + "\(runningStatisticsCount)")
        return images.withUnsafeBufferPointer { x in
            labels.withUnsafeBufferPointer { y in
                parameters.withUnsafeBufferPointer { theta in
                    runningStatistics.withUnsafeMutableBufferPointer { statistics in
                        batchesTracked.withUnsafeMutableBufferPointer { tracked in
                            let context = PassContext(
                                batch: batch, mode: mode,
                                statisticsUpdate: mode == .batch ? update : .none,
                                parameters: theta.baseAddress!, direction: direction,
                                gradient: gradient, gradientTangent: product,
                                runningStatistics: statistics.baseAddress ?? dummyStatistics,
                                batchesTracked: tracked.baseAddress ?? dummyCounter,
                                activationPattern: pattern)
                            // Limitation: batch-statistics passes and passes that return logits
                            // hold every layer's activations for the whole batch.
                            if mode == .running && pattern == .live && direction == nil
                                && gradient == nil && !wantsLogits
                                && batch > Model.evaluationChunkSize
                            {
                                let result = evaluateInChunks(
                                    images: x.baseAddress!, labels: y.baseAddress!,
                                    context: context)
                                return (result, [], [])
                            }
                            return runLayers(
                                images: x.baseAddress!, labels: y.baseAddress!,
                                context: context, wantsLogits: wantsLogits)
                        }
                    }
                }
            }
        }
    }

    /// Images per forward pass of `evaluate` with running statistics: a larger batch is
    /// run in consecutive parts of this size, whose activations stay in the caches, where
    /// the whole batch's would not (a resnet20 at batch 1000 needs about 3 GB).
    static let evaluationChunkSize = 128

    /// The loss and correct count of a forward pass in `.running` mode, run on
    /// consecutive parts of `evaluationChunkSize` images. Every layer treats images
    /// independently in this mode, so the parts are shared out among the threads, each
    /// running its parts on its own copy of the layers with single-threaded kernels; the
    /// image losses are summed in image order at the end, so the result is bit-identical
    /// to one pass over the whole batch, whatever the thread count.
    private func evaluateInChunks(
        images: UnsafePointer<Float>, labels: UnsafePointer<Int32>, context: PassContext
    ) -> BatchResult {
        let (batch, perImage) = (context.batch, inputShape.elementCount)
        let chunkCount = (batch + Model.evaluationChunkSize - 1) / Model.evaluationChunkSize
        let workerCount = min(Parallelism.threadCount, chunkCount)
        let workers = [self] + evaluationWorkers(count: workerCount - 1)
        var correctCounts = [Int](repeating: 0, count: workerCount)
        var imageLosses = [Double](repeating: 0, count: batch)
        imageLosses.withUnsafeMutableBufferPointer { losses in
            correctCounts.withUnsafeMutableBufferPointer { counts in
                let (lossStart, countStart) = (losses.baseAddress!, counts.baseAddress!)
                let run = { (worker: Int) in
                    let model = workers[worker]
                    for chunk in stride(from: worker, to: chunkCount, by: workerCount) {
                        let start = chunk * Model.evaluationChunkSize
                        var part = context
                        part.batch = min(Model.evaluationChunkSize, batch - start)
                        part.fusesInference = true
                        let activation = forwardFusing(
                            model.layers, images + start * perImage, part)
                        model.loss.accumulate(
                            logits: activation, labels: labels + start, batch: part.batch,
                            imageLosses: lossStart + start, correctCount: &countStart[worker])
                    }
                }
                if workerCount > 1 {
                    Parallelism.runIndependently(workerCount, run)
                } else {
                    run(0)
                }
            }
        }
        var lossSum = 0.0
        for loss in imageLosses { lossSum += loss }
        return BatchResult(
            loss: lossSum / Double(batch), correctCount: correctCounts.reduce(0, +), count: batch)
    }

    /// `count` models of this architecture whose layers evaluate parts of a batch beside
    /// this model's: made on first use and kept, as the layers' buffers are, so that
    /// later evaluations allocate nothing. Their parameters are unused (passes read this
    /// model's through the context).
    private func evaluationWorkers(count: Int) -> [Model] {
        while evaluationTwins.count < count {
            evaluationTwins.append(
                Model(architecture: architecture, inputShape: inputShape, classCount: classCount))
        }
        return Array(evaluationTwins.prefix(count))
    }

    private func runLayers(
        images: UnsafePointer<Float>, labels: UnsafePointer<Int32>, context: PassContext,
        wantsLogits: Bool
    ) -> (result: BatchResult, logits: [Float], logitsTangent: [Float]) {
        let batch = context.batch
        let tangent = context.direction != nil

        // Forward, with the tangent ẏ = J_x·ẋ + J_θ·v alongside.
        var activation = images
        var activationTangent: UnsafePointer<Float>? = nil
        if tangent {
            for layer in layers {
                activation = layer.forward(activation, context)
                activationTangent = layer.forwardTangent(activationTangent, context)
            }
        } else {
            activation = forwardFusing(layers, images, context)
        }
        let result = loss.forward(logits: activation, labels: labels, batch: batch)
        var logits: [Float] = []
        var logitsTangent: [Float] = []
        if wantsLogits {
            let count = batch * classCount
            logits = Array(UnsafeBufferPointer(start: activation, count: count))
            if let activationTangent {
                logitsTangent = Array(UnsafeBufferPointer(start: activationTangent, count: count))
            }
        }
        guard context.gradient != nil else { return (result, logits, logitsTangent) }

        // Backward, with R{g} alongside when a direction is given.
        var outputGradient = loss.backward(labels: labels, batch: batch)
        var outputGradientTangent: UnsafePointer<Float>? = nil
        if tangent, let activationTangent {
            outputGradientTangent = loss.backwardTangent(
                logitTangent: activationTangent, batch: batch)
        }
        // Layers below the first parameterised one have nothing to differentiate.
        for index in layers.indices.reversed() {
            let layer = layers[index]
            let needsInput = inputGradientNeeded[index]
            lastOutputGradients[index] = outputGradient
            let inputGradient = layer.backward(
                outputGradient, needsInputGradient: needsInput, context)
            if let tangentIn = outputGradientTangent {
                outputGradientTangent = layer.backwardTangent(
                    outputGradient, tangentIn, needsInputGradient: needsInput, context)
            }
            guard let inputGradient else { break }
            outputGradient = inputGradient
        }
        return (result, logits, logitsTangent)
    }
}

/// Stand-ins for the statistics pointers of networks without BatchNorm; never read.
let dummyStatistics = UnsafeMutablePointer<Float>.allocate(capacity: 1)
let dummyCounter = UnsafeMutablePointer<Int64>.allocate(capacity: 1)
