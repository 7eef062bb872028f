import BasinCheckpoint
import BasinKernels
import BasinNetwork
import Foundation

/// A checkpoint read for an analysis: the file, its metadata and the model built from it.
///
/// The model is built from the metadata (`architecture`, `input_shape`, `class_count`)
/// when the file has them. A file saved from PyTorch without metadata needs the caller's
/// `ModelHints`: an architecture given by the user or inferred from the tensor names, a
/// class count given or read from the last layer's bias, and the input shape of the data.
public struct AnalysisCheckpoint {
    public var url: URL
    /// The file name without `.safetensors`: `cycle-003`.
    public var name: String
    public var metadata: CheckpointMetadata
    public var model: Model
    /// Where the model's description came from: `metadata`, `flags` or `tensor names`.
    public var specificationSource: String

    /// Reads `url` and loads its tensors into a freshly built model.
    /// - Throws: `CheckpointError` for an unreadable, truncated or corrupt file or tensors
    ///   that do not fit the model; `AnalysisError.unusableInput` naming the file and the
    ///   flags to give when a file without metadata cannot be described otherwise.
    public init(contentsOf url: URL, hints: ModelHints = ModelHints()) throws {
        try self.init(checkpoint: try Checkpoint(contentsOf: url), url: url, hints: hints)
    }

    /// Builds the model of a checkpoint already read from `url`.
    /// - Throws: as `init(contentsOf:hints:)`, except for reading.
    public init(checkpoint: Checkpoint, url: URL, hints: ModelHints = ModelHints()) throws {
        self.url = url
        name = url.deletingPathExtension().lastPathComponent
        metadata = checkpoint.metadata
        let specification: ModelSpecification
        if checkpoint.metadata.architecture != nil {
            specification = try checkpoint.modelSpecification()
            specificationSource = "metadata"
        } else {
            (specification, specificationSource) = try hints.specification(
                for: checkpoint, path: url.path)
        }
        // Every parameter is overwritten by the file; the draw only fills the model once.
        var unused = SeededGenerator(seed: 0)
        model = Model(
            architecture: specification.architecture, inputShape: specification.inputShape,
            classCount: specification.classCount, generator: &unused)
        try checkpoint.load(into: model)
    }
}

/// What to assume about a checkpoint that carries no model metadata.
public struct ModelHints: Sendable {
    /// `--model`; inferred from the tensor names when nil.
    public var architecture: Architecture?
    /// `--classes`; read from the last layer's bias when nil.
    public var classCount: Int?
    /// The data set's image shape.
    public var inputShape: InputShape?

    public init(
        architecture: Architecture? = nil, classCount: Int? = nil, inputShape: InputShape? = nil
    ) {
        self.architecture = architecture
        self.classCount = classCount
        self.inputShape = inputShape
    }

    /// The model of `checkpoint` from these hints and its tensors.
    func specification(for checkpoint: Checkpoint, path: String) throws(AnalysisError)
        -> (ModelSpecification, String)
    {
        let names = Set(checkpoint.tensors.map(\.name))
        guard let architecture = architecture ?? Self.inferArchitecture(names: names) else {
            throw .unusableInput(
                "\(path) has no model metadata and its tensor names match no zoo model; "
                    + "give --model and --classes")
        }
        let lastBias = architecture == .mlp ? "fc3.bias" : "fc.bias"
        guard let classCount = classCount ?? checkpoint.tensor(named: lastBias)?.shape.first,
            classCount >= 1
        else {
            throw .unusableInput(
                "\(path) has no model metadata and no tensor \(lastBias) to count classes by; "
                    + "give --classes")
        }
        guard let inputShape else {
            throw .unusableInput("\(path) has no model metadata and no input shape was given")
        }
        let source = architecture == self.architecture ? "flags" : "tensor names"
        return (
            ModelSpecification(
                architecture: architecture, inputShape: inputShape, classCount: classCount),
            source
        )
    }

    /// The zoo architecture whose `state_dict` names these are, if one fits: `fc1.weight`
    /// for mlp, `layer1.N.…` for a ResNet of N + 1 blocks per stage, `conv3.weight`
    /// without layers for cnn.
    static func inferArchitecture(names: Set<String>) -> Architecture? {
        if names.contains("fc1.weight") && names.contains("fc3.weight") { return .mlp }
        let blockIndices = names.compactMap { name -> Int? in
            guard name.hasPrefix("layer1.") else { return nil }
            return Int(name.dropFirst("layer1.".count).prefix { $0.isNumber })
        }
        if let last = blockIndices.max() {
            return Architecture.allCases.first { $0.blocksPerStage == last + 1 }
        }
        if names.contains("conv3.weight") && names.contains("fc.weight") { return .cnn }
        return nil
    }
}
