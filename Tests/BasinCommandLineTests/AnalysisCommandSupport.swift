import BasinCheckpoint
import BasinKernels
import BasinNetwork
import Foundation

/// A tiny data set and checkpoints of small models for the analysis commands' tests,
/// written to a fresh temporary folder that the caller removes.
///
/// The data set is a folder of IDX files: 64 training and 32 test images of 1×8×8 seeded
/// random bytes, labels cycling through 10 classes, so a command finishes in well under
/// a second.
struct AnalysisFixture {
    let folder: URL
    let dataFolder: URL
    static let imageSide = 8

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "basin-analysis-\(UUID().uuidString)")
        dataFolder = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: dataFolder, withIntermediateDirectories: true)
        var generator = SeededGenerator(seed: 99)
        for (prefix, count) in [("train", 64), ("t10k", 32)] {
            try Self.idx(
                magic: 0x0803, dimensions: [count, Self.imageSide, Self.imageSide],
                bytes: (0..<(count * Self.imageSide * Self.imageSide)).map { _ in
                    UInt8(generator.nextIndex(below: 256))
                }
            ).write(to: dataFolder.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
            try Self.idx(
                magic: 0x0801, dimensions: [count], bytes: (0..<count).map { UInt8($0 % 10) }
            ).write(to: dataFolder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
        }
    }

    /// An IDX file: big-endian magic and dimensions, then the bytes.
    private static func idx(magic: UInt32, dimensions: [Int], bytes: [UInt8]) -> Data {
        var data = Data()
        for word in [magic] + dimensions.map(UInt32.init) {
            withUnsafeBytes(of: word.bigEndian) { data.append(contentsOf: $0) }
        }
        data.append(contentsOf: bytes)
        return data
    }

    /// Options that select the fixture's data and small subsets.
    var smallData: [String] {
        [
            "--data", dataFolder.path, "--train-images", "48", "--bn-images", "32",
            "--batch-size", "16",
        ]
    }

    /// An mlp for the fixture's data (1×8×8, `classCount` classes) with seeded random
    /// weights, saved as `name.safetensors`.
    @discardableResult
    func mlp(
        _ name: String, seed: UInt64, classCount: Int = 10,
        metadata: CheckpointMetadata = CheckpointMetadata()
    ) throws -> URL {
        var generator = SeededGenerator(seed: seed)
        let model = Model(
            architecture: .mlp,
            inputShape: InputShape(channels: 1, height: Self.imageSide, width: Self.imageSide),
            classCount: classCount, generator: &generator)
        let url = folder.appendingPathComponent("\(name).safetensors")
        try Checkpoint(model: model, metadata: metadata).write(to: url)
        return url
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
