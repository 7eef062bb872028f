import Foundation

/// Everything that can be wrong with a data set on disk or with a data-set argument.
///
/// Each message names the file (or the argument), what was expected and what was found,
/// so that it can be shown to a user as is.
public enum DataError: Error, Equatable, CustomStringConvertible {
    /// A file that the format requires does not exist.
    case missingFile(path: String, expected: String)
    /// A file exists but could not be read.
    case unreadableFile(path: String, reason: String)
    /// The first four bytes of an IDX file are not the magic number of its kind.
    case wrongMagicNumber(path: String, expected: UInt32, found: UInt32)
    /// The dimensions in a header describe more or fewer bytes than the file holds.
    case sizeMismatch(path: String, expectedByteCount: Int, foundByteCount: Int, detail: String)
    /// A header announces dimensions no image data set has (zero, or beyond the limits).
    case absurdDimensions(path: String, dimensions: [Int], limit: String)
    /// A label is not one of the data set's classes.
    case labelOutOfRange(path: String, index: Int, label: Int, classCount: Int)
    /// An image file and its label file disagree on the number of examples.
    case countMismatch(imagesPath: String, imageCount: Int, labelsPath: String, labelCount: Int)
    /// The training and test images do not have the same channels × height × width.
    case shapeMismatch(
        trainPath: String, trainShape: ImageShape, testPath: String,
        testShape: ImageShape)
    /// A gzip stream is damaged or truncated.
    case corruptGzip(path: String, reason: String)
    /// A gzip stream inflates beyond the limit for any data-set file.
    case decompressedTooLarge(path: String, limitByteCount: Int)
    /// A folder holds neither IDX files nor CIFAR-10 binaries under their standard names.
    case notADataset(path: String, lookedFor: [String])
    /// A named data set is not installed on this machine.
    case datasetNotInstalled(name: String, path: String, installCommand: String)
    /// A data-set argument is none of the accepted forms.
    case unknownSpecification(text: String)
    /// An augmentation argument is none of the accepted names.
    case unknownAugmentation(text: String)
    /// A held-out validation set cannot have this size.
    case invalidValidationCount(requested: Int, trainingCount: Int)
    /// A batch size that gives no batch for this split (zero, or larger than the split when
    /// partial batches are dropped).
    case invalidBatchSize(batchSize: Int, exampleCount: Int)
    /// A saved batcher state does not belong to this data split and batch size.
    case incompatibleBatcherState(expected: String, found: String)

    public var description: String {
        switch self {
        case .missingFile(let path, let expected):
            return "\(path): file not found (expected \(expected))"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot be read: \(reason)"
        case .wrongMagicNumber(let path, let expected, let found):
            return "\(path): wrong magic number: expected \(hex(expected)), found \(hex(found))"
        case .sizeMismatch(let path, let expected, let found, let detail):
            return "\(path): expected \(expected) bytes (\(detail)), found \(found)"
        case .absurdDimensions(let path, let dimensions, let limit):
            let shown = dimensions.map(String.init).joined(separator: " × ")
            return "\(path): implausible dimensions \(shown) (expected \(limit))"
        case .labelOutOfRange(let path, let index, let label, let classCount):
            return "\(path): label \(label) at example \(index) is out of range "
                + "(expected 0..<\(classCount))"
        case .countMismatch(let imagesPath, let imageCount, let labelsPath, let labelCount):
            return "\(imagesPath) holds \(imageCount) images but \(labelsPath) holds "
                + "\(labelCount) labels (expected equal counts)"
        case .shapeMismatch(let trainPath, let trainShape, let testPath, let testShape):
            return "\(testPath): images are \(testShape) but \(trainPath) has \(trainShape) "
                + "(expected the same shape)"
        case .corruptGzip(let path, let reason):
            return "\(path): damaged gzip data: \(reason)"
        case .decompressedTooLarge(let path, let limit):
            return "\(path): inflates to more than \(limit) bytes (expected a data-set file "
                + "below that limit)"
        case .notADataset(let path, let lookedFor):
            return "\(path): not a data-set folder (looked for "
                + lookedFor.joined(separator: ", ") + ")"
        case .datasetNotInstalled(let name, let path, let installCommand):
            return "data set '\(name)' is not installed (expected it in \(path)); "
                + "install it with: \(installCommand)"
        case .unknownSpecification(let text):
            return "unknown data set '\(text)' (expected embedded, fashion-mnist, "
                + "cifar10:PATH, idx:PATH or the path of a folder of IDX or CIFAR-10 files)"
        case .unknownAugmentation(let text):
            return "unknown augmentation '\(text)' (expected none, crop or crop+flip)"
        case .invalidValidationCount(let requested, let trainingCount):
            return "cannot hold out \(requested) validation examples from \(trainingCount) "
                + "training examples (expected 0 < count < \(trainingCount))"
        case .invalidBatchSize(let batchSize, let exampleCount):
            return "batch size \(batchSize) gives no full batch of \(exampleCount) examples "
                + "(expected 1 ≤ batch size ≤ \(exampleCount))"
        case .incompatibleBatcherState(let expected, let found):
            return "saved batcher state does not fit: expected \(expected), found \(found)"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
