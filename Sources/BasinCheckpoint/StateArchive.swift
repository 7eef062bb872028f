import BasinNetwork
import Foundation

/// Named float vectors, integer vectors and scalars, and strings, stored as one safetensors
/// file: the state beside a checkpoint that training needs to resume exactly (momentum
/// buffers, Adam moments, step counts, the generator's four words).
///
/// Floats are `F32` tensors, integers `I64` tensors (a scalar has shape `[]`, unsigned words
/// are stored by bit pattern), strings and `Double`s go in `__metadata__` (doubles in their
/// shortest round-trip form). Tensors and strings are separate namespaces. Any safetensors
/// tool can read the file; a PyTorch optimizer's `state_dict` maps onto it by naming each
/// buffer (`state.3.momentum_buffer`, `param_groups.0.lr`).
public struct StateArchive: Sendable, Equatable {
    /// The tensors by name.
    public private(set) var tensors: [String: NamedTensor] = [:]
    /// The strings by name.
    public var strings: [String: String] = [:]
    /// Where the archive was read from, for error messages (`<memory>` for a new one).
    public private(set) var path = "<memory>"

    public init() {}

    /// Reads the state file at `url` (any safetensors file of convertible dtypes).
    /// - Throws: `CheckpointError` naming the file and tensor.
    public init(contentsOf url: URL) throws {
        let file = try SafetensorsFile(contentsOf: url)
        for tensor in try file.tensors() {
            tensors[tensor.name] = tensor
        }
        strings = file.metadata
        path = file.path
    }

    /// Writes the archive to `url` atomically.
    /// - Throws: `CheckpointError.unwritableFile`.
    public func write(to url: URL) throws {
        try writeSafetensors(Array(tensors.values), metadata: strings, to: url)
    }

    /// Equal contents; where they were read from does not matter.
    public static func == (left: StateArchive, right: StateArchive) -> Bool {
        left.tensors == right.tensors && left.strings == right.strings
    }

    /// The names of all tensors, sorted.
    public var tensorNames: [String] { tensors.keys.sorted(by: utf8Precedes) }
}

extension StateArchive {
    /// Stores `values` as an `F32` tensor of `shape` (default `[values.count]`).
    /// - Precondition: the shape holds `values.count` elements; the name is not `__metadata__`.
    public mutating func setFloats(_ values: [Float], named name: String, shape: [Int]? = nil) {
        store(NamedTensor(name: name, shape: shape ?? [values.count], values: .float32(values)))
    }

    /// Stores `values` as an `I64` tensor of `shape` (default `[values.count]`).
    public mutating func setIntegers(_ values: [Int64], named name: String, shape: [Int]? = nil) {
        store(NamedTensor(name: name, shape: shape ?? [values.count], values: .int64(values)))
    }

    /// Stores unsigned words by their bit patterns as an `I64` vector.
    public mutating func setUnsignedIntegers(_ values: [UInt64], named name: String) {
        setIntegers(values.map { Int64(bitPattern: $0) }, named: name)
    }

    /// Stores one integer as an `I64` scalar (shape `[]`).
    public mutating func setInteger(_ value: Int64, named name: String) {
        setIntegers([value], named: name, shape: [])
    }

    /// Stores a string in the metadata.
    public mutating func setString(_ value: String, named name: String) {
        strings[name] = value
    }

    /// Stores a `Double` in the metadata, in its shortest round-trip form.
    public mutating func setDouble(_ value: Double, named name: String) {
        strings[name] = String(describing: value)
    }

    private mutating func store(_ tensor: NamedTensor) {
        precondition(tensor.name != "__metadata__", "a tensor may not be named __metadata__")
        tensors[tensor.name] = tensor
    }
}

extension StateArchive {
    /// The float tensor `name`, flattened.
    /// - Throws: `CheckpointError.missingStateEntry` when it is absent or holds integers.
    public func floats(named name: String) throws -> [Float] {
        guard case .float32(let values) = tensors[name]?.values else {
            throw missing(name, "float tensor")
        }
        return values
    }

    /// The integer tensor `name`, flattened.
    public func integers(named name: String) throws -> [Int64] {
        guard case .int64(let values) = tensors[name]?.values else {
            throw missing(name, "integer tensor")
        }
        return values
    }

    /// The integer tensor `name` as unsigned words (bit patterns).
    public func unsignedIntegers(named name: String) throws -> [UInt64] {
        try integers(named: name).map { UInt64(bitPattern: $0) }
    }

    /// The integer scalar `name` (a tensor of exactly one element).
    public func integer(named name: String) throws -> Int64 {
        guard case .int64(let values) = tensors[name]?.values, values.count == 1 else {
            throw missing(name, "integer scalar")
        }
        return values[0]
    }

    /// The string `name`.
    public func string(named name: String) throws -> String {
        guard let value = strings[name] else { throw missing(name, "string") }
        return value
    }

    /// The `Double` stored under `name`.
    /// - Throws: `.missingStateEntry` when absent, `.malformedMetadataValue` when the string
    ///   is not a number.
    public func double(named name: String) throws -> Double {
        let text = try string(named: name)
        guard let value = Double(text) else {
            throw CheckpointError.malformedMetadataValue(
                path: path, key: name, value: text, expected: "a number")
        }
        return value
    }

    private func missing(_ name: String, _ expected: String) -> CheckpointError {
        .missingStateEntry(path: path, name: name, expected: expected)
    }
}
