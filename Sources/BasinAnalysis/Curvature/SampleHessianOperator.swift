import BasinKernels
import BasinNetwork

// Dimension letters: N examples in the sample, N_b in batch b, C × H × W one image.

/// One batch of a fixed sample: normalised images `[N_b, C, H, W]` and labels `[N_b]`.
public struct HessianBatch: Sendable {
    public var images: [Float]
    public var labels: [Int32]

    public init(images: [Float], labels: [Int32]) {
        self.images = images
        self.labels = labels
    }

    /// N_b, the number of examples.
    public var count: Int { labels.count }
}

/// The Hessian of a model's loss on a fixed sample held as several batches, in one
/// BatchNorm mode, as a `SymmetricOperator` over the flat parameter vector.
///
/// The product is the batch-size-weighted mean of the batches' exact products,
///
///     H·v = Σ_b (N_b / N)·H_b·v,   N = Σ_b N_b,
///
/// so memory is bounded by one batch while the operator is the Hessian of the whole
/// sample (PyHessian's full-data-set mode weights its batches the same way):
/// - in `.running` mode each H_b is the Hessian of the mean loss over batch b, and the
///   weighted mean is exactly the Hessian of the mean loss over the concatenated sample;
/// - in `.batch` mode every batch is normalised with its own statistics, so the operator
///   is the mean of per-batch Hessians, which depends on how the sample is cut: it is the
///   Hessian of the training-mode loss averaged over those batches, not of one batch of N.
///
/// Every product costs one Hessian-vector product per batch. The first product runs each
/// batch's forward and backward pass; later ones reuse them and run only the tangent
/// passes (`Model.hessianVectorProduct(reusingPass:)`) for the batches whose passes fit in
/// `retainedPassByteLimit`: each of those gets its own copy of the model, whose buffers
/// hold its pass, and takes the model's parameters and running statistics at every
/// product, so a change of either is noticed and the passes are recomputed. The other
/// batches run the full product on the model itself. In `.running` mode the kept batches
/// are joined into one (the weighted mean of their products is the product of their
/// concatenation), so that the matrix products of the tangent passes are larger and
/// faster. The model is used, not copied: run nothing else on it while a computation is
/// under way.
public struct SampleHessianOperator: SymmetricOperator {
    public let model: Model
    public let batches: [HessianBatch]
    public let mode: BatchNormMode
    /// N, the examples of all batches.
    public let exampleCount: Int
    /// The memory the kept passes may take, by `Model.retainedPassByteEstimate`; 0 keeps
    /// none and every product runs the full passes.
    public let retainedPassByteLimit: Int
    /// The default limit, 2 GiB: on 28×28 images it keeps the passes of all 1024 images
    /// of a curvature sample for `mlp` (43 kB an image), of 512 for `cnn` (3 MB an image)
    /// and of 128 for `resnet20` (11 MB an image).
    public static let defaultRetainedPassByteLimit = 2 << 30
    /// What each product computes, made at the first product.
    // Limitation: a kept pass holds every buffer of its model copy, tangent buffers
    // included, where the values, masks and g_y alone would do (3 MB an image for cnn on
    // 28×28), so the default limit keeps half of cnn's 1024-image sample; the layers would
    // have to share their tangent buffers between copies to do better.
    private var parts: [ProductPart] = []
    private var batchProduct: [Float] = []
    private var batchGradient: [Float] = []

    /// - Precondition: at least one batch; every batch non-empty with
    ///   `images.count == labels.count · C·H·W` for the model's input shape;
    ///   `retainedPassByteLimit ≥ 0`.
    public init(
        model: Model, batches: [HessianBatch], mode: BatchNormMode,
        retainedPassByteLimit: Int = defaultRetainedPassByteLimit
    ) {
        precondition(
            retainedPassByteLimit >= 0,
            "SampleHessianOperator: retainedPassByteLimit \(retainedPassByteLimit) < 0")
        precondition(!batches.isEmpty, "SampleHessianOperator: no batches")
        for (index, batch) in batches.enumerated() {
            precondition(
                batch.count > 0
                    && batch.images.count == batch.count * model.inputShape.elementCount,
                "SampleHessianOperator: batch \(index) has \(batch.images.count) image floats "
                    + "for \(batch.count) labels of shape \(model.inputShape)")
        }
        self.model = model
        self.batches = batches
        self.mode = mode
        self.retainedPassByteLimit = retainedPassByteLimit
        exampleCount = batches.reduce(0) { $0 + $1.count }
    }

