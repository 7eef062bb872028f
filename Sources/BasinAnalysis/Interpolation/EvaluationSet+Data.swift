import BasinData

extension EvaluationSet {
    /// The examples of `split` in their stored order, normalised and unaugmented, cut into
    /// batches of `batchSize` (the last one partial when it does not divide the count).
    ///
    /// The whole set is held in memory as Floats: N·C·H·W·4 bytes (8 MB for 2,000
    /// Fashion-MNIST images), so that every α point reuses it without refilling.
    /// - Throws: `AnalysisError.invalidArgument` naming `--batch-size` for a batch size
    ///   below 1, `.unusableInput` for an empty split.
    public init(
        name: String, split: DataSplit, batchSize: Int, normalization: ChannelNormalization
    ) throws(AnalysisError) {
        guard batchSize >= 1 else {
            throw .invalidArgument("--batch-size must be at least 1; got \(batchSize)")
        }
        guard split.count > 0 else {
            throw .unusableInput("the \(name) split has no examples to evaluate on")
        }
        let batcher: EvaluationBatcher
        do {
            batcher = try EvaluationBatcher(
                split: split, batchSize: batchSize, normalization: normalization)
        } catch {
            throw .unusableInput("cannot batch the \(name) split: \(error)")
        }
        let size = split.shape.elementCount
        var batches: [Batch] = []
        batcher.forEachBatch { _, batch in
            batches.append(
                Batch(
                    images: Array(batch.images[0..<(batch.count * size)]),
                    labels: Array(batch.labels[0..<batch.count])))
        }
        self.init(name: name, batches: batches)
    }
}
