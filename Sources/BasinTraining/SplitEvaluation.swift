import BasinData
import BasinNetwork

// Dimension letters: N examples in the split, B evaluation batch size.

extension Model {
    /// The loss and accuracy of the model on every example of `batches`:
    ///
    ///     loss = Σ_b n_b · L_b / N,   accuracy = Σ_b correct_b / N
    ///
    /// over the ⌈N/B⌉ fixed batches, where L_b is the mean loss of batch b of n_b
    /// examples. In `.running` mode the result does not depend on B; in `.batch` mode each
    /// batch is normalised with its own statistics, as PyTorch's `train()` mode does.
    /// Never updates running statistics.
    public func evaluate(_ batches: EvaluationBatcher, mode: BatchNormMode) -> SplitMetrics {
        var accumulator = MetricsAccumulator()
        let size = batches.split.shape.elementCount
        batches.forEachBatch { _, batch in
            let result: BatchResult
            if batch.count == batch.capacity {
                result = evaluate(images: batch.images, labels: batch.labels, mode: mode)
            } else {
                // The last, partial batch: the model reads the batch size from the arrays.
                result = evaluate(
                    images: Array(batch.images[0..<batch.count * size]),
                    labels: Array(batch.labels[0..<batch.count]), mode: mode)
            }
            accumulator.add(result)
        }
        return accumulator.metrics
    }
}

/// Sums batch results into example-weighted means.
public struct MetricsAccumulator: Equatable, Sendable, Codable {
    /// Σ n_b · L_b, in nats.
    public var lossSum: Double = 0
    public var correctCount: Int = 0
    public var exampleCount: Int = 0

    public init() {}

    public init(lossSum: Double, correctCount: Int, exampleCount: Int) {
        self.lossSum = lossSum
        self.correctCount = correctCount
        self.exampleCount = exampleCount
    }

    public mutating func add(_ result: BatchResult) {
        lossSum += result.loss * Double(result.count)
        correctCount += result.correctCount
        exampleCount += result.count
    }

    /// The means so far; NaN loss and accuracy when nothing was added.
    public var metrics: SplitMetrics {
        guard exampleCount > 0 else {
            return SplitMetrics(loss: .nan, accuracy: .nan, exampleCount: 0)
        }
        return SplitMetrics(
            loss: lossSum / Double(exampleCount),
            accuracy: Double(correctCount) / Double(exampleCount), exampleCount: exampleCount)
    }
}
