import BasinKernels

// Dimension letters: B batch capacity, C channels, H height, W width.

/// A preallocated batch: normalised float images and their labels, refilled in place by
/// the batchers so that the training loop allocates nothing.
///
/// Only the first `count` examples are valid: `images[0 ..< count·C·H·W]`,
/// `labels[0 ..< count]`. `count` is below `capacity` only for the last batch of an epoch
/// when partial batches are kept, or the last evaluation batch.
public struct Batch: Sendable {
    public let shape: ImageShape
    public let capacity: Int
    /// Number of valid examples.
    public internal(set) var count: Int
    /// capacity × C × H × W floats, example-major, channel-major within an example.
    public internal(set) var images: [Float]
    /// capacity class indices.
    public internal(set) var labels: [Int32]
    /// The position in its split of each example (for checks and per-example analyses).
    public internal(set) var exampleIndices: [Int32]

    /// An empty batch with room for `capacity` images of `shape`.
    public init(capacity: Int, shape: ImageShape) {
        precondition(capacity > 0, "batch capacity must be positive, got \(capacity)")
        self.shape = shape
        self.capacity = capacity
        count = 0
        images = [Float](repeating: 0, count: capacity * shape.elementCount)
        labels = [Int32](repeating: 0, count: capacity)
        exampleIndices = [Int32](repeating: 0, count: capacity)
    }

    /// Fills the batch with the examples of `split` at `indices`, each augmented by the
    /// draw `augmentation` makes from `generator` (in example order), then normalised.
    ///
    /// Writes into the existing arrays: no allocation while they are uniquely referenced.
    mutating func fill<Indices: Collection>(
        from split: DataSplit, indices: Indices, augmentation: Augmentation,
        scale: [Float], shift: [Float], generator: inout SeededGenerator
    ) where Indices.Element == Int32 {
        precondition(
            split.shape == shape && indices.count <= capacity,
            "cannot fill a batch of \(capacity)×\(shape) with \(indices.count)×\(split.shape)")
        let size = shape.elementCount
        count = indices.count
        split.images.withUnsafeBufferPointer { source in
            images.withUnsafeMutableBufferPointer { destination in
                for (slot, index) in indices.enumerated() {
                    let draw = augmentation.draw(for: shape, generator: &generator)
                    writeImage(
                        source.baseAddress! + Int(index) * size, shape: shape, draw: draw,
                        scale: scale, shift: shift, into: destination.baseAddress! + slot * size)
                }
            }
        }
        labels.withUnsafeMutableBufferPointer { labelBuffer in
            exampleIndices.withUnsafeMutableBufferPointer { indexBuffer in
                for (slot, index) in indices.enumerated() {
                    labelBuffer[slot] = split.labels[Int(index)]
                    indexBuffer[slot] = index
                }
            }
        }
    }
}
