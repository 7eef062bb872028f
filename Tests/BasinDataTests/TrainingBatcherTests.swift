import BasinData
import BasinKernels
import Foundation
import Testing

@Suite("training batcher")
struct TrainingBatcherTests {
    let split = randomSplit(count: 103, shape: ImageShape(channels: 1, height: 28, width: 28))
    var normalization: ChannelNormalization { ChannelNormalization(statisticsOf: split) }

    func batcher(
        batchSize: Int = 10, augmentation: Augmentation = .none, dropsLast: Bool = true,
        seed: UInt64 = 7
    ) throws -> TrainingBatcher {
        try TrainingBatcher(
            split: split, batchSize: batchSize, normalization: normalization,
            augmentation: augmentation, dropsLastPartialBatch: dropsLast,
            generator: SeededGenerator(seed: seed))
    }

    @Test("keeping the partial batch, every example appears exactly once per epoch")
    func coverageKept() throws {
        var batcher = try batcher(dropsLast: false)
        #expect(batcher.batchesPerEpoch == 11)
        var batch = batcher.makeBatch()
        for epoch in 0..<3 {
            var seen = [Int](repeating: 0, count: split.count)
            for index in 0..<11 {
                let position = batcher.nextBatch(into: &batch)
                #expect(
                    position
                        == BatchPosition(
                            epoch: epoch, batchIndex: index, endsEpoch: index == 10))
                #expect(batch.count == (index == 10 ? 3 : 10))
                for slot in 0..<batch.count { seen[Int(batch.exampleIndices[slot])] += 1 }
            }
            #expect(seen == [Int](repeating: 1, count: split.count))
        }
    }

    @Test("dropping the partial batch, every example appears at most once, 100 of 103 once")
    func coverageDropped() throws {
        var batcher = try batcher()
        #expect(batcher.batchesPerEpoch == 10)
        var batch = batcher.makeBatch()
        var seen = [Int](repeating: 0, count: split.count)
        for _ in 0..<10 {
            batcher.nextBatch(into: &batch)
            #expect(batch.count == 10)
            for slot in 0..<10 { seen[Int(batch.exampleIndices[slot])] += 1 }
        }
        #expect(seen.allSatisfy { $0 <= 1 })
        #expect(seen.reduce(0, +) == 100)
        #expect(batcher.epoch == 1 && batcher.batchIndex == 0)
        #expect(batcher.completedBatchCount == 10)
    }

    @Test("the batch buffers are refilled in place, never reallocated")
    func inPlace() throws {
        var batcher = try batcher(augmentation: .cropFlip)
        var batch = batcher.makeBatch()
        func addresses(_ batch: inout Batch) -> [UnsafeRawPointer] {
            [
                UnsafeRawPointer(batch.images.withUnsafeBufferPointer { $0.baseAddress! }),
                UnsafeRawPointer(batch.labels.withUnsafeBufferPointer { $0.baseAddress! }),
            ]
        }
        let before = addresses(&batch)
        for _ in 0..<25 { batcher.nextBatch(into: &batch) }
        #expect(addresses(&batch) == before)
    }

    @Test("labels and normalised images match the examples named by the batch")
    func contents() throws {
        var batcher = try batcher()
        var batch = batcher.makeBatch()
        batcher.nextBatch(into: &batch)
        for slot in [0, 9] {
            let index = Int(batch.exampleIndices[slot])
            #expect(batch.labels[slot] == split.labels[index])
            let expected = Augmentation.augmentedImage(
                split, at: index, draw: .identity, normalization: normalization)
            #expect(Array(batch.images[(slot * 784)..<((slot + 1) * 784)]) == expected)
        }
    }

    @Test("the same seed gives the same batches; another seed another order")
    func seeded() throws {
        var first = try batcher(augmentation: .cropFlip, seed: 11)
        var second = try batcher(augmentation: .cropFlip, seed: 11)
        var other = try batcher(augmentation: .cropFlip, seed: 12)
        var (a, b, c) = (first.makeBatch(), second.makeBatch(), other.makeBatch())
        var differs = false
        for _ in 0..<25 {
            first.nextBatch(into: &a)
            second.nextBatch(into: &b)
            other.nextBatch(into: &c)
            let same = a.images == b.images && a.labels == b.labels
            #expect(same, "batches with the same seed differ")
            differs = differs || a.exampleIndices != c.exampleIndices
        }
        #expect(differs)
    }

    @Test("each epoch has a new order")
    func reshuffles() throws {
        var batcher = try batcher()
        var batch = batcher.makeBatch()
        batcher.nextBatch(into: &batch)
        let firstEpoch = batch.exampleIndices
        for _ in 0..<9 { batcher.nextBatch(into: &batch) }
        batcher.nextBatch(into: &batch)
        #expect(batch.exampleIndices != firstEpoch)
    }

    @Test(
        "a restored state continues bit-identically, mid-epoch and at an epoch boundary",
        arguments: [4, 10, 23])
    func resume(batchesBeforeSaving: Int) throws {
        var original = try batcher(augmentation: .cropFlip, dropsLast: false)
        var batch = original.makeBatch()
        for _ in 0..<batchesBeforeSaving { original.nextBatch(into: &batch) }

        // Save through JSON, as a checkpoint would.
        let json = try JSONEncoder().encode(original.state)
        var resumed = try batcher(augmentation: .cropFlip, dropsLast: false, seed: 999)
        try resumed.restore(JSONDecoder().decode(BatcherState.self, from: json))
        #expect(resumed.epoch == original.epoch && resumed.batchIndex == original.batchIndex)

        var other = resumed.makeBatch()
        for _ in 0..<15 {
            let expected = original.nextBatch(into: &batch)
            let actual = resumed.nextBatch(into: &other)
            #expect(actual == expected)
            // Only the first `count` examples are valid; compare those.
            let valid = batch.count * 784
            #expect(other.count == batch.count)
            let sameImages = other.images[..<valid].elementsEqual(batch.images[..<valid])
            #expect(sameImages, "images differ in batch \(expected)")
            #expect(other.exampleIndices[..<batch.count] == batch.exampleIndices[..<batch.count])
        }
    }

    @Test("a state saved for another batch size throws incompatibleBatcherState")
    func incompatible() throws {
        let saved = try batcher(batchSize: 10).state
        var batcher = try batcher(batchSize: 20)
        let error = dataError { try batcher.restore(saved) }
        guard case .incompatibleBatcherState = error else {
            Issue.record("expected incompatibleBatcherState, got \(String(describing: error))")
            return
        }
    }

    @Test("a batch larger than the split, or zero, throws invalidBatchSize")
    func invalidBatchSize() throws {
        #expect(
            throwsError(.invalidBatchSize(batchSize: 104, exampleCount: 103)) {
                _ = try batcher(batchSize: 104)
            })
        #expect(
            throwsError(.invalidBatchSize(batchSize: 0, exampleCount: 103)) {
                _ = try batcher(batchSize: 0, dropsLast: false)
            })
        #expect(try batcher(batchSize: 104, dropsLast: false).batchesPerEpoch == 1)
    }
}
