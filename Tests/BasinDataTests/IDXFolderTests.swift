import BasinData
import Foundation
import Testing

@Suite("IDX folder")
struct IDXFolderTests {
    @Test("a folder of the four standard files loads, plain or gzipped", arguments: [false, true])
    func load(gzipped: Bool) throws {
        let folder = try writeIDXFolder(trainCount: 30, testCount: 12, gzipped: gzipped)
        let dataset = try IDXFolder.load(from: folder)
        #expect(dataset.train.count == 30)
        #expect(dataset.test.count == 12)
        #expect(dataset.inputShape == ImageShape(channels: 1, height: 28, width: 28))
        #expect(dataset.classCount == 10)
        #expect(dataset.name == folder.lastPathComponent)
        #expect(dataset.train.labels[13] == 3)
        // Pixel i of the file is (7·i) mod 256 (see writeIDXFolder).
        #expect(dataset.train.image(at: 2).first == UInt8(truncatingIfNeeded: 2 * 784 * 7))
    }

    @Test("dotted names (train-images.idx3-ubyte) are recognised")
    func dottedNames() throws {
        let folder = try writeIDXFolder(trainCount: 5, testCount: 5, gzipped: false)
        for stem in IDXFolder.standardNames {
            try FileManager.default.moveItem(
                at: folder.appendingPathComponent(stem),
                to: folder.appendingPathComponent(
                    stem.replacingOccurrences(of: "-idx", with: ".idx")))
        }
        #expect(IDXFolder.recognizes(folder))
        #expect(try IDXFolder.load(from: folder).train.count == 5)
    }

    @Test("images and labels of different counts throw countMismatch naming both files")
    func countMismatch() throws {
        let folder = try writeIDXFolder(trainCount: 8, testCount: 4, gzipped: false)
        let labels = folder.appendingPathComponent("t10k-labels-idx1-ubyte")
        try write(idxLabelBytes([1, 2, 3]), to: labels)
        #expect(
            throwsError(
                .countMismatch(
                    imagesPath: folder.appendingPathComponent("t10k-images-idx3-ubyte").path,
                    imageCount: 4, labelsPath: labels.path, labelCount: 3)
            ) {
                _ = try IDXFolder.load(from: folder)
            })
    }

    @Test("test images of another size throw shapeMismatch")
    func shapeMismatch() throws {
        let folder = try writeIDXFolder(trainCount: 3, testCount: 2, gzipped: false)
        try write(
            idxImageBytes(count: 2, height: 8, width: 8, pixels: [UInt8](repeating: 0, count: 128)),
            to: folder.appendingPathComponent("t10k-images-idx3-ubyte"))
        let error = dataError { _ = try IDXFolder.load(from: folder) }
        guard case .shapeMismatch(_, let train, _, let test) = error else {
            Issue.record("expected shapeMismatch, got \(String(describing: error))")
            return
        }
        #expect(train == ImageShape(channels: 1, height: 28, width: 28))
        #expect(test == ImageShape(channels: 1, height: 8, width: 8))
    }

    @Test("a missing label file throws missingFile naming the expected name")
    func missingFile() throws {
        let folder = try writeIDXFolder(trainCount: 3, testCount: 2, gzipped: true)
        try FileManager.default.removeItem(
            at: folder.appendingPathComponent("train-labels-idx1-ubyte.gz"))
        let error = dataError { _ = try IDXFolder.load(from: folder) }
        guard case .missingFile(let path, let expected) = error else {
            Issue.record("expected missingFile, got \(String(describing: error))")
            return
        }
        #expect(path.hasSuffix("train-labels-idx1-ubyte"))
        #expect(expected.contains("train-labels-idx1-ubyte.gz"))
    }
}
