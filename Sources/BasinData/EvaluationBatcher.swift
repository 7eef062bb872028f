import BasinKernels

// Dimension letters: N examples in the split, B batch size.

/// Fixed, unaugmented, normalised batches of a split in its stored order, for evaluation
/// and analyses: batch k holds examples k·B ..< min((k+1)·B, N), so the last batch is
/// partial when B does not divide N and every example is seen exactly once.
///
/// Batches are addressed by index, so the same batch can be refilled at will (an
/// interpolation evaluates one set of batches at many points) and different threads can
/// fill different batches into their own buffers.
public struct EvaluationBatcher: Sendable {
    public let split: DataSplit
    public let batchSize: Int
    public let normalization: ChannelNormalization
    /// ⌈N/B⌉.
    public let batchCount: Int
    private let scale: [Float]
    private let shift: [Float]

    /// - Throws: `DataError.invalidBatchSize` for a batch size below 1 or an empty split.
    /// - Precondition: `normalization` has one entry per image channel.
    public init(split: DataSplit, batchSize: Int, normalization: ChannelNormalization) throws {
        precondition(
            normalization.channels == split.shape.channels,
            "normalisation has \(normalization.channels) channels, images \(split.shape)")
        guard batchSize > 0, split.count > 0 else {
            throw DataError.invalidBatchSize(batchSize: batchSize, exampleCount: split.count)
        }
        self.split = split
        self.batchSize = batchSize
        self.normalization = normalization
        batchCount = (split.count + batchSize - 1) / batchSize
        (scale, shift) = normalization.affine
    }

    /// A batch buffer of the right capacity and shape for `fill(batchAt:into:)`.
    public func makeBatch() -> Batch {
        Batch(capacity: batchSize, shape: split.shape)
    }

    /// Fills `batch` with batch number `batchIndex`.
    /// - Precondition: `0 ≤ batchIndex < batchCount`, and `batch` has capacity `batchSize`
    ///   and the split's image shape.
    public func fill(batchAt batchIndex: Int, into batch: inout Batch) {
        precondition(
            batchIndex >= 0 && batchIndex < batchCount,
            "batch \(batchIndex) outside 0..<\(batchCount)")
        precondition(
            batch.capacity == batchSize && batch.shape == split.shape,
            "batch of \(batch.capacity)×\(batch.shape) given to an evaluation batcher of "
                + "\(batchSize)×\(split.shape)")
        let start = batchIndex * batchSize
        let end = min(start + batchSize, split.count)
        let indices = Int32(start)..<Int32(end)
        // Unaugmented: `Augmentation.none` draws nothing, so this generator is never used.
        var unused = SeededGenerator(seed: 0)
        batch.fill(
            from: split, indices: indices, augmentation: .none, scale: scale, shift: shift,
            generator: &unused)
    }

    /// Calls `body` with every batch in order, refilling one buffer.
    public func forEachBatch(_ body: (_ batchIndex: Int, _ batch: Batch) throws -> Void)
        rethrows
    {
        var batch = makeBatch()
        for batchIndex in 0..<batchCount {
            fill(batchAt: batchIndex, into: &batch)
            try body(batchIndex, batch)
        }
    }
}

extension Dataset {
    /// Evaluation batches of the split `name`, or nil when the data set has no such split
    /// (a validation split that was not held out).
    /// - Throws: `DataError.invalidBatchSize` for a batch size below 1.
    public func evaluationBatches(
        _ name: SplitName, batchSize: Int, normalization: ChannelNormalization
    ) throws -> EvaluationBatcher? {
        guard let split = split(name) else { return nil }
        return try EvaluationBatcher(
            split: split, batchSize: batchSize, normalization: normalization)
    }
}
