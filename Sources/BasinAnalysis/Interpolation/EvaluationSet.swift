import BasinNetwork

/// A fixed set of labelled examples cut into batches, evaluated the same way at every point
/// of an analysis: no shuffling, no augmentation. Images are `[N, C, H, W]` row-major,
/// already normalised; labels are class indices.
public struct EvaluationSet: Sendable {
    public struct Batch: Sendable {
        public var images: [Float]
        public var labels: [Int32]

        public init(images: [Float], labels: [Int32]) {
            self.images = images
            self.labels = labels
        }
    }

    /// A short name for tables and file names: `test`, `train`.
    public var name: String
    public var batches: [Batch]

    public init(name: String, batches: [Batch]) {
        self.name = name
        self.batches = batches
    }

    public var exampleCount: Int { batches.reduce(0) { $0 + $1.labels.count } }

    /// All labels in order.
    public var labels: [Int32] { batches.flatMap(\.labels) }
}

/// Loss and error of a model on a whole evaluation set.
public struct LossAndError: Equatable, Sendable, Codable {
    /// Mean cross-entropy over the examples (NaN when any batch's loss is NaN).
    public var loss: Double
    /// The fraction misclassified.
    public var error: Double

    public init(loss: Double, error: Double) {
        self.loss = loss
        self.error = error
    }
}

extension Model {
    /// Evaluates the model on every batch of `set` and averages by example count.
    /// `mode` decides BatchNorm's statistics; running statistics are never changed.
    public func evaluate(_ set: EvaluationSet, mode: BatchNormMode) -> LossAndError {
        var lossSum = 0.0
        var correct = 0
        for batch in set.batches {
            let result = evaluate(images: batch.images, labels: batch.labels, mode: mode)
            lossSum += result.loss * Double(result.count)
            correct += result.correctCount
        }
        let count = Double(set.exampleCount)
        return LossAndError(loss: lossSum / count, error: 1 - Double(correct) / count)
    }

    /// The logits `[N, classes]` of every example of `set`, in order.
    public func logits(_ set: EvaluationSet, mode: BatchNormMode) -> [Float] {
        set.batches.flatMap { logits(images: $0.images, mode: mode) }
    }

    /// Replaces the running statistics of every BatchNorm layer by the equal-weight
    /// average over `batches` of the batch statistics computed with the current weights
    /// (PyTorch's `momentum=None`; Garipov et al.'s `update_bn`). Without BatchNorm layers
    /// this does nothing.
    public func recomputeRunningStatistics(on batches: EvaluationSet) {
        guard !runningStatistics.isEmpty else { return }
        resetRunningStatistics()
        for batch in batches.batches {
            _ = evaluate(
                images: batch.images, labels: batch.labels, mode: .batch,
                statisticsUpdate: .cumulative)
        }
    }
}
