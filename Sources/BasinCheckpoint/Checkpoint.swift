import BasinNetwork
import Foundation

/// A model's tensors with the metadata that describes them: what one checkpoint file holds.
///
/// The file is a plain safetensors file (`F32` weights, `I64` batch counters) whose
/// `__metadata__` holds `metadata.encoded()`, so `safetensors.torch.load_file` reads it into a
/// PyTorch `state_dict` directly. Reading accepts any safetensors file of convertible dtypes,
/// including one saved from PyTorch without metadata.
public struct Checkpoint: Sendable {
    /// The tensors, by `state_dict` name; order is not significant.
    public var tensors: [NamedTensor]
    public var metadata: CheckpointMetadata
    /// The file the checkpoint was read from (`<memory>` for one made in memory), for errors.
    public private(set) var path = "<memory>"

    public init(tensors: [NamedTensor], metadata: CheckpointMetadata) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads, validates and converts the checkpoint at `url` (floats of any width become
    /// `Float`, integers `Int64`).
    /// - Throws: `CheckpointError` naming the file and the tensor or metadata key at fault.
    public init(contentsOf url: URL) throws {
        let file = try SafetensorsFile(contentsOf: url)
        try self.init(file)
    }

    /// Converts an already validated file.
    public init(_ file: SafetensorsFile) throws {
        self.init(
            tensors: try file.tensors(),
            metadata: try CheckpointMetadata(decoding: file.metadata, path: file.path))
        path = file.path
    }

    /// The tensor called `name`, if there is one.
    public func tensor(named name: String) -> NamedTensor? {
        tensors.first { $0.name == name }
    }

    /// The name, shape and kind of every tensor, in the order of `tensors`; comparing two
    /// checkpoints' layouts tells whether they come from one architecture.
    public var layout: [TensorLayout] { tensors.map(TensorLayout.init(of:)) }

    /// The tensors in the order of `expected` (a model's layout), ready for
    /// `loadStateDict`.
    /// - Throws: `CheckpointError.layoutMismatch` naming this file and listing every missing,
    ///   unexpected or differently shaped tensor.
    public func tensors(matching expected: [TensorLayout]) throws -> [NamedTensor] {
        try matchLayout(tensors, to: expected, path: path)
    }

    /// Writes the checkpoint to `url` atomically (see `encodeSafetensors` for the layout).
    /// - Throws: `CheckpointError.unwritableFile`.
    public func write(to url: URL) throws {
        try writeSafetensors(tensors, metadata: metadata.encoded(), to: url)
    }
}
