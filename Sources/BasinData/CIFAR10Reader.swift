import Foundation

// Dimension letters: N examples, C = 3 channels (red, green, blue), H = W = 32.

/// Reader for the binary version of CIFAR-10 (Krizhevsky 2009).
///
/// Each batch file is a sequence of 3,073-byte records: one label byte (0…9), then the
/// 3,072 pixel bytes of a 3×32×32 image, channel-major (the 1,024 red values row by row,
/// then green, then blue). The training set is `data_batch_1.bin` … `data_batch_5.bin`
/// (10,000 records each), the test set `test_batch.bin`; `batches.meta.txt` lists the class
/// names. The files may sit in the given folder or in its `cifar-10-batches-bin` subfolder,
/// as the official archive unpacks.
public enum CIFAR10Reader {
    public static let imageShape = ImageShape(channels: 3, height: 32, width: 32)
    public static let classCount = 10
    /// Bytes per record: one label and 3×32×32 pixels.
    public static let recordByteCount = 1 + 3 * 32 * 32
    public static let trainingFileNames = (1...5).map { "data_batch_\($0).bin" }
    public static let testFileName = "test_batch.bin"

    /// The folder holding the batch files: `folder` itself or its `cifar-10-batches-bin`,
    /// or nil when neither holds `data_batch_1.bin`.
    public static func batchFolder(in folder: URL) -> URL? {
        [folder, folder.appendingPathComponent("cifar-10-batches-bin")].first {
            FileManager.default.fileExists(
                atPath: $0.appendingPathComponent(trainingFileNames[0]).path)
        }
    }

    /// Loads the five training batches and the test batch of `folder`.
    ///
    /// Class names come from `batches.meta.txt` when it lists ten names, and are the
    /// standard CIFAR-10 names otherwise.
    /// - Throws: `DataError.missingFile` naming the missing batch, and every error of
    ///   `readBatch(at:)`.
    public static func load(from folder: URL, name: String = "cifar10") throws -> Dataset {
        guard let batches = batchFolder(in: folder) else {
            throw DataError.missingFile(
                path: folder.appendingPathComponent(trainingFileNames[0]).path,
                expected: "CIFAR-10 binary batches data_batch_1.bin … data_batch_5.bin and "
                    + "test_batch.bin, in the folder or its cifar-10-batches-bin")
        }
        var trainImages = [UInt8]()
        var trainLabels = [Int32]()
        for fileName in trainingFileNames {
            let batch = try readBatch(at: batches.appendingPathComponent(fileName))
            trainImages.append(contentsOf: batch.images)
            trainLabels.append(contentsOf: batch.labels)
        }
        let test = try readBatch(at: batches.appendingPathComponent(testFileName))
        let train = DataSplit(shape: imageShape, images: trainImages, labels: trainLabels)
        return Dataset(
            name: name, source: folder.path, classCount: classCount,
            classNames: classNames(in: batches), train: train, test: test)
    }

    /// The records of one batch file.
    ///
    /// - Throws: `DataError.missingFile`; `sizeMismatch` when the file is empty or not a
    ///   whole number of 3,073-byte records (a truncated file); `labelOutOfRange` for a
    ///   label byte above 9.
    public static func readBatch(at url: URL) throws -> DataSplit {
        let bytes = try readDataFile(url, expected: "a CIFAR-10 binary batch")
        let count = bytes.count / recordByteCount
        guard count > 0, bytes.count == count * recordByteCount else {
            throw DataError.sizeMismatch(
                path: url.path, expectedByteCount: max(1, count) * recordByteCount,
                foundByteCount: bytes.count,
                detail: "a whole, nonzero number of \(recordByteCount)-byte records")
        }
        let imageCount = imageShape.elementCount
        var images = [UInt8](repeating: 0, count: count * imageCount)
        var labels = [Int32](repeating: 0, count: count)
        for index in 0..<count {
            let record = index * recordByteCount
            let label = Int(bytes[record])
            guard label < classCount else {
                throw DataError.labelOutOfRange(
                    path: url.path, index: index, label: label, classCount: classCount)
            }
            labels[index] = Int32(label)
            images.withUnsafeMutableBufferPointer { destination in
                bytes.withUnsafeBufferPointer { source in
                    let target = destination.baseAddress! + index * imageCount
                    target.update(from: source.baseAddress! + record + 1, count: imageCount)
                }
            }
        }
        return DataSplit(shape: imageShape, images: images, labels: labels)
    }

    /// The ten names of `batches.meta.txt`, or the standard names when the file is absent
    /// or does not list exactly ten.
    private static func classNames(in folder: URL) -> [String] {
        let url = folder.appendingPathComponent("batches.meta.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            return cifar10ClassNames
        }
        let names = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return names.count == classCount ? names : cifar10ClassNames
    }
}
