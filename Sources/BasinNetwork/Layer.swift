// Dimension letters: N batch; F features of a flat activation; C channels, H × W height
// and width of an image-shaped activation (NCHW, row-major). θ the flat parameter vector,
// v a direction in parameter space, x a layer's input, y its output, g_· = ∂L/∂· a
// gradient, ẋ = R{x} and R{g} tangents along v.

/// How the piecewise-linear layers (ReLU, max pooling) choose their pieces.
///
/// The exact Hessian of a ReLU network is the Hessian of the smooth function obtained by
/// holding every activation's sign and every pooling window's maximum fixed. Finite
/// differences of the live function also pick up the kinks crossed between the two
/// points; recording the pattern at θ and replaying it at θ ± h·v removes them, so a
/// difference converges to the exact product as h → 0.
public enum ActivationPattern: Sendable, Hashable {
    /// Choose pieces from the current input (the ordinary function).
    case live
    /// Choose from the current input and remember the choice in the layer.
    case record
    /// Reuse the choice remembered by the last `.record` pass (same batch size).
    case replay
}

/// The pointers and switches shared by every layer during one pass over a batch.
///
/// Parameters, gradients and running statistics are the model's flat vectors; each layer
/// knows its offsets into them. Tangent passes read `direction` (v, same layout as
/// `parameters`) and write R{g_θ} into `gradientTangent`.
public struct PassContext {
    public var batch: Int
    public var mode: BatchNormMode
    public var statisticsUpdate: RunningStatisticsUpdate
    public var parameters: UnsafePointer<Float>
    public var direction: UnsafePointer<Float>?
    public var gradient: UnsafeMutablePointer<Float>?
    public var gradientTangent: UnsafeMutablePointer<Float>?
    public var runningStatistics: UnsafeMutablePointer<Float>
    public var batchesTracked: UnsafeMutablePointer<Int64>
    public var activationPattern: ActivationPattern
    /// Whether a chain of layers may run a convolution, the BatchNorm after it and a ReLU
    /// after that as one convolution with an epilogue (`forwardFusing`): set for
    /// inference passes, whose layers' own buffers nothing reads afterwards.
    public var fusesInference = false

    /// True when neither a tangent nor a backward pass will follow this forward pass (no
    /// direction and no gradient vector): layers then need not keep what only those passes
    /// read.
    public var isForwardOnly: Bool { direction == nil && gradient == nil }

    public init(
        batch: Int, mode: BatchNormMode, statisticsUpdate: RunningStatisticsUpdate = .none,
        parameters: UnsafePointer<Float>, direction: UnsafePointer<Float>? = nil,
        gradient: UnsafeMutablePointer<Float>? = nil,
        gradientTangent: UnsafeMutablePointer<Float>? = nil,
        runningStatistics: UnsafeMutablePointer<Float>,
        batchesTracked: UnsafeMutablePointer<Int64>, activationPattern: ActivationPattern = .live
    ) {
        self.batch = batch
        self.mode = mode
        self.statisticsUpdate = statisticsUpdate
        self.parameters = parameters
        self.direction = direction
        self.gradient = gradient
        self.gradientTangent = gradientTangent
        self.runningStatistics = runningStatistics
        self.batchesTracked = batchesTracked
        self.activationPattern = activationPattern
    }
}

/// The inputs of a layer's Double-precision reference forward pass.
public struct ReferenceContext {
    public var batch: Int
    public var mode: BatchNormMode
    public var parameters: [Double]
    public var runningStatistics: [Double]
    public var activationPattern: ActivationPattern

    public init(
        batch: Int, mode: BatchNormMode, parameters: [Double], runningStatistics: [Double],
        activationPattern: ActivationPattern = .live
    ) {
        self.batch = batch
        self.mode = mode
        self.parameters = parameters
        self.runningStatistics = runningStatistics
        self.activationPattern = activationPattern
    }
}

/// A differentiable layer with exact forward-over-reverse tangents (Pearlmutter 1994).
///
/// One training step calls `forward` then `backward`; a Hessian-vector product calls
/// `forward`, `forwardTangent`, then for each layer from the last `backward` and
/// `backwardTangent`. A layer keeps the pointers it was given in `forward` and
/// `forwardTangent` (its input and input tangent) until the next pass, and owns its
/// output, gradient and tangent buffers, which stay valid until its next call.
///
/// - `forward`: y = f(x; θ).
/// - `forwardTangent`: ẏ = J_x·ẋ + J_θ·v. A nil input tangent means ẋ = 0 (the images).
/// - `backward`: writes g_θ = J_θᵀ·g_y into `context.gradient` and returns g_x = J_xᵀ·g_y
///   when `needsInputGradient`, else nil.
/// - `backwardTangent`: R{g_θ} into `context.gradientTangent`, returns R{g_x}. Called
///   after `backward` with the same g_y. Summed over a network, R{g_θ} is H·v.
///
/// Repeated products on one batch (`Model.hessianVectorProduct(reusingPass:)`) call
/// `forwardTangent` and `backwardTangent` again, with new directions, after a single
/// `forward` and `backward`. So the tangent calls may write only tangent buffers and
/// scratch, never what `forward` or `backward` left for them (inputs, masks, statistics,
/// returned gradients).
public protocol Layer: AnyObject {
    /// Shape of one sample of the input ([F] or [C, H, W]).
    var inputShape: [Int] { get }
    /// Shape of one sample of the output.
    var outputShape: [Int] { get }
    /// Whether the layer owns parameters. Only above such a layer does the backward pass
    /// need input gradients: the images have none.
    var hasParameters: Bool { get }

    func forward(_ input: UnsafePointer<Float>, _ context: PassContext) -> UnsafePointer<Float>
    func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    func backward(
        _ outputGradient: UnsafePointer<Float>, needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>?
    func backwardTangent(
        _ outputGradient: UnsafePointer<Float>, _ outputGradientTangent: UnsafePointer<Float>,
        needsInputGradient: Bool, _ context: PassContext
    ) -> UnsafePointer<Float>?

    /// The same function in Double with direct loops: the reference the tests hold the
    /// fast path against. Slow; for checks only. `input` holds N samples.
    func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double]
}

extension Layer {
    /// Floats per input sample.
    public var inputCount: Int { inputShape.reduce(1, *) }
    /// Floats per output sample.
    public var outputCount: Int { outputShape.reduce(1, *) }
    /// A layer owns parameters unless it says otherwise, which is the safe assumption.
    public var hasParameters: Bool { true }
}

/// y[i] += x[i] for i < count.
@inline(__always)
func addInPlace(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
    for index in 0..<count { y[index] += x[index] }
}
