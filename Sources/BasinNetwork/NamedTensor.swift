/// The element type of a stored tensor, as a checkpoint records it.
public enum TensorValues: Sendable, Equatable {
    /// 32-bit floats: weights, biases, running statistics.
    case float32([Float])
    /// 64-bit integers: BatchNorm's `num_batches_tracked`.
    case int64([Int64])

    public var count: Int {
        switch self {
        case .float32(let values): values.count
        case .int64(let values): values.count
        }
    }
}

/// One entry of a PyTorch-style `state_dict`: a dotted name (`layer1.0.bn1.running_var`),
/// a shape in PyTorch's layout (linear `[out, in]`, convolution `[out, in, kh, kw]`) and
/// the values in row-major order.
public struct NamedTensor: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var values: TensorValues

    public init(name: String, shape: [Int], values: TensorValues) {
        precondition(
            shape.reduce(1, *) == values.count,
            "tensor \(name): shape \(shape) holds \(shape.reduce(1, *)) values, got \(values.count)"
        )
        self.name = name
        self.shape = shape
        self.values = values
    }

    /// The number of elements, the product of the shape (1 for a scalar, `[]`).
    public var elementCount: Int { shape.reduce(1, *) }
}
