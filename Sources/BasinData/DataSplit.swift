// Dimension letters: N examples, C channels, H height (rows), W width (columns).

/// The shape of one image: channels × height × width, stored channel-major (CHW).
public struct ImageShape: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        precondition(
            channels > 0 && height > 0 && width > 0,
            "image dimensions must be positive, got \(channels)×\(height)×\(width)")
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Values per image: C·H·W.
    public var elementCount: Int { channels * height * width }

    /// Values per channel of one image: H·W.
    public var planeCount: Int { height * width }

    /// `C×H×W`, e.g. `1×28×28`.
    public var description: String { "\(channels)×\(height)×\(width)" }
}

/// One split of a data set (training, validation or test): images as raw bytes and their
/// labels.
///
/// `images` holds N×C×H×W bytes, example-major then channel-major (CHW within an example),
/// pixel values 0…255 as stored in the file. `labels[i]` is the class of example `i`,
/// in `0..<classCount` of the owning data set.
public struct DataSplit: Equatable, Sendable {
    public let shape: ImageShape
    public let images: [UInt8]
    public let labels: [Int32]

    /// - Precondition: `images.count == labels.count × shape.elementCount`.
    public init(shape: ImageShape, images: [UInt8], labels: [Int32]) {
        precondition(
            images.count == labels.count * shape.elementCount,
            "\(images.count) image bytes do not make \(labels.count) images of \(shape)")
        self.shape = shape
        self.images = images
        self.labels = labels
    }

    /// Number of examples N.
    public var count: Int { labels.count }

    /// The bytes of example `index`: C×H×W, channel-major.
    public func image(at index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "example \(index) outside 0..<\(count)")
        let start = index * shape.elementCount
        return images[start..<(start + shape.elementCount)]
    }

    /// A new split with the examples at `indices`, in that order (indices may repeat).
    public func selecting<Indices: Collection>(_ indices: Indices) -> DataSplit
    where Indices.Element == Int {
        let size = shape.elementCount
        var selectedImages = [UInt8]()
        selectedImages.reserveCapacity(indices.count * size)
        var selectedLabels = [Int32]()
        selectedLabels.reserveCapacity(indices.count)
        for index in indices {
            precondition(index >= 0 && index < count, "example \(index) outside 0..<\(count)")
            selectedImages.append(contentsOf: images[(index * size)..<((index + 1) * size)])
            selectedLabels.append(labels[index])
        }
        return DataSplit(shape: shape, images: selectedImages, labels: selectedLabels)
    }

    /// How many examples each class has: element `c` counts the labels equal to `c`.
    /// - Precondition: every label lies in `0..<classCount`.
    public func classCounts(classCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels {
            precondition(
                label >= 0 && Int(label) < classCount,
                "label \(label) outside 0..<\(classCount)")
            counts[Int(label)] += 1
        }
        return counts
    }
}
