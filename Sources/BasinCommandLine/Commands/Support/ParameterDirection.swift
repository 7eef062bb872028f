import BasinAnalysis
import BasinCheckpoint
import BasinNetwork
import Foundation

/// A direction in a model's parameter space read from, or written to, a safetensors file
/// whose tensors carry the model's parameter names (`fc1.weight`, `bn1.bias`, …).
enum ParameterDirection {
    /// The flat direction (n = `model.parameterCount`) stored in the file at `url`.
    ///
    /// Every trainable tensor of the model must be present with the model's shape.
    /// BatchNorm buffers (`running_mean`, `running_var`, `num_batches_tracked`) are ignored
    /// when present, so a checkpoint or a difference of checkpoints is a valid direction;
    /// any other tensor is an error, as a file of another model would be.
    /// - Throws: `CheckpointError` for an unreadable or corrupt file,
    ///   `AnalysisError.unusableInput` naming the file and every tensor at fault.
    static func read(from url: URL, for model: Model) throws -> [Float] {
        let file = try Checkpoint(contentsOf: url)
        let buffers = Set(model.stateDictLayout.map(\.name)).subtracting(
            model.parameterLayout.map(\.name))
        var direction = [Float](repeating: 0, count: model.parameterCount)
        var problems: [String] = []
        for slice in model.parameterLayout {
            guard let tensor = file.tensor(named: slice.name) else {
                problems.append("missing \(slice.name) \(slice.shape)")
                continue
            }
            guard tensor.shape == slice.shape, case .float32(let values) = tensor.values else {
                problems.append(
                    "\(slice.name): expected float \(slice.shape), found \(tensor.shape)"
                        + (tensor.values.isFloat ? "" : " of integers"))
                continue
            }
            for (offset, value) in values.enumerated() {
                direction[slice.range.lowerBound + offset] = value
            }
        }
        let known = Set(model.parameterLayout.map(\.name)).union(buffers)
        for tensor in file.tensors where !known.contains(tensor.name) {
            problems.append("unexpected tensor \(tensor.name) \(tensor.shape)")
        }
        guard problems.isEmpty else {
            throw AnalysisError.unusableInput(
                "\(url.path): not a direction for this \(model.architecture.rawValue) "
                    + "(\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n  "
                    + problems.prefix(20).joined(separator: "\n  "))
        }
        for value in direction where !value.isFinite {
            throw AnalysisError.unusableInput("\(url.path): the direction holds NaN or infinity")
        }
        return direction
    }

    /// The flat vector `values` as one tensor per parameter, with the model's names and
    /// shapes, in parameter order.
    static func tensors(_ values: [Float], of model: Model) -> [NamedTensor] {
        precondition(
            values.count == model.parameterCount,
            "\(values.count) values for \(model.parameterCount) parameters")
        return model.parameterLayout.map { slice in
            NamedTensor(
                name: slice.name, shape: slice.shape,
                values: .float32(Array(values[slice.range])))
        }
    }
}

extension TensorValues {
    /// Whether the values are floats.
    fileprivate var isFloat: Bool {
        if case .float32 = self { return true }
        return false
    }
}
