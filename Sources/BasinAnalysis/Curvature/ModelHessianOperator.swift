import BasinNetwork

/// The Hessian of a model's mean loss on one fixed batch, in one BatchNorm mode, as a
/// `SymmetricOperator` over the flat parameter vector (n = `model.parameterCount`).
///
/// Each product is the model's exact Hessian-vector product (forward-over-reverse). The
/// batch and the mode are fixed for the operator's life, as the Krylov methods require: a
/// different batch per product would make H random and the recurrences meaningless. In `.batch` mode H includes the dependence of the batch
/// statistics on the weights; in `.running` mode (PyHessian's choice, forced by its
/// `model.eval()`) the statistics are constants. The running statistics are never updated.
///
/// The model is a reference type and is used, not copied: do not run another pass on it
/// while a curvature computation is under way.
public struct ModelHessianOperator: SymmetricOperator {
    public let model: Model
    /// `[N, C, H, W]`, row-major.
    public let images: [Float]
    /// `[N]`, classes in 0..<K.
    public let labels: [Int32]
    public let mode: BatchNormMode

    /// - Precondition: `images.count == labels.count · C·H·W` with at least one image.
    public init(model: Model, images: [Float], labels: [Int32], mode: BatchNormMode) {
        precondition(
            !labels.isEmpty && images.count == labels.count * model.inputShape.elementCount,
            "ModelHessianOperator: \(images.count) image floats for \(labels.count) labels "
                + "of shape \(model.inputShape)")
        self.model = model
        self.images = images
        self.labels = labels
        self.mode = mode
    }

    public var dimension: Int { model.parameterCount }

    /// Every product after the first reuses the forward and backward pass kept in the
    /// model's buffers, unless something else ran on the model or changed its parameters
    /// in between (`Model.hessianVectorProduct(reusingPass:)`).
    public mutating func apply(_ vector: [Float], into result: inout [Float]) throws {
        model.hessianVectorProduct(
            images: images, labels: labels, mode: mode, direction: vector, into: &result,
            reusingPass: true)
    }

    /// One block per parameter tensor (`conv1.weight`, `fc.bias`, …), in layout order:
    /// the blocks of per-layer Hutchinson traces.
    public var parameterBlocks: [ParameterBlock] {
        model.parameterLayout.map { ParameterBlock(name: $0.name, range: $0.range) }
    }
}
