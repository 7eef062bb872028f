import BasinKernels

// Dimension letters: N examples in the split, B batch size, C channels, H height, W width.

/// Where a batch lies in training: its epoch (from 0) and its index within the epoch.
public struct BatchPosition: Equatable, Sendable {
    public var epoch: Int
    public var batchIndex: Int
    /// Whether this is the epoch's last batch.
    public var endsEpoch: Bool

    public init(epoch: Int, batchIndex: Int, endsEpoch: Bool) {
        self.epoch = epoch
        self.batchIndex = batchIndex
        self.endsEpoch = endsEpoch
    }
}

/// Deals the training split in shuffled, augmented, normalised batches, epoch after epoch.
///
/// At the start of every epoch the example order is a fresh permutation of `0..<N`
/// (`seededShuffle` of the identity), drawn from the batcher's own generator; the
/// augmentation draws of each batch follow from the same generator, example by example.
/// The whole stream is therefore fixed by the generator's initial state, and `state` /
/// `restore(_:)` resume it bit for bit between any two batches.
///
/// By default the last partial batch of an epoch is dropped (`dropsLastPartialBatch`), so
/// every step sees B examples — BatchNorm's batch statistics stay equally noisy and an
/// epoch is ⌊N/B⌋ steps. The dropped N mod B examples differ from epoch to epoch.
public struct TrainingBatcher: Sendable {
    public let split: DataSplit
    public let batchSize: Int
    public let normalization: ChannelNormalization
    public let augmentation: Augmentation
    public let dropsLastPartialBatch: Bool
    /// Batches per epoch: ⌊N/B⌋ when dropping the partial batch, ⌈N/B⌉ otherwise.
    public let batchesPerEpoch: Int
    /// The epoch of the next batch, from 0.
    public private(set) var epoch = 0
    /// The index within its epoch of the next batch.
    public private(set) var batchIndex = 0

    /// Batches dealt so far over all epochs: epoch · batchesPerEpoch + batchIndex.
    public var completedBatchCount: Int { epoch * batchesPerEpoch + batchIndex }

    private var generator: SeededGenerator
    /// The generator as it was before this epoch's shuffle, to rebuild the order on restore.
    private var epochStartGenerator: SeededGenerator
    private var order: [Int32]
    private let scale: [Float]
    private let shift: [Float]

    /// - Parameters:
    ///   - generator: the initial state of the batcher's own random stream (give it a
    ///     stream derived from the run's seed, e.g. `derived(stream:)`).
    /// - Throws: `DataError.invalidBatchSize` when the split yields no batch.
    /// - Precondition: `normalization` has one entry per image channel.
    public init(
        split: DataSplit, batchSize: Int, normalization: ChannelNormalization,
        augmentation: Augmentation = .none, dropsLastPartialBatch: Bool = true,
        generator: SeededGenerator
    ) throws {
        precondition(
            normalization.channels == split.shape.channels,
            "normalisation has \(normalization.channels) channels, images \(split.shape)")
        let batches =
            batchSize <= 0
            ? 0
            : dropsLastPartialBatch
                ? split.count / batchSize : (split.count + batchSize - 1) / batchSize
        guard batches > 0 else {
            throw DataError.invalidBatchSize(batchSize: batchSize, exampleCount: split.count)
        }
        self.split = split
        self.batchSize = batchSize
        self.normalization = normalization
        self.augmentation = augmentation
        self.dropsLastPartialBatch = dropsLastPartialBatch
        batchesPerEpoch = batches
        self.generator = generator
        epochStartGenerator = generator
        order = (0..<Int32(split.count)).map { $0 }
        (scale, shift) = normalization.affine
    }

    /// A batch buffer of the right capacity and shape for `nextBatch(into:)`.
    public func makeBatch() -> Batch {
        Batch(capacity: batchSize, shape: split.shape)
    }

    /// Fills `batch` with the next batch and advances; a new epoch starts (with a new
    /// shuffle) after the last batch of the previous one.
    ///
    /// - Returns: the position of the batch just filled.
    /// - Precondition: `batch` has capacity `batchSize` and the split's image shape.
    @discardableResult
    public mutating func nextBatch(into batch: inout Batch) -> BatchPosition {
        precondition(
            batch.capacity == batchSize && batch.shape == split.shape,
            "batch of \(batch.capacity)×\(batch.shape) given to a batcher of "
                + "\(batchSize)×\(split.shape)")
        if batchIndex == 0 {
            epochStartGenerator = generator
            Self.shuffle(&order, generator: &generator)
        }
        let start = batchIndex * batchSize
        let end = min(start + batchSize, split.count)
        batch.fill(
            from: split, indices: order[start..<end], augmentation: augmentation,
            scale: scale, shift: shift, generator: &generator)

        let position = BatchPosition(
            epoch: epoch, batchIndex: batchIndex, endsEpoch: batchIndex + 1 == batchesPerEpoch)
        batchIndex += 1
        if batchIndex == batchesPerEpoch {
            epoch += 1
            batchIndex = 0
        }
        return position
    }

    /// Everything needed to continue the batch stream exactly where it is.
    public var state: BatcherState {
        BatcherState(
            epoch: epoch, batchIndex: batchIndex, exampleCount: split.count,
            batchSize: batchSize, augmentation: augmentation,
            dropsLastPartialBatch: dropsLastPartialBatch,
            generator: GeneratorState(generator),
            epochStartGenerator: GeneratorState(epochStartGenerator))
    }

    /// Continues from a saved `state`: the following batches are bit-identical to those
    /// the saving batcher would have produced.
    ///
    /// - Throws: `DataError.incompatibleBatcherState` when the state was saved for another
    ///   split size, batch size, augmentation or partial-batch rule, or its position lies
    ///   outside an epoch.
    public mutating func restore(_ saved: BatcherState) throws {
        let current = state
        guard
            saved.exampleCount == current.exampleCount, saved.batchSize == current.batchSize,
            saved.augmentation == current.augmentation,
            saved.dropsLastPartialBatch == current.dropsLastPartialBatch,
            saved.epoch >= 0, (0..<batchesPerEpoch).contains(saved.batchIndex)
        else {
            throw DataError.incompatibleBatcherState(
                expected: current.shapeDescription + ", batch index 0..<\(batchesPerEpoch)",
                found: saved.shapeDescription + ", batch index \(saved.batchIndex)")
        }
        epoch = saved.epoch
        batchIndex = saved.batchIndex
        generator = saved.generator.generator
        epochStartGenerator = saved.epochStartGenerator.generator
        if batchIndex > 0 {
            var replay = epochStartGenerator
            Self.shuffle(&order, generator: &replay)
        }
    }

    /// Resets `order` to the identity and shuffles it.
    private static func shuffle(_ order: inout [Int32], generator: inout SeededGenerator) {
        order.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] = Int32(index) }
        }
        seededShuffle(&order, generator: &generator)
    }
}

/// The saved position and random state of a `TrainingBatcher` (Codable, for checkpoints).
public struct BatcherState: Codable, Equatable, Sendable {
    public var epoch: Int
    public var batchIndex: Int
    public var exampleCount: Int
    public var batchSize: Int
    public var augmentation: Augmentation
    public var dropsLastPartialBatch: Bool
    public var generator: GeneratorState
    public var epochStartGenerator: GeneratorState

    var shapeDescription: String {
        "\(exampleCount) examples in batches of \(batchSize), augmentation \(augmentation), "
            + (dropsLastPartialBatch ? "partial batch dropped" : "partial batch kept")
    }
}
