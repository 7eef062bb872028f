import BasinNetwork

/// The zoo model a checkpoint was saved from, as its metadata records it.
public struct ModelSpecification: Sendable, Equatable {
    public var architecture: Architecture
    public var inputShape: InputShape
    public var classCount: Int

    public init(architecture: Architecture, inputShape: InputShape, classCount: Int) {
        self.architecture = architecture
        self.inputShape = inputShape
        self.classCount = classCount
    }
}

extension TensorLayout {
    /// The layout of one entry of a model's `state_dict`.
    public init(_ entry: StateDictEntry) {
        self.init(name: entry.name, shape: entry.shape, kind: entry.isInteger ? .integer : .float)
    }
}

extension Model {
    /// The name, shape and kind of every `state_dict` tensor, in PyTorch's order.
    public var tensorLayout: [TensorLayout] { stateDictLayout.map(TensorLayout.init) }
}

extension Checkpoint {
    /// A checkpoint of `model`'s `state_dict`, with the model's architecture, input shape
    /// and class count filled into `metadata` where it leaves them empty.
    public init(model: Model, metadata: CheckpointMetadata) {
        var metadata = metadata
        metadata.architecture = metadata.architecture ?? model.architecture.rawValue
        metadata.inputShape =
            metadata.inputShape
            ?? [model.inputShape.channels, model.inputShape.height, model.inputShape.width]
        metadata.classCount = metadata.classCount ?? model.classCount
        self.init(tensors: model.stateDict(), metadata: metadata)
    }

    /// Copies the tensors into `model` after checking them against its layout, so a
    /// mismatch is reported with this file's name and every difference, and leaves the model
    /// unchanged.
    /// - Throws: `CheckpointError.layoutMismatch`.
    public func load(into model: Model) throws {
        let matched = try tensors(matching: model.tensorLayout)
        do {
            try model.loadStateDict(matched)
        } catch {
            throw CheckpointError.layoutMismatch(path: path, problems: [problem(from: error)])
        }
    }

    /// The architecture, input shape and class count from the metadata, checked: a known
    /// architecture name, a shape of three positive dimensions, at least one class.
    /// - Throws: `CheckpointError.missingMetadata` for a file without them (one saved from
    ///   PyTorch: the command line asks for the model instead), `.malformedMetadataValue`
    ///   for values that do not describe a zoo model.
    public func modelSpecification() throws -> ModelSpecification {
        typealias Key = CheckpointMetadataKey
        let purpose = "building the model"
        guard let name = metadata.architecture else {
            throw CheckpointError.missingMetadata(
                path: path, key: Key.architecture, purpose: purpose)
        }
        guard let architecture = Architecture(rawValue: name) else {
            throw CheckpointError.malformedMetadataValue(
                path: path, key: Key.architecture, value: name,
                expected: "one of " + Architecture.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let shape = metadata.inputShape else {
            throw CheckpointError.missingMetadata(path: path, key: Key.inputShape, purpose: purpose)
        }
        guard shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
            throw CheckpointError.malformedMetadataValue(
                path: path, key: Key.inputShape, value: encodeShape(shape),
                expected: "[channels, height, width], all positive")
        }
        guard let classCount = metadata.classCount else {
            throw CheckpointError.missingMetadata(path: path, key: Key.classCount, purpose: purpose)
        }
        guard classCount >= 1 else {
            throw CheckpointError.malformedMetadataValue(
                path: path, key: Key.classCount, value: String(classCount),
                expected: "at least 1")
        }
        return ModelSpecification(
            architecture: architecture,
            inputShape: InputShape(channels: shape[0], height: shape[1], width: shape[2]),
            classCount: classCount)
    }
}

/// The layout problem a model's own loader reported (reached only if the loader is stricter
/// than `matchLayout`).
private func problem(from error: ModelStateError) -> LayoutProblem {
    switch error {
    case .missingTensor(let name, let expectedShape):
        .missing(name: name, expectedShape: expectedShape)
    case .unexpectedTensor(let name, let shape):
        .unexpected(name: name, foundShape: shape)
    case .duplicateTensor(let name):
        .unexpected(name: name, foundShape: [])
    case .shapeMismatch(let name, let expected, let found):
        .shapeMismatch(name: name, expectedShape: expected, foundShape: found)
    case .elementTypeMismatch(let name, let expected, _):
        expected == "int64"
            ? .kindMismatch(name: name, expected: .integer, found: .float)
            : .kindMismatch(name: name, expected: .float, found: .integer)
    }
}
