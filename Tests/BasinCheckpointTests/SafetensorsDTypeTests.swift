import Testing

@testable import BasinCheckpoint

@Suite("Safetensors dtypes")
struct SafetensorsDTypeTests {
    @Test("every binary16 value converts exactly, as a Double-precision reference computes it")
    func allHalfValues() {
        // Reference: (−1)^s · 2^(e−15) · (1 + m/1024) for normal values, (−1)^s · 2^−14 · m/1024
        // for subnormal ones (IEEE 754 binary16), computed in Double.
        for bits in 0...UInt16.max {
            let sign: Double = bits & 0x8000 == 0 ? 1 : -1
            let exponent = Int(bits >> 10) & 0x1F
            let mantissa = Double(bits & 0x3FF)
            let converted = floatFromHalfBits(bits)
            switch exponent {
            case 0x1F where mantissa == 0:
                #expect(converted == Float(sign * .infinity))
            case 0x1F:
                #expect(converted.isNaN)
            case 0:
                #expect(Double(converted) == sign * mantissa / 1024 * 0x1p-14, "bits \(bits)")
            default:
                let value =
                    sign * (1 + mantissa / 1024)
                    * Double(sign: .plus, exponent: exponent - 15, significand: 1)
                #expect(Double(converted) == value, "bits \(bits)")
            }
        }
    }

    @Test("element sizes follow the format's definition")
    func sizes() {
        #expect(SafetensorsDType.float32.byteCount == 4)
        #expect(SafetensorsDType.bfloat16.byteCount == 2)
        #expect(SafetensorsDType.int64.byteCount == 8)
        #expect(SafetensorsDType.bool.byteCount == 1)
        #expect(SafetensorsDType(rawValue: "F8_E4M3")?.convertedKind == nil)
        #expect(SafetensorsDType(rawValue: "I32")?.convertedKind == .integer)
    }
}
