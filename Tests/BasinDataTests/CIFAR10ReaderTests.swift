import BasinData
import Foundation
import Testing

@Suite("CIFAR-10 reader")
struct CIFAR10ReaderTests {
    @Test("the six batch files load as 3×32×32 images with labels, in file order")
    func load() throws {
        let folder = try makeTemporaryFolder()
        try writeCIFARFolder(recordsPerFile: 3, into: folder)
        let dataset = try CIFAR10Reader.load(from: folder)
        #expect(dataset.train.count == 15)
        #expect(dataset.test.count == 3)
        #expect(dataset.inputShape == ImageShape(channels: 3, height: 32, width: 32))
        #expect(dataset.classNames == cifar10ClassNames)
        // Training example 4 is record 1 of data_batch_2 (file index 1): label 2, seed 101.
        #expect(dataset.train.labels[4] == 2)
        let image = Array(dataset.train.image(at: 4))
        #expect(image == Array(cifarRecord(label: 2, seed: 101).dropFirst()))
        // Test record 2 is in file index 5: label 7, seed 502; its blue plane starts at 2048.
        #expect(dataset.test.labels[2] == 7)
        #expect(
            dataset.test.image(at: 2)[dataset.test.image(at: 2).startIndex + 2048]
                == UInt8(truncatingIfNeeded: 502 + 2048))
    }

    @Test("batches inside cifar-10-batches-bin are found, and batches.meta.txt names classes")
    func subfolder() throws {
        let folder = try makeTemporaryFolder()
        let inner = folder.appendingPathComponent("cifar-10-batches-bin")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        try writeCIFARFolder(recordsPerFile: 1, into: inner)
        let names = (0..<10).map { "class\($0)" }
        try (names.joined(separator: "\n") + "\n\n").write(
            to: inner.appendingPathComponent("batches.meta.txt"), atomically: true,
            encoding: .utf8)
        let dataset = try DatasetSpecification(parsing: "cifar10:" + folder.path).load()
        #expect(dataset.train.count == 5)
        #expect(dataset.classNames == names)
    }

    @Test("a truncated batch throws sizeMismatch")
    func truncated() throws {
        let url = try makeTemporaryFolder().appendingPathComponent("test_batch.bin")
        try write(cifarRecord(label: 1, seed: 0) + [1, 2, 3], to: url)
        #expect(
            throwsError(
                .sizeMismatch(
                    path: url.path, expectedByteCount: 3073, foundByteCount: 3076,
                    detail: "a whole, nonzero number of 3073-byte records")
            ) {
                _ = try CIFAR10Reader.readBatch(at: url)
            })
    }

    @Test("an empty batch throws sizeMismatch")
    func empty() throws {
        let url = try makeTemporaryFolder().appendingPathComponent("test_batch.bin")
        try write([], to: url)
        let error = dataError { _ = try CIFAR10Reader.readBatch(at: url) }
        guard case .sizeMismatch = error else {
            Issue.record("expected sizeMismatch, got \(String(describing: error))")
            return
        }
    }

    @Test("a label byte above 9 throws labelOutOfRange")
    func labelOutOfRange() throws {
        let url = try makeTemporaryFolder().appendingPathComponent("data_batch_1.bin")
        try write(cifarRecord(label: 4, seed: 0) + cifarRecord(label: 12, seed: 1), to: url)
        #expect(
            throwsError(.labelOutOfRange(path: url.path, index: 1, label: 12, classCount: 10)) {
                _ = try CIFAR10Reader.readBatch(at: url)
            })
    }

    @Test("a missing test batch throws missingFile")
    func missingTest() throws {
        let folder = try makeTemporaryFolder()
        try writeCIFARFolder(recordsPerFile: 1, into: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("test_batch.bin"))
        let error = dataError { _ = try CIFAR10Reader.load(from: folder) }
        guard case .missingFile(let path, _) = error else {
            Issue.record("expected missingFile, got \(String(describing: error))")
            return
        }
        #expect(path.hasSuffix("test_batch.bin"))
    }
}
