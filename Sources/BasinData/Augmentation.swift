import BasinKernels

// Dimension letters: C channels, H height (rows y), W width (columns x).

/// Training-time augmentation of images: random crop with zero padding, and horizontal
/// flip. Evaluation never augments.
///
/// - `none`: the image as stored.
/// - `crop`: pad each side with `padding(for:)` pixels of value 0 (black, before
///   normalisation) and crop back to H×W at a uniformly random position — torchvision's
///   `RandomCrop(size, padding)`. Equivalently the content moves by a random offset
///   (dy, dx), each uniform in −P…P, and the uncovered border is 0.
/// - `crop+flip`: the same crop, then a mirror left–right with probability 1/2.
public enum Augmentation: String, Codable, CaseIterable, Sendable, CustomStringConvertible {
    case none
    case crop
    case cropFlip = "crop+flip"

    /// - Throws: `DataError.unknownAugmentation` for a name other than `none`, `crop`,
    ///   `crop+flip`.
    public init(parsing text: String) throws {
        guard let value = Augmentation(rawValue: text.lowercased()) else {
            throw DataError.unknownAugmentation(text: text)
        }
        self = value
    }

    public var description: String { rawValue }

    /// Padding P of the random crop: 4 pixels for images 32 or more pixels a side (the
    /// CIFAR-10 convention), 2 pixels for smaller ones (28×28 Fashion-MNIST, keeping
    /// about the same fraction of the side).
    public static func padding(for shape: ImageShape) -> Int {
        min(shape.height, shape.width) >= 32 ? 4 : 2
    }

    /// Draws the random choices for one image. The draws always happen in the order
    /// row offset, column offset, flip, and only those the augmentation needs, so the
    /// generator's stream depends only on the augmentation and the number of images.
    public func draw(for shape: ImageShape, generator: inout SeededGenerator)
        -> AugmentationDraw
    {
        switch self {
        case .none:
            return .identity
        case .crop, .cropFlip:
            let padding = Self.padding(for: shape)
            let rowOffset = generator.nextIndex(below: 2 * padding + 1) - padding
            let columnOffset = generator.nextIndex(below: 2 * padding + 1) - padding
            let flipped = self == .cropFlip && generator.next() >> 63 == 1
            return AugmentationDraw(
                rowOffset: rowOffset, columnOffset: columnOffset, flipped: flipped)
        }
    }
}

/// The random choices for one image: the crop as an offset of the content, and the flip.
///
/// Output pixel (y, x) takes the input pixel (y − rowOffset, x′ − columnOffset), where
/// x′ = W − 1 − x when flipped and x otherwise, and 0 where that lies outside the image.
/// A crop at position (top, left) of the image padded by P is the offset
/// (P − top, P − left).
public struct AugmentationDraw: Equatable, Sendable {
    public var rowOffset: Int
    public var columnOffset: Int
    public var flipped: Bool

    public init(rowOffset: Int, columnOffset: Int, flipped: Bool) {
        self.rowOffset = rowOffset
        self.columnOffset = columnOffset
        self.flipped = flipped
    }

    public static let identity = AugmentationDraw(rowOffset: 0, columnOffset: 0, flipped: false)
}

/// Writes one image, augmented by `draw` and normalised, as C×H×W floats.
///
/// Pixels uncovered by the shift are the byte 0 normalised (`shift[c]`), as when
/// torchvision pads with black before `Normalize`.
/// - Parameters:
///   - source: C·H·W bytes of one image, channel-major.
///   - destination: room for C·H·W floats.
///   - scale, shift: per-channel affine map of `ChannelNormalization.affine`.
@inline(__always)
func writeImage(
    _ source: UnsafePointer<UInt8>, shape: ImageShape, draw: AugmentationDraw,
    scale: UnsafePointer<Float>, shift: UnsafePointer<Float>,
    into destination: UnsafeMutablePointer<Float>
) {
    let (height, width) = (shape.height, shape.width)
    // Output columns x in lowX..<highX read the source; the rest are padding. Unflipped,
    // source x − dx must lie in 0..<W; flipped, W − 1 − x − dx must, which is the same
    // range mirrored.
    let dx = draw.columnOffset
    let (lowX, highX) =
        draw.flipped
        ? (max(0, -dx), min(width, width - dx)) : (max(0, dx), min(width, width + dx))
    for channel in 0..<shape.channels {
        let plane = source + channel * shape.planeCount
        let output = destination + channel * shape.planeCount
        let (channelScale, channelShift) = (scale[channel], shift[channel])
        for y in 0..<height {
            let row = output + y * width
            let sourceY = y - draw.rowOffset
            guard sourceY >= 0 && sourceY < height, lowX < highX else {
                row.update(repeating: channelShift, count: width)
                continue
            }
            let sourceRow = plane + sourceY * width
            row.update(repeating: channelShift, count: lowX)
            if draw.flipped {
                for x in lowX..<highX {
                    row[x] = Float(sourceRow[width - 1 - x - dx]) * channelScale + channelShift
                }
            } else {
                for x in lowX..<highX {
                    row[x] = Float(sourceRow[x - dx]) * channelScale + channelShift
                }
            }
            (row + highX).update(repeating: channelShift, count: width - highX)
        }
    }
}

extension Augmentation {
    /// One image of `split`, augmented by `draw` and normalised: C×H×W floats.
    /// Allocates its result; the batchers write into their own buffers instead.
    public static func augmentedImage(
        _ split: DataSplit, at index: Int, draw: AugmentationDraw,
        normalization: ChannelNormalization
    ) -> [Float] {
        precondition(
            normalization.channels == split.shape.channels,
            "normalisation has \(normalization.channels) channels, images \(split.shape)")
        precondition(
            index >= 0 && index < split.count, "example \(index) outside 0..<\(split.count)")
        let (scale, shift) = normalization.affine
        var result = [Float](repeating: 0, count: split.shape.elementCount)
        split.images.withUnsafeBufferPointer { images in
            result.withUnsafeMutableBufferPointer { output in
                writeImage(
                    images.baseAddress! + index * split.shape.elementCount, shape: split.shape,
                    draw: draw, scale: scale, shift: shift, into: output.baseAddress!)
            }
        }
        return result
    }
}
