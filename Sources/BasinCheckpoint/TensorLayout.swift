import BasinNetwork

/// What a model expects of one tensor of its `state_dict`: the name, the shape, and whether
/// it holds floats or integers (BatchNorm's `num_batches_tracked`).
public struct TensorLayout: Sendable, Equatable, Codable {
    public var name: String
    public var shape: [Int]
    public var kind: TensorKind

    public init(name: String, shape: [Int], kind: TensorKind) {
        self.name = name
        self.shape = shape
        self.kind = kind
    }

    /// The layout of an existing tensor.
    public init(of tensor: NamedTensor) {
        self.init(name: tensor.name, shape: tensor.shape, kind: TensorKind(tensor.values))
    }
}

/// One difference between the tensors of a file and the layout a model expects.
public enum LayoutProblem: Sendable, Equatable, CustomStringConvertible {
    /// The model has the tensor, the file does not.
    case missing(name: String, expectedShape: [Int])
    /// The file has a tensor the model does not.
    case unexpected(name: String, foundShape: [Int])
    /// Both have it, with different shapes.
    case shapeMismatch(name: String, expectedShape: [Int], foundShape: [Int])
    /// Both have it, one as floats and the other as integers.
    case kindMismatch(name: String, expected: TensorKind, found: TensorKind)

    public var description: String {
        switch self {
        case .missing(let name, let expectedShape):
            "missing tensor \(name) (expected shape \(expectedShape))"
        case .unexpected(let name, let foundShape):
            "unexpected tensor \(name) (shape \(foundShape)) that the model does not have"
        case .shapeMismatch(let name, let expectedShape, let foundShape):
            "tensor \(name): expected shape \(expectedShape), found \(foundShape)"
        case .kindMismatch(let name, let expected, let found):
            "tensor \(name): expected \(expected) values, found \(found) values"
        }
    }
}

/// Whether a found tensor's shape fits the expected one: equal, or for an integer scalar
/// (`num_batches_tracked`), `[]` and `[1]` either way round, as some exporters write it.
private func shapesAgree(_ found: TensorLayout, _ expected: TensorLayout) -> Bool {
    if found.shape == expected.shape { return true }
    let scalarShapes: Set<[Int]> = [[], [1]]
    return expected.kind == .integer && scalarShapes.contains(found.shape)
        && scalarShapes.contains(expected.shape)
}

/// Every difference between `tensors` and `expected`: first the expected tensors that are
/// missing or differ in shape or kind, in the order of `expected`, then the tensors nobody
/// expected, in the order given. Empty when they match (an integer scalar may be stored with
/// shape `[]` or `[1]`).
/// - Precondition: names within each list are distinct.
public func layoutProblems(of tensors: [NamedTensor], expected: [TensorLayout])
    -> [LayoutProblem]
{
    let found = indexByName(tensors.map(TensorLayout.init(of:)), list: "tensors")
    let expectedNames = Set(indexByName(expected, list: "expected layout").keys)
    var problems: [LayoutProblem] = []
    for layout in expected {
        guard let actual = found[layout.name] else {
            problems.append(.missing(name: layout.name, expectedShape: layout.shape))
            continue
        }
        if !shapesAgree(actual, layout) {
            problems.append(
                .shapeMismatch(
                    name: layout.name, expectedShape: layout.shape, foundShape: actual.shape))
        } else if actual.kind != layout.kind {
            problems.append(
                .kindMismatch(name: layout.name, expected: layout.kind, found: actual.kind))
        }
    }
    for tensor in tensors where !expectedNames.contains(tensor.name) {
        problems.append(.unexpected(name: tensor.name, foundShape: tensor.shape))
    }
    return problems
}

/// `tensors` reordered to follow `expected`, after checking that they match it exactly.
/// - Parameter path: the file the tensors came from, for the error message.
/// - Throws: `CheckpointError.layoutMismatch` listing every difference.
public func matchLayout(_ tensors: [NamedTensor], to expected: [TensorLayout], path: String)
    throws -> [NamedTensor]
{
    let problems = layoutProblems(of: tensors, expected: expected)
    guard problems.isEmpty else {
        throw CheckpointError.layoutMismatch(path: path, problems: problems)
    }
    let byName = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0) })
    return expected.map { byName[$0.name]! }
}

private func indexByName(_ layouts: [TensorLayout], list: String) -> [String: TensorLayout] {
    var index: [String: TensorLayout] = [:]
    for layout in layouts {
        precondition(
            index.updateValue(layout, forKey: layout.name) == nil,
            "\(list): tensor \(layout.name) appears twice")
    }
    return index
}
