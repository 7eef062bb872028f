import BasinData
import BasinKernels
import Foundation

/// A fresh empty folder under the system's temporary directory.
func makeTemporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("basin-data-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Big-endian bytes of a 32-bit word, as IDX headers store them.
func bigEndian(_ value: UInt32) -> [UInt8] {
    [
        UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF),
        UInt8(value & 0xFF),
    ]
}

/// An IDX image file: magic 0x00000803, dimensions N, H, W, then the pixels.
func idxImageBytes(count: Int, height: Int, width: Int, pixels: [UInt8]) -> [UInt8] {
    bigEndian(0x0000_0803) + bigEndian(UInt32(count)) + bigEndian(UInt32(height))
        + bigEndian(UInt32(width)) + pixels
}

/// An IDX label file: magic 0x00000801, dimension N, then the labels.
func idxLabelBytes(_ labels: [UInt8]) -> [UInt8] {
    bigEndian(0x0000_0801) + bigEndian(UInt32(labels.count)) + labels
}

func write(_ bytes: [UInt8], to url: URL) throws {
    try Data(bytes).write(to: url)
}

/// A small split of seeded random bytes and labels that cycle through the classes.
func randomSplit(
    count: Int, shape: ImageShape, classCount: Int = 10, seed: UInt64 = 1
) -> DataSplit {
    var generator = SeededGenerator(seed: seed)
    let images = (0..<(count * shape.elementCount)).map { _ in
        UInt8(truncatingIfNeeded: generator.next())
    }
    let labels = (0..<count).map { Int32($0 % classCount) }
    return DataSplit(shape: shape, images: images, labels: labels)
}

/// Writes an IDX folder with the standard names: `trainCount` and `testCount` images of
/// 28×28 whose pixels encode their index, labels cycling 0…9.
func writeIDXFolder(
    trainCount: Int, testCount: Int, gzipped: Bool, height: Int = 28, width: Int = 28
) throws -> URL {
    let folder = try makeTemporaryFolder()
    let suffix = gzipped ? ".gz" : ""
    for (prefix, count) in [("train", trainCount), ("t10k", testCount)] {
        let pixels = (0..<(count * height * width)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let labels = (0..<count).map { UInt8($0 % 10) }
        var imageBytes = idxImageBytes(count: count, height: height, width: width, pixels: pixels)
        var labelBytes = idxLabelBytes(labels)
        if gzipped {
            imageBytes = Gzip.compress(imageBytes)
            labelBytes = Gzip.compress(labelBytes)
        }
        try write(
            imageBytes, to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte\(suffix)"))
        try write(
            labelBytes, to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte\(suffix)"))
    }
    return folder
}

/// One CIFAR-10 record: the label byte, then 3×32×32 pixels filled with `(seed + i) mod 256`.
func cifarRecord(label: UInt8, seed: Int) -> [UInt8] {
    [label] + (0..<3072).map { UInt8(truncatingIfNeeded: seed + $0) }
}

/// Writes the six CIFAR-10 batch files, `recordsPerFile` records each, into `folder`.
func writeCIFARFolder(recordsPerFile: Int, into folder: URL) throws {
    let names = CIFAR10Reader.trainingFileNames + [CIFAR10Reader.testFileName]
    for (fileIndex, name) in names.enumerated() {
        let bytes = (0..<recordsPerFile).flatMap { record in
            cifarRecord(
                label: UInt8((fileIndex + record) % 10), seed: fileIndex * 100 + record)
        }
        try write(bytes, to: folder.appendingPathComponent(name))
    }
}

/// Whether `body` throws exactly `expected`.
func throwsError(_ expected: DataError, _ body: () throws -> Void) -> Bool {
    do {
        try body()
        return false
    } catch let error as DataError {
        return error == expected
    } catch {
        return false
    }
}

/// The `DataError` that `body` throws, or nil.
func dataError(_ body: () throws -> Void) -> DataError? {
    do {
        try body()
        return nil
    } catch {
        return error as? DataError
    }
}
