import BasinData
import Foundation
import Testing

@Suite("IDX reader")
struct IDXReaderTests {
    let pixels = (0..<(3 * 4 * 5)).map { UInt8($0 * 4) }

    @Test("images and labels read back, plain and gzipped", arguments: [false, true])
    func roundTrip(gzipped: Bool) throws {
        let folder = try makeTemporaryFolder()
        var imageBytes = idxImageBytes(count: 3, height: 4, width: 5, pixels: pixels)
        var labelBytes = idxLabelBytes([9, 0, 4])
        if gzipped {
            imageBytes = Gzip.compress(imageBytes)
            labelBytes = Gzip.compress(labelBytes)
        }
        try write(imageBytes, to: folder.appendingPathComponent("images"))
        try write(labelBytes, to: folder.appendingPathComponent("labels"))

        let images = try IDXReader.readImages(at: folder.appendingPathComponent("images"))
        #expect(images.shape == ImageShape(channels: 1, height: 4, width: 5))
        #expect(images.count == 3)
        #expect(images.pixels == pixels)
        let labels = try IDXReader.readLabels(
            at: folder.appendingPathComponent("labels"), classCount: 10)
        #expect(labels == [9, 0, 4])
    }

    @Test("a label file given as images throws wrongMagicNumber with both numbers")
    func wrongMagic() throws {
        let url = try makeTemporaryFolder().appendingPathComponent("labels")
        try write(idxLabelBytes([1, 2]), to: url)
        #expect(
            throwsError(.wrongMagicNumber(path: url.path, expected: 0x803, found: 0x801)) {
                _ = try IDXReader.readImages(at: url)
            })
        let message = String(
            describing: DataError.wrongMagicNumber(
                path: url.path, expected: 0x803, found: 0x801))
        #expect(message.contains("0x00000803") && message.contains("0x00000801"))
        #expect(message.contains(url.path))
    }

    @Test("a truncated image file throws sizeMismatch with the expected and found sizes")
    func truncated() throws {
        let url = try makeTemporaryFolder().appendingPathComponent("images")
        let bytes = idxImageBytes(count: 3, height: 4, width: 5, pixels: pixels)
        try write(Array(bytes.dropLast(7)), to: url)
        let error = dataError { _ = try IDXReader.readImages(at: url) }
        guard case .sizeMismatch(let path, let expected, let found, _) = error else {
            Issue.record("expected sizeMismatch, got \(String(describing: error))")
            return
        }
        #expect(path == url.path)
        #expect(expected == 16 + 60)
        #expect(found == 16 + 60 - 7)
    }

    @Test("a header claiming billions of pixels is rejected against the file size")
    func hugeClaim() throws {
        let url = try makeTemporaryFolder().appendingPathComponent("images")
        // 4,000,000,000 images of 28×28 claimed by a file of 16 header bytes and 10 pixels.
        let bytes = idxImageBytes(
            count: 4_000_000_000, height: 28, width: 28, pixels: [UInt8](repeating: 1, count: 10))
        try write(bytes, to: url)
        let error = dataError { _ = try IDXReader.readImages(at: url) }
        guard case .sizeMismatch(_, let expected, let found, _) = error else {
            Issue.record("expected sizeMismatch, got \(String(describing: error))")
            return
        }
        #expect(expected == 16 + 4_000_000_000 * 784)
        #expect(found == 26)
    }

    @Test("zero images or sides beyond 4096 pixels throw absurdDimensions")
    func absurd() throws {
        let folder = try makeTemporaryFolder()
        let cases: [(Int, Int, Int)] = [(0, 28, 28), (1, 0, 28), (1, 5000, 1)]
        for (count, height, width) in cases {
            let url = folder.appendingPathComponent("images-\(count)-\(height)-\(width)")
            try write(
                idxImageBytes(count: count, height: height, width: width, pixels: []), to: url)
            let error = dataError { _ = try IDXReader.readImages(at: url) }
            guard case .absurdDimensions(_, let dimensions, _) = error else {
                Issue.record("expected absurdDimensions, got \(String(describing: error))")
                continue
            }
            #expect(dimensions == [count, height, width])
        }
    }

    @Test("a label beyond the classes throws labelOutOfRange with its position")
    func labelOutOfRange() throws {
        let url = try makeTemporaryFolder().appendingPathComponent("labels")
        try write(idxLabelBytes([3, 9, 10, 2]), to: url)
        #expect(
            throwsError(.labelOutOfRange(path: url.path, index: 2, label: 10, classCount: 10)) {
                _ = try IDXReader.readLabels(at: url, classCount: 10)
            })
    }

    @Test("a file shorter than its magic number throws sizeMismatch, not a crash")
    func tiny() throws {
        let url = try makeTemporaryFolder().appendingPathComponent("labels")
        try write([0, 0], to: url)
        let error = dataError { _ = try IDXReader.readLabels(at: url, classCount: 10) }
        guard case .sizeMismatch = error else {
            Issue.record("expected sizeMismatch, got \(String(describing: error))")
            return
        }
    }

    @Test("a missing file throws missingFile")
    func missing() {
        let url = URL(fileURLWithPath: "/nonexistent/basin/images")
        let error = dataError { _ = try IDXReader.readImages(at: url) }
        guard case .missingFile(let path, _) = error else {
            Issue.record("expected missingFile, got \(String(describing: error))")
            return
        }
        #expect(path == url.path)
    }
}
