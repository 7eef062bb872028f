/// What a slice of a model's flat vectors holds.
public enum ParameterRole: String, Sendable, Codable, Hashable {
    /// A weight of a linear or convolutional layer (subject to weight decay).
    case weight
    /// A bias of a linear or convolutional layer.
    case bias
    /// BatchNorm's scale γ (PyTorch `weight`).
    case batchNormWeight
    /// BatchNorm's shift β (PyTorch `bias`).
    case batchNormBias
    /// BatchNorm's `running_mean` (a buffer, in `runningStatisticsLayout` only).
    case runningMean
    /// BatchNorm's `running_var`, unbiased (a buffer, in `runningStatisticsLayout` only).
    case runningVariance

    /// True for the roles that are usually exempt from weight decay: biases and BatchNorm
    /// parameters.
    public var isExemptFromWeightDecay: Bool { self != .weight }
}

/// One named tensor inside a flat vector: its PyTorch name (`layer1.0.conv1.weight`),
/// its PyTorch shape and the index range it occupies.
public struct ParameterSlice: Sendable, Hashable {
    public var name: String
    public var shape: [Int]
    public var range: Range<Int>
    public var role: ParameterRole

    public init(name: String, shape: [Int], range: Range<Int>, role: ParameterRole) {
        precondition(
            shape.reduce(1, *) == range.count,
            "slice \(name): shape \(shape) does not fill range \(range)")
        self.name = name
        self.shape = shape
        self.range = range
        self.role = role
    }
}

/// One entry of a model's `state_dict`, in PyTorch's order.
public struct StateDictEntry: Sendable, Hashable {
    public enum Storage: Sendable, Hashable {
        /// `parameters[range]`.
        case parameter(Range<Int>)
        /// `runningStatistics[range]`.
        case runningStatistic(Range<Int>)
        /// `batchesTracked[index]`, a scalar Int64.
        case batchesTracked(Int)
    }

    public var name: String
    /// PyTorch's shape; `[]` for the scalar `num_batches_tracked`.
    public var shape: [Int]
    public var storage: Storage

    /// True for `num_batches_tracked` (stored as int64).
    public var isInteger: Bool {
        if case .batchesTracked = storage { return true }
        return false
    }
}

/// How a parameter tensor is drawn at initialisation.
public enum ParameterInitializer: Hashable, Sendable {
    /// N(0, 2/fan_out): PyTorch `kaiming_normal_(mode="fan_out", nonlinearity="relu")`.
    case kaimingNormal(fanOut: Int)
    /// U(−bound, bound): PyTorch's default for `Linear` weight and bias, bound 1/√fan_in.
    case uniform(bound: Double)
    /// Every element the same.
    case constant(Float)
}

/// Assigns slices of the flat parameter and statistics vectors to layers as a network is
/// built, in PyTorch's registration order, under dotted names. Layers take one in their
/// initialiser; the zoo and the tests build networks with it.
public final class LayoutBuilder {
    public private(set) var parameterSlices: [ParameterSlice] = []
    public private(set) var initializers: [ParameterInitializer] = []
    public private(set) var statisticSlices: [ParameterSlice] = []
    public private(set) var batchesTrackedNames: [String] = []
    public private(set) var stateEntries: [StateDictEntry] = []
    private var scope: [String] = []

    public init() {}

    public var parameterCount: Int { parameterSlices.last?.range.upperBound ?? 0 }
    public var statisticCount: Int { statisticSlices.last?.range.upperBound ?? 0 }

    /// Runs `body` with `name` appended to the dotted prefix.
    public func scoped<T>(_ name: String, _ body: () -> T) -> T {
        scope.append(name)
        defer { scope.removeLast() }
        return body()
    }

    private func qualified(_ name: String) -> String {
        (scope + [name]).joined(separator: ".")
    }

    /// Reserves a trainable tensor and returns its offset into `parameters`.
    public func parameter(
        _ name: String, shape: [Int], role: ParameterRole, initializer: ParameterInitializer
    ) -> Int {
        let lower = parameterCount
        let slice = ParameterSlice(
            name: qualified(name), shape: shape, range: lower..<lower + shape.reduce(1, *),
            role: role)
        parameterSlices.append(slice)
        initializers.append(initializer)
        stateEntries.append(
            StateDictEntry(name: slice.name, shape: shape, storage: .parameter(slice.range)))
        return lower
    }

    /// Reserves a running-statistics tensor and returns its offset into
    /// `runningStatistics`.
    public func statistic(_ name: String, count: Int, role: ParameterRole) -> Int {
        let lower = statisticCount
        let slice = ParameterSlice(
            name: qualified(name), shape: [count], range: lower..<lower + count, role: role)
        statisticSlices.append(slice)
        stateEntries.append(
            StateDictEntry(
                name: slice.name, shape: [count], storage: .runningStatistic(slice.range))
        )
        return lower
    }

    /// Reserves a `num_batches_tracked` counter and returns its index.
    public func batchCounter(_ name: String) -> Int {
        let index = batchesTrackedNames.count
        batchesTrackedNames.append(qualified(name))
        stateEntries.append(
            StateDictEntry(name: qualified(name), shape: [], storage: .batchesTracked(index)))
        return index
    }
}
