import Foundation

// Dimension letters: N examples, H height, W width.

/// Readers for the IDX format of MNIST, Fashion-MNIST and KMNIST (LeCun et al.).
///
/// An IDX file starts with a big-endian 32-bit magic number `0x0000TTDD` (TT the element
/// type, 0x08 for unsigned bytes; DD the number of dimensions), then DD big-endian 32-bit
/// dimensions, then the elements in row-major order. Image files are `0x00000803`
/// (N × H × W), label files `0x00000801` (N). Files may be gzipped.
///
/// Every dimension is checked against the limits and against the bytes actually present
/// before any array is sized from it.
public enum IDXReader {
    /// Magic number of an IDX image file: unsigned bytes, 3 dimensions (N, H, W).
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// Magic number of an IDX label file: unsigned bytes, 1 dimension (N).
    public static let labelsMagic: UInt32 = 0x0000_0801
    /// Largest accepted image side, in pixels.
    public static let maximumImageSide = 4096

    /// The images of an IDX image file as a split-ready byte array with shape 1×H×W.
    ///
    /// - Returns: the shape, the example count N and N×H×W bytes.
    /// - Throws: `DataError` for a missing file, wrong magic number, implausible
    ///   dimensions, or a byte count that does not match the header.
    public static func readImages(at url: URL) throws -> (
        shape: ImageShape, count: Int, pixels: [UInt8]
    ) {
        var bytes = try readDataFile(url, expected: "an IDX image file (magic 0x00000803)")
        let dimensions = try header(of: bytes, path: url.path, magic: imagesMagic)
        let (count, height, width) = (dimensions[0], dimensions[1], dimensions[2])
        guard count > 0, (1...maximumImageSide).contains(height),
            (1...maximumImageSide).contains(width)
        else {
            throw DataError.absurdDimensions(
                path: url.path, dimensions: dimensions,
                limit: "N ≥ 1 images of 1…\(maximumImageSide) pixels a side")
        }
        let headerCount = 4 + 4 * dimensions.count
        // count ≤ 2^32 and height·width ≤ 2^24, so the product cannot overflow Int.
        let expectedCount = headerCount + count * height * width
        guard bytes.count == expectedCount else {
            throw DataError.sizeMismatch(
                path: url.path, expectedByteCount: expectedCount, foundByteCount: bytes.count,
                detail: "a \(headerCount)-byte header and \(count) images of \(height)×\(width)")
        }
        let shape = ImageShape(channels: 1, height: height, width: width)
        bytes.removeFirst(headerCount)  // in place: no second copy of the pixels
        return (shape, count, bytes)
    }

    /// The labels of an IDX label file, each checked to lie in `0..<classCount`.
    ///
    /// - Throws: `DataError` for a missing file, wrong magic number, a byte count that does
    ///   not match the header, or a label outside the classes.
    public static func readLabels(at url: URL, classCount: Int) throws -> [Int32] {
        precondition(classCount > 0, "classCount must be positive, got \(classCount)")
        let bytes = try readDataFile(url, expected: "an IDX label file (magic 0x00000801)")
        let dimensions = try header(of: bytes, path: url.path, magic: labelsMagic)
        let count = dimensions[0]
        guard count > 0 else {
            throw DataError.absurdDimensions(
                path: url.path, dimensions: dimensions, limit: "at least one label")
        }
        let expectedCount = 8 + count
        guard bytes.count == expectedCount else {
            throw DataError.sizeMismatch(
                path: url.path, expectedByteCount: expectedCount, foundByteCount: bytes.count,
                detail: "an 8-byte header and \(count) one-byte labels")
        }
        var labels = [Int32](repeating: 0, count: count)
        for index in 0..<count {
            let label = Int(bytes[8 + index])
            guard label < classCount else {
                throw DataError.labelOutOfRange(
                    path: url.path, index: index, label: label, classCount: classCount)
            }
            labels[index] = Int32(label)
        }
        return labels
    }

    /// Checks the magic number and returns the dimensions that follow it.
    private static func header(of bytes: [UInt8], path: String, magic: UInt32) throws -> [Int] {
        let dimensionCount = Int(magic & 0xFF)
        let headerCount = 4 + 4 * dimensionCount
        guard bytes.count >= 4 else {
            throw DataError.sizeMismatch(
                path: path, expectedByteCount: headerCount, foundByteCount: bytes.count,
                detail: "at least the \(headerCount)-byte IDX header")
        }
        let found = bigEndianWord(bytes, at: 0)
        guard found == magic else {
            throw DataError.wrongMagicNumber(path: path, expected: magic, found: found)
        }
        guard bytes.count >= headerCount else {
            throw DataError.sizeMismatch(
                path: path, expectedByteCount: headerCount, foundByteCount: bytes.count,
                detail: "at least the \(headerCount)-byte IDX header")
        }
        return (0..<dimensionCount).map { Int(bigEndianWord(bytes, at: 4 + 4 * $0)) }
    }

    private static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { ($0 << 8) | UInt32(bytes[offset + $1]) }
    }
}
