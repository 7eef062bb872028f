import CZlib
import Foundation

/// gzip (RFC 1952) through the system zlib: inflating data-set files and deflating test
/// fixtures.
///
/// Inflation trusts no size written in the stream (not even the ISIZE trailer): the output
/// grows only as zlib produces bytes, and stops with an error past `decompressedByteLimit`,
/// so a damaged or hostile file cannot make Basin allocate more than that.
public enum Gzip {
    /// The most bytes any data-set file may inflate to: 1 GiB, twenty times the full
    /// Fashion-MNIST training images (47 MB) and far above any IDX or CIFAR-10 file.
    public static let decompressedByteLimit = 1 << 30

    /// Whether `bytes` begin with the gzip magic number 0x1f 0x8b.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The inflated contents of a gzip stream, members concatenated (as `gzip -d` does).
    ///
    /// - Parameters:
    ///   - compressed: the gzip file's bytes.
    ///   - path: the file's path, for error messages.
    ///   - limitByteCount: inflating past this many bytes throws `decompressedTooLarge`.
    /// - Throws: `DataError.corruptGzip` for a damaged or truncated stream,
    ///   `DataError.decompressedTooLarge` past the limit.
    public static func decompress(
        _ compressed: [UInt8], path: String, limitByteCount: Int = decompressedByteLimit
    ) throws -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 32: a 32 KiB window, and zlib detects the gzip header itself.
        let initStatus = inflateInit2_(
            &stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw DataError.corruptGzip(path: path, reason: "zlib init failed (\(initStatus))")
        }
        defer { inflateEnd(&stream) }

        // Start near the usual ratio for images and double as needed; one spare byte beyond
        // the limit tells "exactly at the limit" from "over it".
        var output = [UInt8](
            repeating: 0, count: min(limitByteCount + 1, max(1 << 16, compressed.count * 4)))
        var producedCount = 0
        try compressed.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                if producedCount == output.count {
                    guard output.count <= limitByteCount else {
                        throw DataError.decompressedTooLarge(
                            path: path, limitByteCount: limitByteCount)
                    }
                    let grownCount = min(limitByteCount + 1, output.count * 2)
                    output.append(contentsOf: repeatElement(0, count: grownCount - output.count))
                }
                let status = output.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress! + producedCount
                    stream.avail_out = uInt(buffer.count - producedCount)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    producedCount = buffer.count - Int(stream.avail_out)
                    return status
                }
                if status == Z_STREAM_END {
                    let remaining = Int(stream.avail_in)
                    let rest = input[(input.count - remaining)...]
                    if rest.count >= 2, rest.first == 0x1f, rest.dropFirst().first == 0x8b {
                        inflateReset(&stream)  // another gzip member follows
                        continue
                    }
                    guard rest.allSatisfy({ $0 == 0 }) else {
                        throw DataError.corruptGzip(
                            path: path, reason: "\(remaining) stray bytes after the gzip stream")
                    }
                    break
                }
                if status == Z_BUF_ERROR, stream.avail_in == 0 {
                    throw DataError.corruptGzip(
                        path: path, reason: "truncated (stream ends before its trailer)")
                }
                guard status == Z_OK || status == Z_BUF_ERROR else {
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw DataError.corruptGzip(path: path, reason: message)
                }
            }
        }
        guard producedCount <= limitByteCount else {
            throw DataError.decompressedTooLarge(path: path, limitByteCount: limitByteCount)
        }
        output.removeLast(output.count - producedCount)
        return output
    }

    /// `bytes` as one gzip member (no file name, modification time 0), at zlib `level`
    /// 0 (store) … 9 (smallest).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        precondition((0...9).contains(level), "gzip level must be 0...9, got \(level)")
        var stream = z_stream()
        // windowBits 15 + 16: a 32 KiB window with a gzip header and trailer.
        let initStatus = deflateInit2_(
            &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK, "zlib deflateInit2 failed with status \(initStatus)")
        defer { deflateEnd(&stream) }

        let bound = Int(deflateBound(&stream, uLong(bytes.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { buffer in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(buffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        precondition(status == Z_STREAM_END, "deflate into its own bound returned \(status)")
        output.removeLast(Int(stream.avail_out))
        return output
    }
}

/// The bytes of the file at `url`, inflated when they begin with the gzip magic number
/// (whatever the file's name).
///
/// - Throws: `DataError.missingFile` (with `expected` as the hint), `unreadableFile`, and
///   the errors of `Gzip.decompress`.
func readDataFile(_ url: URL, expected: String) throws -> [UInt8] {
    guard FileManager.default.fileExists(atPath: url.path) else {
        throw DataError.missingFile(path: url.path, expected: expected)
    }
    let bytes: [UInt8]
    do {
        bytes = [UInt8](try Data(contentsOf: url))
    } catch {
        throw DataError.unreadableFile(path: url.path, reason: error.localizedDescription)
    }
    return Gzip.isCompressed(bytes) ? try Gzip.decompress(bytes, path: url.path) : bytes
}
