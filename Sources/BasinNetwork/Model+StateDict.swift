/// Why a `state_dict` does not fit a model. Every case names the tensor, what the model
/// expects and what was found.
public enum ModelStateError: Error, Equatable, CustomStringConvertible {
    /// The model has a tensor the state dict lacks.
    case missingTensor(name: String, expectedShape: [Int])
    /// The state dict has a tensor the model does not.
    case unexpectedTensor(name: String, shape: [Int])
    /// Both have the tensor, with different shapes.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// A float tensor where an integer one belongs, or the other way round.
    case elementTypeMismatch(name: String, expected: String, found: String)
    /// The same name twice in the state dict.
    case duplicateTensor(name: String)

    public var description: String {
        switch self {
        case .missingTensor(let name, let shape):
            "state dict lacks tensor \(name) (expected shape \(shape))"
        case .unexpectedTensor(let name, let shape):
            "state dict has tensor \(name) of shape \(shape), which the model does not have"
        case .shapeMismatch(let name, let expected, let found):
            "tensor \(name): expected shape \(expected), found \(found)"
        case .elementTypeMismatch(let name, let expected, let found):
            "tensor \(name): expected \(expected) values, found \(found)"
        case .duplicateTensor(let name):
            "state dict has tensor \(name) more than once"
        }
    }
}

extension Model {
    /// Parameters and buffers under PyTorch's names, shapes and order
    /// (`conv1.weight`, `bn1.running_mean`, `bn1.num_batches_tracked`, …).
    public func stateDict() -> [NamedTensor] {
        stateDictLayout.map { entry in
            switch entry.storage {
            case .parameter(let range):
                NamedTensor(
                    name: entry.name, shape: entry.shape,
                    values: .float32(Array(parameters[range])))
            case .runningStatistic(let range):
                NamedTensor(
                    name: entry.name, shape: entry.shape,
                    values: .float32(Array(runningStatistics[range])))
            case .batchesTracked(let index):
                NamedTensor(
                    name: entry.name, shape: [], values: .int64([batchesTracked[index]]))
            }
        }
    }

    /// Replaces parameters and buffers with `tensors`, matched by name (order free). Checks
    /// everything before changing anything, so a failed load leaves the model as it was.
    /// `num_batches_tracked` must be int64 (shape `[]` or `[1]`), every other tensor
    /// float32.
    public func loadStateDict(_ tensors: [NamedTensor]) throws(ModelStateError) {
        var byName: [String: NamedTensor] = [:]
        for tensor in tensors {
            if byName.updateValue(tensor, forKey: tensor.name) != nil {
                throw .duplicateTensor(name: tensor.name)
            }
        }
        let expectedNames = Set(stateDictLayout.map(\.name))
        if let extra = tensors.first(where: { !expectedNames.contains($0.name) }) {
            throw .unexpectedTensor(name: extra.name, shape: extra.shape)
        }

        // Check names, shapes and element types of every entry first.
        for entry in stateDictLayout {
            guard let tensor = byName[entry.name] else {
                throw .missingTensor(name: entry.name, expectedShape: entry.shape)
            }
            let shapeFits =
                tensor.shape == entry.shape || (entry.isInteger && tensor.shape == [1])
            guard shapeFits else {
                throw .shapeMismatch(name: entry.name, expected: entry.shape, found: tensor.shape)
            }
            switch (entry.isInteger, tensor.values) {
            case (true, .float32):
                throw .elementTypeMismatch(name: entry.name, expected: "int64", found: "float32")
            case (false, .int64):
                throw .elementTypeMismatch(name: entry.name, expected: "float32", found: "int64")
            default: break
            }
        }

        // Then copy.
        for entry in stateDictLayout {
            switch (entry.storage, byName[entry.name]!.values) {
            case (.parameter(let range), .float32(let values)):
                parameters.replaceSubrange(range, with: values)
            case (.runningStatistic(let range), .float32(let values)):
                runningStatistics.replaceSubrange(range, with: values)
            case (.batchesTracked(let index), .int64(let values)):
                batchesTracked[index] = values[0]
            default:
                preconditionFailure("state entry \(entry.name) changed type after checking")
            }
        }
    }
}
