import BasinData
import Foundation
import Testing

@Suite("gzip")
struct GzipTests {
    let payload = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 31 + $0 / 977) }

    @Test("compressing then inflating gives the bytes back")
    func roundTrip() throws {
        let compressed = Gzip.compress(payload)
        #expect(Gzip.isCompressed(compressed))
        #expect(compressed.count < payload.count)
        #expect(try Gzip.decompress(compressed, path: "x.gz") == payload)
    }

    @Test("an empty payload round-trips")
    func empty() throws {
        #expect(try Gzip.decompress(Gzip.compress([]), path: "x.gz") == [])
    }

    @Test("concatenated gzip members inflate to the concatenation, as gzip -d does")
    func members() throws {
        let first = Array(payload[..<1000])
        let second = Array(payload[1000..<5000])
        let joined = Gzip.compress(first) + Gzip.compress(second, level: 1)
        #expect(try Gzip.decompress(joined, path: "x.gz") == first + second)
    }

    @Test("a truncated stream throws corruptGzip naming the file")
    func truncated() {
        let compressed = Gzip.compress(payload)
        let error = dataError {
            _ = try Gzip.decompress(Array(compressed.dropLast(100)), path: "/tmp/cut.gz")
        }
        guard case .corruptGzip(let path, _) = error else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(path == "/tmp/cut.gz")
    }

    @Test("damaged compressed bytes throw corruptGzip")
    func damaged() {
        var compressed = Gzip.compress(payload)
        for index in 20..<60 { compressed[index] ^= 0x5A }
        let error = dataError { _ = try Gzip.decompress(compressed, path: "bad.gz") }
        guard case .corruptGzip = error else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
    }

    @Test("inflating past the limit throws decompressedTooLarge; exactly at it succeeds")
    func limit() throws {
        let compressed = Gzip.compress(payload)
        #expect(
            throwsError(.decompressedTooLarge(path: "big.gz", limitByteCount: 99_999)) {
                _ = try Gzip.decompress(compressed, path: "big.gz", limitByteCount: 99_999)
            })
        let exact = try Gzip.decompress(compressed, path: "big.gz", limitByteCount: 100_000)
        #expect(exact.count == 100_000)
    }

    @Test("plain files are read as they are, gzipped ones inflated, whatever their names")
    func dataFiles() throws {
        let folder = try makeTemporaryFolder()
        let header = idxLabelBytes([1, 2, 3])
        try write(header, to: folder.appendingPathComponent("plain.gz"))
        try write(Gzip.compress(header), to: folder.appendingPathComponent("packed"))
        let plain = try IDXReader.readLabels(
            at: folder.appendingPathComponent("plain.gz"), classCount: 10)
        let packed = try IDXReader.readLabels(
            at: folder.appendingPathComponent("packed"), classCount: 10)
        #expect(plain == [1, 2, 3])
        #expect(packed == [1, 2, 3])
    }
}
