import BasinData
import BasinKernels
import Testing

@Suite("evaluation batcher")
struct EvaluationBatcherTests {
    let split = randomSplit(count: 25, shape: ImageShape(channels: 3, height: 4, width: 4))

    @Test("batches cover the split once, in stored order, the last one partial")
    func coverage() throws {
        let normalization = ChannelNormalization(statisticsOf: split)
        let batcher = try EvaluationBatcher(
            split: split, batchSize: 8, normalization: normalization)
        #expect(batcher.batchCount == 4)
        var order = [Int32]()
        var counts = [Int]()
        batcher.forEachBatch { _, batch in
            order.append(contentsOf: batch.exampleIndices[..<batch.count])
            counts.append(batch.count)
        }
        #expect(order == (0..<25).map { Int32($0) })
        #expect(counts == [8, 8, 8, 1])
    }

    @Test("a batch holds the unaugmented normalised images and labels, and refills the same")
    func contents() throws {
        let normalization = ChannelNormalization(statisticsOf: split)
        let batcher = try EvaluationBatcher(
            split: split, batchSize: 8, normalization: normalization)
        var batch = batcher.makeBatch()
        batcher.fill(batchAt: 2, into: &batch)
        let first = batch.images
        for slot in 0..<8 {
            let index = 16 + slot
            #expect(batch.labels[slot] == split.labels[index])
            let expected = Augmentation.augmentedImage(
                split, at: index, draw: .identity, normalization: normalization)
            #expect(Array(batch.images[(slot * 48)..<((slot + 1) * 48)]) == expected)
        }
        batcher.fill(batchAt: 0, into: &batch)
        batcher.fill(batchAt: 2, into: &batch)
        #expect(batch.images == first)
    }

    @Test("a data set gives evaluation batches of its splits, none for a missing one")
    func datasetSplits() throws {
        let dataset = Dataset(
            name: "t", source: "memory", classCount: 10, classNames: nil, train: split,
            test: randomSplit(count: 6, shape: split.shape))
        let normalization = ChannelNormalization(statisticsOf: dataset.train)
        let test = try dataset.evaluationBatches(.test, batchSize: 4, normalization: normalization)
        #expect(test?.batchCount == 2)
        #expect(
            try dataset.evaluationBatches(
                .validation, batchSize: 4, normalization: normalization) == nil)
    }

    @Test("a batch size below one throws invalidBatchSize")
    func invalid() {
        #expect(
            throwsError(.invalidBatchSize(batchSize: 0, exampleCount: 25)) {
                _ = try EvaluationBatcher(
                    split: split, batchSize: 0, normalization: .unit(channels: 3))
            })
    }
}
