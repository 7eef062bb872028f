import BasinNetwork

/// An element type of the safetensors format, by its name in the header.
///
/// Basin reads the floating types into `Float` (F64 is rounded to nearest; values beyond
/// `Float`'s range become ±infinity) and the integer types into `Int64`. The 8-bit float
/// types, complex numbers and `U64` are known, so a file holding them validates and can be
/// inspected by name and shape, but their values are not converted.
public enum SafetensorsDType: String, CaseIterable, Sendable, Codable {
    case bool = "BOOL"
    case uint8 = "U8"
    case int8 = "I8"
    case float8E5M2 = "F8_E5M2"
    case float8E4M3 = "F8_E4M3"
    case int16 = "I16"
    case uint16 = "U16"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int32 = "I32"
    case uint32 = "U32"
    case float32 = "F32"
    case complex64 = "C64"
    case float64 = "F64"
    case int64 = "I64"
    case uint64 = "U64"

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .bool, .uint8, .int8, .float8E5M2, .float8E4M3: 1
        case .int16, .uint16, .float16, .bfloat16: 2
        case .int32, .uint32, .float32: 4
        case .complex64, .float64, .int64, .uint64: 8
        }
    }

    /// Whether elements are floating-point numbers (real or complex) rather than integers or
    /// booleans.
    public var isFloatingPoint: Bool {
        switch self {
        case .float8E5M2, .float8E4M3, .float16, .bfloat16, .float32, .complex64, .float64: true
        case .bool, .uint8, .int8, .int16, .uint16, .int32, .uint32, .int64, .uint64: false
        }
    }

    /// What Basin turns the values into, or nil when it cannot convert them.
    public var convertedKind: TensorKind? {
        switch self {
        case .float16, .bfloat16, .float32, .float64: .float
        case .bool, .uint8, .int8, .int16, .uint16, .int32, .uint32, .int64: .integer
        case .float8E5M2, .float8E4M3, .complex64, .uint64: nil
        }
    }
}

/// Whether a tensor holds floats (weights, statistics) or integers (batch counters).
public enum TensorKind: String, Sendable, Codable {
    case float
    case integer

    /// The kind of `values`.
    public init(_ values: TensorValues) {
        switch values {
        case .float32: self = .float
        case .int64: self = .integer
        }
    }
}

extension SafetensorsDType {
    /// Converts `count` little-endian elements at the start of `bytes` into Basin's values,
    /// or nil when this dtype is not converted (see `convertedKind`).
    /// - Precondition: `bytes.count == count * byteCount` (checked by the reader first).
    func decode(_ bytes: UnsafeRawBufferPointer, count: Int) -> TensorValues? {
        precondition(
            bytes.count == count * byteCount,
            "\(rawValue): \(bytes.count) bytes for \(count) elements of \(byteCount) bytes")
        switch self {
        case .float32: return .float32(copyLittleEndian(bytes, count: count, as: Float.self))
        case .int64: return .int64(copyLittleEndian(bytes, count: count, as: Int64.self))
        case .float64:
            return .float32(map(bytes, count: count, UInt64.self) { Float(Double(bitPattern: $0)) })
        case .float16: return .float32(map(bytes, count: count, UInt16.self, floatFromHalfBits))
        case .bfloat16:
            return .float32(
                map(bytes, count: count, UInt16.self) {
                    Float(bitPattern: UInt32($0) << 16)
                })
        case .bool, .uint8: return .int64(map(bytes, count: count, UInt8.self) { Int64($0) })
        case .int8:
            return .int64(map(bytes, count: count, UInt8.self) { Int64(Int8(bitPattern: $0)) })
        case .int16:
            return .int64(map(bytes, count: count, UInt16.self) { Int64(Int16(bitPattern: $0)) })
        case .uint16: return .int64(map(bytes, count: count, UInt16.self) { Int64($0) })
        case .int32:
            return .int64(map(bytes, count: count, UInt32.self) { Int64(Int32(bitPattern: $0)) })
        case .uint32: return .int64(map(bytes, count: count, UInt32.self) { Int64($0) })
        case .float8E5M2, .float8E4M3, .complex64, .uint64: return nil
        }
    }
}

/// An IEEE 754 binary16 value, given by its bits, as a `Float` (exact: every half is a
/// float). Exponent bias 15 becomes 127; subnormal halves are `mantissa · 2⁻²⁴`.
func floatFromHalfBits(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 == 0 ? 1 : -1
    let exponent = UInt32(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x3FF)
    switch exponent {
    case 0:
        return sign * Float(mantissa) * 0x1p-24
    case 0x1F:
        let signBit = UInt32(bits & 0x8000) << 16
        return Float(bitPattern: signBit | 0x7F80_0000 | mantissa << 13)
    default:
        let signBit = UInt32(bits & 0x8000) << 16
        return Float(bitPattern: signBit | (exponent + 112) << 23 | mantissa << 13)
    }
}

/// Copies `count` little-endian values of a 4- or 8-byte type out of `bytes`: one memory
/// copy on a little-endian machine, a byte swap per element elsewhere. The source need not
/// be aligned.
func copyLittleEndian<Element: FixedWidthInteger>(
    _ bytes: UnsafeRawBufferPointer, count: Int, as type: Element.Type
) -> [Element] {
    [Element](unsafeUninitializedCapacity: count) { buffer, initializedCount in
        if count > 0 {
            UnsafeMutableRawBufferPointer(buffer).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: bytes[0..<count * Element.bitWidth / 8]))
        }
        #if _endian(big)
            for index in 0..<count { buffer[index] = Element(littleEndian: buffer[index]) }
        #endif
        initializedCount = count
    }
}

/// `copyLittleEndian` for `Float`, through its bit pattern.
func copyLittleEndian(_ bytes: UnsafeRawBufferPointer, count: Int, as type: Float.Type) -> [Float] {
    #if _endian(little)
        return [Float](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            if count > 0 {
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: bytes[0..<count * 4]))
            }
            initializedCount = count
        }
    #else
        return copyLittleEndian(bytes, count: count, as: UInt32.self).map(Float.init(bitPattern:))
    #endif
}

/// Reads `count` little-endian `Raw` values from `bytes` (unaligned) and transforms each.
private func map<Raw: FixedWidthInteger, Result>(
    _ bytes: UnsafeRawBufferPointer, count: Int, _ raw: Raw.Type, _ transform: (Raw) -> Result
) -> [Result] {
    let stride = Raw.bitWidth / 8
    return [Result](unsafeUninitializedCapacity: count) { buffer, initializedCount in
        for index in 0..<count {
            let value = Raw(
                littleEndian: bytes.loadUnaligned(fromByteOffset: index * stride, as: Raw.self))
            (buffer.baseAddress! + index).initialize(to: transform(value))
        }
        initializedCount = count
    }
}
