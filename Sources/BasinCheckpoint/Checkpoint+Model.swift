import BasinKernels
import BasinNetwork
import Foundation

extension Checkpoint {
    /// The model this checkpoint holds: its architecture, input shape and class count from
    /// the metadata, or from the arguments when given (a file saved by PyTorch has no
    /// metadata), with every tensor loaded.
    ///
    /// - Throws: `RunError.missingModelDescription` when neither says what the model is,
    ///   `RunError.unknownArchitecture`, and `CheckpointError.layoutMismatch` listing every
    ///   tensor that does not fit.
    public func makeModel(
        architecture: Architecture? = nil, inputShape: InputShape? = nil, classCount: Int? = nil
    ) throws -> Model {
        let chosen = try architecture ?? recordedArchitecture()
        guard let shape = inputShape ?? recordedInputShape() else {
            throw RunError.missingModelDescription(
                path: path, field: "input shape", flag: "--data (the images fix it)")
        }
        guard let classes = classCount ?? metadata.classCount else {
            throw RunError.missingModelDescription(
                path: path, field: "class count", flag: "--data (the labels fix it)")
        }
        // Every tensor is overwritten below; the draw only fills the fresh model.
        var unused = SeededGenerator(seed: 0)
        let model = Model(
            architecture: chosen, inputShape: shape, classCount: classes, generator: &unused)
        try model.loadStateDict(tensors(matching: model.tensorLayout))
        return model
    }

    private func recordedArchitecture() throws -> Architecture {
        guard let name = metadata.architecture else {
            throw RunError.missingModelDescription(
                path: path, field: "architecture", flag: "--model")
        }
        guard let architecture = Architecture(rawValue: name) else {
            throw RunError.unknownArchitecture(
                path: path, name: name, known: Architecture.allCases.map(\.rawValue))
        }
        return architecture
    }

    private func recordedInputShape() -> InputShape? {
        guard let shape = metadata.inputShape, shape.count == 3 else { return nil }
        return InputShape(channels: shape[0], height: shape[1], width: shape[2])
    }
}

extension Model {
    /// The name, shape and kind of every tensor of the model's `state_dict`.
    public var tensorLayout: [TensorLayout] {
        stateDictLayout.map {
            TensorLayout(name: $0.name, shape: $0.shape, kind: $0.isInteger ? .integer : .float)
        }
    }
}
