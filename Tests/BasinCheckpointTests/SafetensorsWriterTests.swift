import BasinNetwork
import Foundation
import Testing

@testable import BasinCheckpoint

@Suite("Writing safetensors")
struct SafetensorsWriterTests {
    /// The tensors of `Fixtures/basin-written.safetensors`; the same values are written out
    /// in `scripts/check-safetensors-interop.py` (`basin_expected_tensors`), which checks the
    /// file with the reference library.
    static let interopTensors = [
        floatTensor("fc.weight", [2, 3], [-0.75, -0.5, -0.25, 0, 0.25, 0.5]),
        floatTensor("fc.bias", [2], [0.5, -0.5]),
        floatTensor("bn.weight", [2], [1.5, 0.75]),
        floatTensor("bn.bias", [2], [-0.25, 0.125]),
        floatTensor("bn.running_mean", [2], [0.1, -0.2]),
        floatTensor("bn.running_var", [2], [0.9, 1.1]),
        NamedTensor(name: "bn.num_batches_tracked", shape: [], values: .int64([42])),
    ]

    static let interopMetadata = CheckpointMetadata(
        kind: .final, architecture: "interop-mlp", inputShape: [3], classCount: 2,
        iteration: 42, epoch: 1, learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4, seed: 7,
        dataset: "none", testAccuracy: 0.5)

    @Test("F32 and I64 tensors and metadata round-trip bit for bit")
    func roundTrip() throws {
        let tensors = [
            floatTensor(
                "special", [2, 3],
                [0, -0.0, .infinity, -.infinity, 0x1p-149, .greatestFiniteMagnitude]),
            NamedTensor(name: "count", shape: [], values: .int64([Int64.min])),
            NamedTensor(name: "ids", shape: [3], values: .int64([-1, 0, .max])),
            floatTensor("empty", [0, 4], []),
        ]
        let metadata = ["note": "quote \" backslash \\ newline \n tab \t é ✓", "": "empty key"]
        let file = try SafetensorsFile(bytes: encodeSafetensors(tensors, metadata: metadata))
        #expect(file.metadata == metadata)
        for tensor in tensors {
            let read = try file.tensor(named: tensor.name)
            #expect(read.shape == tensor.shape)
            switch (read.values, tensor.values) {
            case (.float32(let got), .float32(let want)):
                #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "\(tensor.name)")
            case (.int64(let got), .int64(let want)):
                #expect(got == want, "\(tensor.name)")
            default:
                Issue.record("\(tensor.name) changed kind")
            }
        }
    }

    @Test("the layout puts I64 before F32 and sorts names by bytes, whatever the input order")
    func deterministicOrder() throws {
        let tensors = Self.interopTensors
        let encoded = encodeSafetensors(tensors, metadata: ["b": "2", "a": "1"])
        #expect(encodeSafetensors(tensors.reversed(), metadata: ["a": "1", "b": "2"]) == encoded)
        let file = try SafetensorsFile(bytes: encoded)
        #expect(
            file.entries.map(\.name) == [
                "bn.num_batches_tracked", "bn.bias", "bn.running_mean", "bn.running_var",
                "bn.weight", "fc.bias", "fc.weight",
            ])
        #expect(file.entries.first?.byteRange == 0..<8)
    }

    @Test("the header is padded with spaces to a multiple of 8 bytes")
    func headerPadding() throws {
        for nameLength in 1...9 {
            let name = String(repeating: "x", count: nameLength)
            let encoded = encodeSafetensors([floatTensor(name, [1], [1])])
            let file = try SafetensorsFile(bytes: encoded)
            #expect(file.headerByteCount % 8 == 0)
            let header = [UInt8](encoded[8..<8 + file.headerByteCount])
            let json = header.prefix { $0 != 0x20 }
            #expect(header.dropFirst(json.count).allSatisfy { $0 == 0x20 })
        }
    }

    @Test("the bytes match the reference library's for a small file")
    func smallFileBytes() {
        // safetensors.numpy.save({"b": float32 [1, 2], "a": int64 3}, metadata={"k": "v"})
        // with safetensors 0.8.0; scripts/check-safetensors-interop.py holds the same bytes
        // (BASIN_SMALL_FILE) and checks them against the library.
        let encoded = encodeSafetensors(
            [
                floatTensor("b", [2], [1, 2]),
                NamedTensor(name: "a", shape: [], values: .int64([3])),
            ], metadata: ["k": "v"])
        let header =
            "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"I64\",\"shape\":[],"
            + "\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],"
            + "\"data_offsets\":[8,16]}}    "
        let expected =
            littleEndianBytes([UInt64(136)]) + Array(header.utf8) + littleEndianBytes([Int64(3)])
            + littleEndianBytes([Float(1).bitPattern, Float(2).bitPattern])
        #expect([UInt8](encoded) == expected)
    }

    @Test("the encoder reproduces the committed fixture that the Python check reads")
    func committedFixture() throws {
        let encoded = encodeSafetensors(
            Self.interopTensors, metadata: Self.interopMetadata.encoded())
        if ProcessInfo.processInfo.environment["BASIN_RECORD_SNAPSHOTS"] == "1" {
            try encoded.write(to: fixtureSourceURL("basin-written.safetensors"))
            return
        }
        let committed = try Data(contentsOf: fixtureURL("basin-written.safetensors"))
        #expect(encoded == committed, "the byte layout changed; rerun the interop script")
    }

    @Test("writing goes to the final name through a temporary file and creates the folder")
    func atomicWrite() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("run/cycle-001.safetensors")
        try writeSafetensors(Self.interopTensors, metadata: ["a": "b"], to: url)
        try writeSafetensors(Self.interopTensors, metadata: ["a": "c"], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata == ["a": "c"])
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: url.deletingLastPathComponent().path)
        #expect(leftovers == ["cycle-001.safetensors"])
    }

    @Test("a megabyte of floats round-trips")
    func largeFile() throws {
        let values = (0..<262_144).map { Float($0) * 0.5 }
        let tensor = floatTensor("big", [512, 512], values)
        let file = try SafetensorsFile(bytes: encodeSafetensors([tensor]))
        #expect(try file.tensor(named: "big") == tensor)
    }

    @Test("JSON strings escape quotes, backslashes and control characters as serde_json does")
    func escaping() {
        // Escapes observed in safetensors 0.8.0 output for the name "q\"\\\n\u{1}é/".
        #expect(jsonQuoted("q\"\\\n\u{1}é/") == "\"q\\\"\\\\\\n\\u0001é/\"")
        #expect(jsonQuoted("\u{8}\u{c}\r\t\u{1f}") == "\"\\b\\f\\r\\t\\u001f\"")
    }
}
