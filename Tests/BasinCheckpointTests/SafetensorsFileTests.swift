import BasinKernels
import BasinNetwork
import Foundation
import Testing

@testable import BasinCheckpoint

@Suite("Reading safetensors")
struct SafetensorsFileTests {
    let memory = "<memory>"

    /// One F32 tensor `w` of shape [2] and 8 bytes of data: a minimal valid file.
    func validHeader(offsets: String = "[0,8]", shape: String = "[2]", dtype: String = "F32")
        -> String
    {
        "{\"w\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}}"
    }

    @Test("a minimal hand-built file reads back its tensor")
    func minimalFile() throws {
        let data = littleEndianBytes([Float(1.5).bitPattern, Float(-2).bitPattern])
        let file = try SafetensorsFile(bytes: rawSafetensors(header: validHeader(), data: data))
        #expect(file.entries.count == 1)
        #expect(file.metadata.isEmpty)
        #expect(try file.tensor(named: "w") == floatTensor("w", [2], [1.5, -2]))
    }

    @Test("F16, BF16 and F64 convert to Float exactly where Float can hold the value")
    func floatConversions() throws {
        // F16 bits: 0x3800 = 0.5, 0xC000 = −2, 0x7BFF = 65504 (largest half),
        // 0x0001 = 2⁻²⁴ (smallest subnormal), 0xFC00 = −∞ (IEEE 754 binary16 layout).
        let half: [UInt16] = [0x3800, 0xC000, 0x7BFF, 0x0001, 0xFC00]
        // BF16 bits are the top half of a Float: 0x3FC0 = 1.5, 0xBE20 = −0.15625.
        let brain: [UInt16] = [0x3FC0, 0xBE20]
        // F64: 0.1 rounds to Float(0.1); 1e300 overflows to +∞.
        let double: [UInt64] = [(0.1 as Double).bitPattern, (1e300 as Double).bitPattern]
        let header = """
            {"h":{"dtype":"F16","shape":[5],"data_offsets":[0,10]},\
            "b":{"dtype":"BF16","shape":[2],"data_offsets":[10,14]},\
            "d":{"dtype":"F64","shape":[2],"data_offsets":[14,30]}}
            """
        let data = littleEndianBytes(half) + littleEndianBytes(brain) + littleEndianBytes(double)
        let file = try SafetensorsFile(bytes: rawSafetensors(header: header, data: data))
        #expect(
            try file.tensor(named: "h").values
                == .float32([0.5, -2, 65504, 0x1p-24, -.infinity]))
        #expect(try file.tensor(named: "b").values == .float32([1.5, -0.15625]))
        #expect(try file.tensor(named: "d").values == .float32([Float(0.1), .infinity]))
    }

    @Test("integer dtypes convert to Int64 with their sign")
    func integerConversions() throws {
        let header = """
            {"i":{"dtype":"I32","shape":[2],"data_offsets":[0,8]},\
            "u":{"dtype":"U8","shape":[3],"data_offsets":[8,11]},\
            "s":{"dtype":"I8","shape":[1],"data_offsets":[11,12]}}
            """
        let data = littleEndianBytes([Int32(-7), 9]) + [0, 128, 255] + [0xF9]
        let file = try SafetensorsFile(bytes: rawSafetensors(header: header, data: data))
        #expect(try file.tensor(named: "i").values == .int64([-7, 9]))
        #expect(try file.tensor(named: "u").values == .int64([0, 128, 255]))
        #expect(try file.tensor(named: "s").values == .int64([-7]))
    }

    @Test("a dtype the format knows but Basin does not convert validates, then fails by name")
    func unsupportedDType() throws {
        let file = try SafetensorsFile(
            bytes: rawSafetensors(
                header: validHeader(offsets: "[0,2]", dtype: "F8_E4M3"),
                data: [0, 0]))
        #expect(
            throws: CheckpointError.unsupportedDType(path: memory, tensor: "w", dtype: "F8_E4M3")
        ) {
            try file.tensor(named: "w")
        }
    }

    @Test("empty tensors, scalars, metadata null and padding spaces are accepted")
    func edgeCasesAccepted() throws {
        let header = """
            {"__metadata__":null,"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},\
            "s":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}\u{20}\u{20}\u{20}
            """
        let file = try SafetensorsFile(
            bytes: rawSafetensors(header: header, data: littleEndianBytes([Int64(-3)])))
        #expect(try file.tensor(named: "e") == floatTensor("e", [0, 3], []))
        #expect(try file.tensor(named: "s").values == .int64([-3]))
    }

    // MARK: Malformed files, each with its own error

    @Test("a file shorter than the length prefix", arguments: [0, 5, 7])
    func tooShort(byteCount: Int) {
        #expect(throws: CheckpointError.fileTooShort(path: memory, byteCount: byteCount)) {
            try SafetensorsFile(bytes: Data(repeating: 0, count: byteCount))
        }
    }

    @Test("a header length beyond the file")
    func headerBeyondFile() {
        let bytes = rawSafetensors(header: "{}", claimedHeaderByteCount: 1000)
        #expect(
            throws: CheckpointError.headerBeyondFile(
                path: memory, headerByteCount: 1000, availableByteCount: 2)
        ) { try SafetensorsFile(bytes: bytes) }
    }

    @Test(
        "an absurd header length is refused before anything is allocated",
        arguments: [UInt64(100_000_001), 1 << 40, UInt64.max])
    func absurdHeaderLength(claimed: UInt64) {
        #expect(
            throws: CheckpointError.headerTooLarge(
                path: memory, headerByteCount: claimed,
                limit: SafetensorsLimits.maximumHeaderByteCount)
        ) {
            try SafetensorsFile(
                bytes: rawSafetensors(header: "{}", claimedHeaderByteCount: claimed))
        }
    }

    @Test("a header that is not UTF-8")
    func notUTF8() {
        let bytes = rawSafetensors(headerBytes: [0x7B, 0xFF, 0xFE, 0x7D])
        #expect(throws: CheckpointError.headerNotUTF8(path: memory)) {
            try SafetensorsFile(bytes: bytes)
        }
    }

    @Test(
        "malformed JSON names the byte where it breaks",
        arguments: [
            ("{\"w\":", 5), ("{\"w\" 1}", 5), ("{} x", 3), ("{\"a\":[1,]}", 8),
            ("{\"a\":99999999999999999999}", 5), ("{\"a\":\"\\x\"}", 8),
        ])
    func malformedJSON(header: String, offset: Int) {
        #expect(throws: CheckpointError.self) {
            try SafetensorsFile(bytes: rawSafetensors(header: header))
        }
        do {
            _ = try SafetensorsFile(bytes: rawSafetensors(header: header))
        } catch {
            guard case .headerNotJSON(_, let reason) = error as? CheckpointError else {
                Issue.record("expected headerNotJSON, got \(error)")
                return
            }
            #expect(reason.hasSuffix("at header byte \(offset)"), "\(reason)")
        }
    }

    @Test("nesting a thousand arrays deep is an error, not a stack overflow")
    func deepNesting() {
        let header = "{\"a\":" + String(repeating: "[", count: 1000) + "}"
        #expect(
            throws: CheckpointError.headerNotJSON(
                path: memory, reason: "nesting deeper than 64 at header byte 68")
        ) {
            try SafetensorsFile(bytes: rawSafetensors(header: header))
        }
    }

    @Test("a header that is JSON but not an object")
    func notObject() {
        #expect(throws: CheckpointError.headerNotObject(path: memory)) {
            try SafetensorsFile(bytes: rawSafetensors(header: "[1, 2]"))
        }
    }

    @Test(
        "an entry without its fields, or with fields of the wrong form",
        arguments: [
            ("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "dtype"),
            ("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", "shape"),
            ("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", "data_offsets"),
            ("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", "shape"),
            ("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,9]}}", "data_offsets"),
            ("{\"w\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}", "dtype"),
            ("{\"w\":[1]}", "(entry)"),
        ])
    func malformedEntry(header: String, field: String) {
        #expect(throws: CheckpointError.self) {
            try SafetensorsFile(
                bytes: rawSafetensors(header: header, data: Array(repeating: 0, count: 8)))
        }
        do {
            _ = try SafetensorsFile(
                bytes: rawSafetensors(header: header, data: Array(repeating: 0, count: 8)))
        } catch {
            guard case .malformedEntry(_, "w", let found, _) = error as? CheckpointError else {
                Issue.record("expected malformedEntry for w, got \(error)")
                return
            }
            #expect(found == field)
        }
    }

    @Test("an unknown dtype")
    func unknownDType() {
        let bytes = rawSafetensors(
            header: validHeader(dtype: "F33"), data: Array(repeating: 0, count: 8))
        #expect(throws: CheckpointError.unknownDType(path: memory, tensor: "w", dtype: "F33")) {
            try SafetensorsFile(bytes: bytes)
        }
    }

    @Test("a negative dimension")
    func negativeDimension() {
        let bytes = rawSafetensors(
            header: validHeader(shape: "[-2,-1]"), data: Array(repeating: 0, count: 8))
        #expect(
            throws: CheckpointError.negativeDimension(path: memory, tensor: "w", shape: [-2, -1])
        ) { try SafetensorsFile(bytes: bytes) }
    }

    @Test("a shape whose byte size differs from its range")
    func shapeMismatch() {
        let bytes = rawSafetensors(
            header: validHeader(shape: "[3]"), data: Array(repeating: 0, count: 8))
        #expect(
            throws: CheckpointError.shapeMismatchesByteRange(
                path: memory, tensor: "w", shape: [3], dtype: "F32", expectedByteCount: 12,
                foundByteCount: 8)
        ) { try SafetensorsFile(bytes: bytes) }
    }

    @Test("a shape whose element count overflows does not wrap around to a small size")
    func shapeOverflow() {
        // 2³² · 2³² · 4 bytes wraps to 0 in 64-bit arithmetic; the range [0, 0] must not match.
        let header = validHeader(offsets: "[0,0]", shape: "[4294967296,4294967296]")
        #expect(
            throws: CheckpointError.shapeMismatchesByteRange(
                path: memory, tensor: "w", shape: [1 << 32, 1 << 32], dtype: "F32",
                expectedByteCount: Int.max, foundByteCount: 0)
        ) { try SafetensorsFile(bytes: rawSafetensors(header: header)) }
    }

    @Test(
        "byte ranges outside the data area or reversed",
        arguments: [("[0,16]", 0, 16), ("[8,4]", 8, 4), ("[-4,4]", -4, 4)])
    func rangeOutOfBounds(offsets: String, begin: Int, end: Int) {
        let bytes = rawSafetensors(
            header: validHeader(offsets: offsets), data: Array(repeating: 0, count: 8))
        #expect(
            throws: CheckpointError.byteRangeOutOfBounds(
                path: memory, tensor: "w", begin: begin, end: end, dataByteCount: 8)
        ) { try SafetensorsFile(bytes: bytes) }
    }

    @Test("overlapping byte ranges")
    func overlapping() {
        let header = """
            {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},\
            "b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}
            """
        let bytes = rawSafetensors(header: header, data: Array(repeating: 0, count: 12))
        #expect(
            throws: CheckpointError.overlappingByteRanges(
                path: memory, tensor: "b", otherTensor: "a", begin: 4, otherEnd: 8)
        ) { try SafetensorsFile(bytes: bytes) }
    }

    @Test("a gap between tensors, or bytes after the last one")
    func uncoveredBytes() {
        let gap = """
            {"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},\
            "b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}
            """
        #expect(throws: CheckpointError.uncoveredBytes(path: memory, begin: 4, end: 8)) {
            try SafetensorsFile(
                bytes: rawSafetensors(header: gap, data: Array(repeating: 0, count: 12)))
        }
        let tail = validHeader()
        #expect(throws: CheckpointError.uncoveredBytes(path: memory, begin: 8, end: 10)) {
            try SafetensorsFile(
                bytes: rawSafetensors(header: tail, data: Array(repeating: 0, count: 10)))
        }
    }

    @Test("a name given twice")
    func duplicateName() {
        let header = """
            {"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},\
            "w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}
            """
        #expect(throws: CheckpointError.duplicateTensor(path: memory, tensor: "w")) {
            try SafetensorsFile(
                bytes: rawSafetensors(header: header, data: Array(repeating: 0, count: 8)))
        }
    }

    @Test(
        "metadata values that are not strings",
        arguments: [("{\"lr\":0.1}", "lr"), ("[\"a\"]", "__metadata__")])
    func metadataNotStrings(metadata: String, key: String) {
        let header = "{\"__metadata__\":\(metadata)}"
        #expect(throws: CheckpointError.metadataNotStrings(path: memory, key: key)) {
            try SafetensorsFile(bytes: rawSafetensors(header: header))
        }
    }

    @Test("a truncated checkpoint names the tensor that runs past the end")
    func truncatedCheckpoint() throws {
        let tensors = [floatTensor("a", [4], [1, 2, 3, 4]), floatTensor("b", [2], [5, 6])]
        let complete = encodeSafetensors(tensors)
        let truncated = complete.prefix(complete.count - 3)
        do {
            _ = try SafetensorsFile(bytes: truncated, path: "run/cycle-001.safetensors")
            Issue.record("a truncated file was accepted")
        } catch let error as CheckpointError {
            #expect(
                error
                    == .byteRangeOutOfBounds(
                        path: "run/cycle-001.safetensors", tensor: "b", begin: 16, end: 24,
                        dataByteCount: 21))
            #expect("\(error)".contains("run/cycle-001.safetensors"))
            #expect("\(error)".contains("tensor b"))
        }
    }

    @Test("every truncation and random corruption of a valid file is an error or a valid read")
    func corruptionNeverCrashes() throws {
        let tensors = [
            floatTensor("layer.weight", [2, 3], [1, 2, 3, 4, 5, 6]),
            NamedTensor(name: "bn.num_batches_tracked", shape: [], values: .int64([9])),
        ]
        let valid = [UInt8](encodeSafetensors(tensors, metadata: ["epoch": "3"]))
        for length in 0..<valid.count {
            #expect(throws: CheckpointError.self) {
                try SafetensorsFile(bytes: Data(valid.prefix(length)))
            }
        }
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<2000 {
            var corrupt = valid
            let position = Int(generator.next() % UInt64(valid.count))
            corrupt[position] = UInt8(truncatingIfNeeded: generator.next())
            if let file = try? SafetensorsFile(bytes: Data(corrupt)) {
                // A corruption that keeps the file valid must still convert.
                for entry in file.entries { _ = try? file.tensor(entry) }
            }
        }
    }

    @Test("reading a missing file names it")
    func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/basin/cycle-001.safetensors")
        do {
            _ = try SafetensorsFile(contentsOf: url)
            Issue.record("a missing file was read")
        } catch {
            guard case .unreadableFile(let path, _) = error as? CheckpointError else {
                Issue.record("expected unreadableFile, got \(error)")
                return
            }
            #expect(path == url.path)
        }
    }
}
