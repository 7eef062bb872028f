import BasinNetwork
import Foundation

/// Encodes tensors and a metadata map as a safetensors file.
///
/// Layout: `[u64 little-endian N][N bytes of JSON header][data area]`, with `F32` for float
/// tensors and `I64` for integer ones, little-endian, packed without gaps.
///
/// The output is a function of the input set alone, whatever order the tensors come in:
/// tensors are laid out as the reference library lays them out, 8-byte elements (`I64`)
/// before 4-byte ones (`F32`), each group in byte order of the UTF-8 names; the header lists
/// them in that order after `__metadata__` (omitted when empty), whose keys are sorted the same
/// way; the JSON is compact, escaped as `serde_json` escapes it, and padded with spaces to a
/// multiple of 8 bytes so the data area starts aligned. For these inputs the bytes equal what
/// `safetensors.numpy.save` writes given the metadata as a dict in sorted key order
/// (`scripts/check-safetensors-interop.py` checks this).
///
/// - Precondition: names are distinct and none is `__metadata__`.
public func encodeSafetensors(_ tensors: [NamedTensor], metadata: [String: String] = [:])
    -> Data
{
    let ordered = tensors.sorted(by: storageOrder)
    for (earlier, later) in zip(ordered, ordered.dropFirst()) {
        precondition(earlier.name != later.name, "tensor \(later.name) given twice")
    }
    precondition(
        !tensors.contains { $0.name == "__metadata__" }, "a tensor may not be named __metadata__")

    // The header, with each tensor's range in the data area.
    var header = "{"
    var members: [String] = []
    if !metadata.isEmpty {
        let pairs = metadata.sorted { utf8Precedes($0.key, $1.key) }.map {
            "\(jsonQuoted($0.key)):\(jsonQuoted($0.value))"
        }
        members.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
    }
    var dataByteCount = 0
    for tensor in ordered {
        let dtype = dtype(of: tensor.values)
        let end = dataByteCount + tensor.elementCount * dtype.byteCount
        let shape = tensor.shape.map(String.init).joined(separator: ",")
        members.append(
            "\(jsonQuoted(tensor.name)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(dataByteCount),\(end)]}")
        dataByteCount = end
    }
    header += members.joined(separator: ",") + "}"
    var headerBytes = Array(header.utf8)
    headerBytes.append(contentsOf: repeatElement(0x20, count: (8 - headerBytes.count % 8) % 8))

    // The frame: length, header, then the tensors' bytes in layout order, each copied once.
    var data = Data(count: 8 + headerBytes.count + dataByteCount)
    data.withUnsafeMutableBytes { frame in
        frame.storeBytes(of: UInt64(headerBytes.count).littleEndian, as: UInt64.self)
        frame.baseAddress!.advanced(by: 8).copyMemory(
            from: headerBytes, byteCount: headerBytes.count)
        var offset = 8 + headerBytes.count
        for tensor in ordered {
            offset += storeLittleEndian(tensor.values, into: frame, at: offset)
        }
    }
    return data
}

/// Encodes with `encodeSafetensors` and writes the result to `url` atomically (a temporary
/// file renamed into place), creating the folder if needed.
/// - Throws: `CheckpointError.unwritableFile`.
public func writeSafetensors(
    _ tensors: [NamedTensor], metadata: [String: String] = [:], to url: URL
) throws {
    let data = encodeSafetensors(tensors, metadata: metadata)
    do {
        try writeAtomically(data, to: url)
    } catch let error as FileWriteError {
        throw CheckpointError.unwritableFile(path: url.path, reason: error.reason)
    }
}

/// The dtype Basin writes for a kind of values.
func dtype(of values: TensorValues) -> SafetensorsDType {
    switch values {
    case .float32: .float32
    case .int64: .int64
    }
}

/// Wider elements first, then names in UTF-8 byte order (the reference library's order).
private func storageOrder(_ left: NamedTensor, _ right: NamedTensor) -> Bool {
    let leftWidth = dtype(of: left.values).byteCount
    let rightWidth = dtype(of: right.values).byteCount
    if leftWidth != rightWidth { return leftWidth > rightWidth }
    return utf8Precedes(left.name, right.name)
}

/// Byte order of the UTF-8 encodings, which is the order of Rust's `str` comparison.
func utf8Precedes(_ left: String, _ right: String) -> Bool {
    left.utf8.lexicographicallyPrecedes(right.utf8)
}

/// `text` as a JSON string literal: quotes, backslashes and control characters escaped
/// (`\n`-style where JSON has a short form, `\u00XX` otherwise); everything else as UTF-8.
func jsonQuoted(_ text: String) -> String {
    var quoted = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": quoted += "\\\""
        case "\\": quoted += "\\\\"
        case "\n": quoted += "\\n"
        case "\r": quoted += "\\r"
        case "\t": quoted += "\\t"
        case "\u{08}": quoted += "\\b"
        case "\u{0C}": quoted += "\\f"
        case "\u{00}"..."\u{1F}":
            let hex = String(scalar.value, radix: 16)
            quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: quoted.unicodeScalars.append(scalar)
        }
    }
    return quoted + "\""
}

/// Stores the values' little-endian bytes at `offset` and returns their byte count: one
/// memory copy on a little-endian machine.
private func storeLittleEndian(
    _ values: TensorValues, into frame: UnsafeMutableRawBufferPointer, at offset: Int
) -> Int {
    switch values {
    case .float32(let floats):
        #if _endian(little)
            floats.withUnsafeBytes { copy($0, into: frame, at: offset) }
        #else
            for (index, value) in floats.enumerated() {
                frame.storeBytes(
                    of: value.bitPattern.littleEndian, toByteOffset: offset + 4 * index,
                    as: UInt32.self)
            }
        #endif
        return floats.count * 4
    case .int64(let integers):
        #if _endian(little)
            integers.withUnsafeBytes { copy($0, into: frame, at: offset) }
        #else
            for (index, value) in integers.enumerated() {
                frame.storeBytes(
                    of: value.littleEndian, toByteOffset: offset + 8 * index, as: Int64.self)
            }
        #endif
        return integers.count * 8
    }
}

private func copy(
    _ source: UnsafeRawBufferPointer, into frame: UnsafeMutableRawBufferPointer, at offset: Int
) {
    guard let base = source.baseAddress, !source.isEmpty else { return }
    (frame.baseAddress! + offset).copyMemory(from: base, byteCount: source.count)
}