    /// How many batches keep their passes between products (the first ones, while their
    /// estimated memory stays within the limit).
    public var retainedBatchCount: Int {
        var bytes = 0
        var count = 0
        for batch in batches {
            bytes += model.retainedPassByteEstimate(batch: batch.count)
            if bytes > retainedPassByteLimit { break }
            count += 1
        }
        return count
    }

    public var dimension: Int { model.parameterCount }

    /// N_b / N for each batch.
    public var batchWeights: [Double] {
        batches.map { Double($0.count) / Double(exampleCount) }
    }

    public mutating func apply(_ vector: [Float], into result: inout [Float]) throws {
        if parts.isEmpty { parts = plannedParts() }
        for index in result.indices { result[index] = 0 }
        for part in parts {
            if let replica = part.replica {
                // Shared storage: O(1) unless the model's values changed.
                replica.parameters = model.parameters
                replica.runningStatistics = model.runningStatistics
                replica.hessianVectorProduct(
                    images: part.batch.images, labels: part.batch.labels, mode: mode,
                    direction: vector, into: &batchProduct, reusingPass: true)
            } else {
                model.hessianVectorProduct(
                    images: part.batch.images, labels: part.batch.labels, mode: mode,
                    direction: vector, into: &batchProduct, gradient: &batchGradient)
            }
            Vector.axpy(Float(part.weight), batchProduct, &result)
        }
    }

    /// The kept batches, each with a model copy (joined into one in `.running` mode), then
    /// the others.
    private func plannedParts() -> [ProductPart] {
        let kept = retainedBatchCount
        let weights = batchWeights
        var parts: [ProductPart] = []
        if mode == .running && kept > 1 {
            let joined = HessianBatch(
                images: batches[..<kept].flatMap(\.images),
                labels: batches[..<kept].flatMap(\.labels))
            parts.append(
                ProductPart(
                    batch: joined, weight: weights[..<kept].reduce(0, +), replica: model.copy()))
        } else {
            for index in 0..<kept {
                parts.append(
                    ProductPart(
                        batch: batches[index], weight: weights[index], replica: model.copy()))
            }
        }
        for index in kept..<batches.count {
            parts.append(ProductPart(batch: batches[index], weight: weights[index], replica: nil))
        }
        return parts
    }

    /// The gradient of the same loss, Σ_b (N_b/N)·∇L_b, with the loss and accuracy over the
    /// sample (the loss weighted the same way, the accuracy counted over all N examples).
    public func gradient() -> SampleGradient {
        var total = [Float](repeating: 0, count: dimension)
        var batchGradient: [Float] = []
        var loss = 0.0
        var correct = 0
        for (batch, weight) in zip(batches, batchWeights) {
            let result = model.gradient(
                images: batch.images, labels: batch.labels, mode: mode, into: &batchGradient)
            Vector.axpy(Float(weight), batchGradient, &total)
            loss += weight * result.loss
            correct += result.correctCount
        }
        return SampleGradient(
            gradient: total, loss: loss,
            accuracy: Double(correct) / Double(exampleCount))
    }

    /// One block per parameter tensor (`conv1.weight`, `fc.bias`, …), in layout order.
    public var parameterBlocks: [ParameterBlock] {
        model.parameterLayout.map { ParameterBlock(name: $0.name, range: $0.range) }
    }
}

/// One term Σ weight·H_part·v of a sample product: a batch (or several joined), its
/// weight, and the model copy that keeps its pass (nil: the full pass on the model).
private struct ProductPart {
    var batch: HessianBatch
    var weight: Double
    var replica: Model?
}

/// The gradient of the sample loss with the loss and accuracy of the same pass.
public struct SampleGradient: Sendable {
    /// ∇_θ L, n entries.
    public var gradient: [Float]
    /// Mean cross-entropy over the sample, in nats.
    public var loss: Double
    /// Fraction of the sample classified correctly.
    public var accuracy: Double

    /// ‖∇_θ L‖.
    public var norm: Double { Vector.norm(gradient) }
}
