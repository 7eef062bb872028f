import BasinNetwork
import Foundation

/// Raw safetensors bytes from a header text and a data area, for files the encoder would
/// never write. `claimedHeaderByteCount` overrides the length prefix (default: the header's
/// UTF-8 length).
func rawSafetensors(
    header: String, data: [UInt8] = [], claimedHeaderByteCount: UInt64? = nil
) -> Data {
    rawSafetensors(headerBytes: Array(header.utf8), data: data, claimed: claimedHeaderByteCount)
}

/// `rawSafetensors` with the header given as bytes (for invalid UTF-8).
func rawSafetensors(headerBytes: [UInt8], data: [UInt8] = [], claimed: UInt64? = nil) -> Data {
    var bytes: [UInt8] = []
    withUnsafeBytes(of: (claimed ?? UInt64(headerBytes.count)).littleEndian) {
        bytes.append(contentsOf: $0)
    }
    return Data(bytes + headerBytes + data)
}

/// The little-endian bytes of fixed-width values (F64 bit patterns, F16/BF16 bits, I32…).
func littleEndianBytes<Value: FixedWidthInteger>(_ values: [Value]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}

/// The committed fixture `name` from the test bundle.
func fixtureURL(_ name: String) -> URL {
    Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!
}

/// The `Fixtures` folder in the source tree, where a recording run writes.
func fixturesSourceFolder(filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
}

/// The fixture's place in the source tree.
func fixtureSourceURL(_ name: String) -> URL {
    fixturesSourceFolder().appendingPathComponent(name)
}

/// A fresh empty folder under the system's temporary folder.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("basin-checkpoint-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A float tensor from values given as literals (stored, never computed).
func floatTensor(_ name: String, _ shape: [Int], _ values: [Float]) -> NamedTensor {
    NamedTensor(name: name, shape: shape, values: .float32(values))
}
