import BasinKernels
import BasinNetwork

extension Checkpoint {
    /// The model this checkpoint holds, with every tensor loaded: its architecture, input
    /// shape and class count from the arguments where given, otherwise from the metadata
    /// (a file saved by PyTorch has none, so the command line passes them from `--model`
    /// and `--data`).
    ///
    /// - Throws: `RunError.missingModelDescription` naming the flag that supplies a value
    ///   neither gives, `RunError.unknownArchitecture`, and `CheckpointError.layoutMismatch`
    ///   listing every tensor that does not fit.
    public func makeModel(
        architecture: Architecture? = nil, inputShape: InputShape? = nil, classCount: Int? = nil
    ) throws -> Model {
        let chosen = try architecture ?? recordedArchitecture()
        guard let shape = inputShape ?? recordedInputShape() else {
            throw RunError.missingModelDescription(
                path: path, field: "input shape", flag: "--data (the images fix it)")
        }
        guard let classes = classCount ?? metadata.classCount, classes >= 1 else {
            throw RunError.missingModelDescription(
                path: path, field: "class count", flag: "--data (the labels fix it)")
        }
        // Every tensor is overwritten by the load; the draw only fills the fresh model.
        var unused = SeededGenerator(seed: 0)
        let model = Model(
            architecture: chosen, inputShape: shape, classCount: classes, generator: &unused)
        try load(into: model)
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
        guard let shape = metadata.inputShape, shape.count == 3, shape.allSatisfy({ $0 > 0 })
        else { return nil }
        return InputShape(channels: shape[0], height: shape[1], width: shape[2])
    }
}
