/// An optimizer on a flat parameter vector: one update per call, with the learning rate
/// and momentum (β1 for Adam) given by the schedule for that step.
///
/// Optimizers own their state vectors, allocated once at initialization, so a step
/// allocates nothing. The state can be read out and restored bit for bit.
public protocol Optimizer: Sendable {
    /// The length of the parameter and gradient vectors.
    var parameterCount: Int { get }

    /// The number of steps taken so far.
    var stepCount: Int { get }

    /// Applies one update to `parameters` using `gradient` (the gradient of the loss, not
    /// yet including weight decay).
    /// - Precondition: both vectors have `parameterCount` elements.
    mutating func step(
        parameters: inout [Float], gradient: [Float], learningRate: Double, momentum: Double)

    /// Everything a later run needs to continue exactly where this one stopped.
    var state: OptimizerState { get }

    /// Replaces the state with a saved one.
    /// - Throws: `OptimizerError` when the state belongs to another optimizer or to
    ///   another parameter count.
    mutating func restore(_ state: OptimizerState) throws
}

/// The saved state of an optimizer: named vectors (PyTorch's names, e.g.
/// `momentum_buffer`, `exp_avg`, `exp_avg_sq`) and the step count. A checkpoint stores
/// each vector as an F32 tensor and the count as metadata.
public struct OptimizerState: Equatable, Sendable {
    /// `sgd` or `adamw`.
    public var optimizerName: String
    public var stepCount: Int
    /// State vectors by name, each with one value per parameter. A vector that was never
    /// created (SGD's momentum buffer before the first step with momentum) is absent.
    public var vectors: [String: [Float]]

    public init(optimizerName: String, stepCount: Int, vectors: [String: [Float]]) {
        self.optimizerName = optimizerName
        self.stepCount = stepCount
        self.vectors = vectors
    }
}

/// A saved optimizer state that does not fit the optimizer it is given to.
public enum OptimizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The state was saved by another kind of optimizer.
    case wrongOptimizer(expected: String, found: String)
    /// A state vector has the wrong number of elements.
    case wrongCount(vector: String, expected: Int, found: Int)
    /// A state vector the optimizer needs is absent.
    case missingVector(name: String, optimizer: String)
    /// A state vector the optimizer does not know.
    case unexpectedVector(name: String, optimizer: String)
    /// The step count is negative.
    case negativeStepCount(Int)
    /// An optimizer name that Basin does not know.
    case unknownAlgorithm(String, known: [String])

    public var description: String {
        switch self {
        case .wrongOptimizer(let expected, let found):
            return "optimizer state: expected the state of '\(expected)', found '\(found)'"
        case .wrongCount(let vector, let expected, let found):
            return "optimizer state: vector '\(vector)' should have \(expected) values "
                + "(one per parameter), found \(found)"
        case .missingVector(let name, let optimizer):
            return "optimizer state: '\(optimizer)' needs vector '\(name)', which is absent"
        case .unexpectedVector(let name, let optimizer):
            return "optimizer state: '\(optimizer)' has no vector named '\(name)'"
        case .negativeStepCount(let count):
            return "optimizer state: step count must be ≥ 0, found \(count)"
        case .unknownAlgorithm(let name, let known):
            return "optimizer '\(name)' is unknown; expected one of "
                + known.joined(separator: ", ")
        }
    }
}

extension OptimizerState {
    /// Checks the name, the step count and the vectors against what an optimizer expects:
    /// `required` must be present, `optional` may be, nothing else, each of `count` values.
    func validate(
        optimizerName expected: String, count: Int, required: [String], optional: [String] = []
    ) throws {
        guard optimizerName == expected else {
            throw OptimizerError.wrongOptimizer(expected: expected, found: optimizerName)
        }
        guard stepCount >= 0 else { throw OptimizerError.negativeStepCount(stepCount) }
        for name in required where vectors[name] == nil {
            throw OptimizerError.missingVector(name: name, optimizer: expected)
        }
        for (name, values) in vectors.sorted(by: { $0.key < $1.key }) {
            guard required.contains(name) || optional.contains(name) else {
                throw OptimizerError.unexpectedVector(name: name, optimizer: expected)
            }
            guard values.count == count else {
                throw OptimizerError.wrongCount(
                    vector: name, expected: count, found: values.count)
            }
        }
    }
}
