import BasinKernels

/// A network of the zoo with its trainable parameters and BatchNorm buffers in flat
/// vectors.
///
/// `parameters` is the one vector the layers read: each layer knows the offset of its
/// tensors, so `axpy`, interpolation or an optimizer step on `parameters` changes the model
/// directly. The order and layout are PyTorch's (`model.parameters()` order, weights
/// `[out, in]` and `[out, in, kh, kw]`); `parameterLayout` names every slice.
/// `runningStatistics` holds every BatchNorm `running_mean` and `running_var`, named by
/// `runningStatisticsLayout`; `batchesTracked` holds one `num_batches_tracked` per
/// BatchNorm, named by `batchesTrackedNames`.
///
/// A model owns its activation buffers, so one instance must not run two passes at once;
/// use `copy()` for another thread.
public final class Model {
    public let architecture: Architecture
    public let inputShape: InputShape
    public let classCount: Int

    /// Trainable parameters, flat, in PyTorch's order.
    public var parameters: [Float]
    public let parameterLayout: [ParameterSlice]

    /// BatchNorm running means and (unbiased) variances, flat.
    public var runningStatistics: [Float]
    public let runningStatisticsLayout: [ParameterSlice]

    /// `num_batches_tracked` of each BatchNorm, in network order.
    public var batchesTracked: [Int64]
    public let batchesTrackedNames: [String]

    /// Every tensor of the `state_dict`, in PyTorch's order: a module's parameters, then
    /// its buffers.
    public let stateDictLayout: [StateDictEntry]

    let layers: [Layer]
    let loss: SoftmaxCrossEntropy
    let initializers: [ParameterInitializer]
    /// Scratch vectors for passes whose caller did not ask for them.
    var scratchGradient: [Float] = []
    var scratchImages: [Float] = []
    /// Per layer: whether a layer below it has parameters, so that the backward pass needs
    /// its input gradient. False for the first parameterised layer and those before it.
    let inputGradientNeeded: [Bool]
    /// Per layer: g_y of the last backward pass, pointing into the buffers of the layer
    /// above (or the loss); read by the tangent-only passes of a retained pass.
    var lastOutputGradients: [UnsafePointer<Float>?]
    /// The pass whose forward and backward state the layers hold, when a caller asked for
    /// it to be kept (`hessianVectorProduct(reusingPass:)`); cleared by every other pass.
    var retainedPass: RetainedPass?
    /// Layer copies that run parts of an evaluation on the other threads (see
    /// `evaluateInChunks`); each holds the activations of one part.
    var evaluationTwins: [Model] = []

    /// Builds `architecture` for images of `inputShape` and `classCount` classes and draws
    /// its initial parameters from `generator`: Kaiming-normal (fan_out, ReLU gain √2) for
    /// convolutions, U(−1/√fan_in, 1/√fan_in) for linear weights and biases, BatchNorm
    /// γ = 1, β = 0, running mean 0, variance 1.
    /// - Precondition: `classCount ≥ 1`; the input is large enough for the architecture.
    public convenience init(
        architecture: Architecture, inputShape: InputShape, classCount: Int,
        generator: inout SeededGenerator
    ) {
        self.init(architecture: architecture, inputShape: inputShape, classCount: classCount)
        initializeParameters(generator: &generator)
    }

    /// The structure with every parameter zero and fresh running statistics.
    init(architecture: Architecture, inputShape: InputShape, classCount: Int) {
        precondition(classCount >= 1, "classCount must be ≥ 1, got \(classCount)")
        precondition(
            inputShape.channels >= 1 && inputShape.height >= 1 && inputShape.width >= 1,
            "input shape \(inputShape) must be positive")
        self.architecture = architecture
        self.inputShape = inputShape
        self.classCount = classCount
        let layout = LayoutBuilder()
        layers = ModelZoo.layers(
            architecture, inputShape: inputShape, classCount: classCount, layout: layout)
        loss = SoftmaxCrossEntropy(classCount: classCount)
        inputGradientNeeded = ModelZoo.inputGradientNeeded(layers)
        lastOutputGradients = Array(repeating: nil, count: layers.count)
        parameterLayout = layout.parameterSlices
        initializers = layout.initializers
        runningStatisticsLayout = layout.statisticSlices
        batchesTrackedNames = layout.batchesTrackedNames
        stateDictLayout = layout.stateEntries
        parameterCount = layout.parameterCount
        runningStatisticsCount = layout.statisticCount
        parameters = [Float](repeating: 0, count: layout.parameterCount)
        runningStatistics = [Float](repeating: 0, count: layout.statisticCount)
        batchesTracked = [Int64](repeating: 0, count: layout.batchesTrackedNames.count)
        resetRunningStatistics()
    }

    /// Number of trainable parameters (BatchNorm γ and β included, buffers not).
    public let parameterCount: Int
    /// Number of running-statistics values (two per BatchNorm channel).
    public let runningStatisticsCount: Int

    /// Sets every running mean to 0, variance to 1 and `num_batches_tracked` to 0
    /// (PyTorch `reset_running_stats()`).
    public func resetRunningStatistics() {
        for slice in runningStatisticsLayout {
            let value: Float = slice.role == .runningVariance ? 1 : 0
            for index in slice.range { runningStatistics[index] = value }
        }
        for index in batchesTracked.indices { batchesTracked[index] = 0 }
    }

    /// A model with the same architecture, parameters and buffers and its own activation
    /// buffers.
    public func copy() -> Model {
        let twin = Model(
            architecture: architecture, inputShape: inputShape, classCount: classCount)
        twin.parameters = parameters
        twin.runningStatistics = runningStatistics
        twin.batchesTracked = batchesTracked
        return twin
    }

    /// The slice named `name` of `parameterLayout`, if any.
    public func parameterSlice(named name: String) -> ParameterSlice? {
        parameterLayout.first { $0.name == name }
    }

    private func initializeParameters(generator: inout SeededGenerator) {
        for (slice, initializer) in zip(parameterLayout, initializers) {
            for index in slice.range {
                switch initializer {
                case .kaimingNormal(let fanOut):
                    let deviation = (2 / Double(fanOut)).squareRoot()
                    parameters[index] = Float(deviation * generator.nextGaussian())
                case .uniform(let bound):
                    parameters[index] = Float(bound * (2 * generator.nextUnitDouble() - 1))
                case .constant(let value):
                    parameters[index] = value
                }
            }
        }
    }
}
