import BasinKernels
import Foundation

// Dimension letters: N batch, C channels, S spatial positions per channel (H·W for
// BatchNorm2d on [N, C, H, W], 1 for BatchNorm1d on [N, C]); M = N·S values per channel.
// Per channel: μ mean, σ² biased variance, s = 1/√(σ² + ε), x̂ = (x − μ)·s, y = γ·x̂ + β.

/// Batch normalisation with PyTorch's semantics (`BatchNorm1d` for [C] inputs,
/// `BatchNorm2d` for [C, H, W]): ε = 1e-5; in `.batch` mode μ and σ² are the batch mean
/// and biased variance; in `.running` mode the stored running statistics. Running
/// statistics store the unbiased variance σ²·M/(M − 1), update with momentum 0.1
/// (`.exponential`) or as a cumulative average (`.cumulative`), and
/// `num_batches_tracked` counts updates.
///
/// Tangents. Let P(a) = a − mean(a) − x̂·mean(a⊙x̂), the projection that removes the
/// mean and the x̂ component per channel. In `.batch` mode
///
///     ẋ̂ = s·P(ẋ)                    ṡ = −s²·mean(x̂⊙ẋ)
///     ẏ = γ·ẋ̂ + v_γ·x̂ + v_β
///     g_x = s·P(a),  a = γ·g_y       g_γ = Σ g_y⊙x̂,  g_β = Σ g_y
///     R{g_x} = (ṡ/s)·g_x + s·[ȧ − mean(ȧ) − ẋ̂·mean(a⊙x̂) − x̂·(mean(ȧ⊙x̂) + mean(a⊙ẋ̂))]
///              with ȧ = v_γ·g_y + γ·R{g_y}
///     R{g_γ} = Σ (R{g_y}⊙x̂ + g_y⊙ẋ̂),  R{g_β} = Σ R{g_y}
///
/// (differentiate ṡ from σ̇² = 2·mean((x − μ)⊙ẋ), and R{P(a)} term by term). In
/// `.running` mode μ and s are constants: ẋ̂ = s·ẋ, g_x = γ·s·g_y,
/// R{g_x} = s·(v_γ·g_y + γ·R{g_y}), with the same parameter formulas.
///
/// A running variance below −ε (possible after extrapolating between checkpoints) gives
/// NaN outputs in `.running` mode; callers that interpolate statistics clamp them first.
public final class BatchNorm: Layer {
    public static let epsilon: Float = 1e-5
    public static let momentum: Float = 0.1

    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public let channels: Int
    public let spatialCount: Int
    public let weightOffset: Int
    public let biasOffset: Int
    public let meanOffset: Int
    public let varianceOffset: Int
    public let counterIndex: Int

    let output = FloatBuffer()
    let normalized = FloatBuffer()
    let outputTangent = FloatBuffer()
    let normalizedTangent = FloatBuffer()
    let inputGradient = FloatBuffer()
    let inputGradientTangent = FloatBuffer()
    /// Per channel: the μ and s of the last forward, ṡ/s of the last tangent, and the
    /// batch variance for the running update.
    let channelMean = FloatBuffer()
    let channelScale = FloatBuffer()
    let channelScaleRate = FloatBuffer()
    let channelVariance = FloatBuffer()
    /// Per channel: mean(g_y) and mean(g_y⊙x̂) of the last backward.
    let gradientMean = FloatBuffer()
    let gradientNormalizedMean = FloatBuffer()
    var mode: BatchNormMode = .batch
    /// Whether the last forward stored the rectified output of a ReLU fused after it.
    var rectifiesOutput = false
    var hasInputTangent = false
    /// The input of the last forward, from which `backward` recomputes x̂ when the forward
    /// did not keep it.
    var input: UnsafePointer<Float>?
    /// Whether the last forward stored x̂ in `normalized`: only when tangent passes, which
    /// read it, may follow (a direction is given). A gradient pass recomputes x̂ from the
    /// input in `backward`, bit for bit, which saves writing it.
    var keepsNormalized = false

    /// A BatchNorm named `name` over inputs of `shape` ([C] or [C, H, W]); γ = 1, β = 0.
    public init(_ name: String, shape: [Int], layout: LayoutBuilder) {
        precondition(
            shape.count == 1 || shape.count == 3, "BatchNorm needs [C] or [C, H, W], got \(shape)")
        inputShape = shape
        channels = shape[0]
        spatialCount = shape.dropFirst().reduce(1, *)
        let c = channels
        (weightOffset, biasOffset, meanOffset, varianceOffset, counterIndex) = layout.scoped(name) {
            (
                layout.parameter(
                    "weight", shape: [c], role: .batchNormWeight, initializer: .constant(1)),
                layout.parameter(
                    "bias", shape: [c], role: .batchNormBias, initializer: .constant(0)),
                layout.statistic("running_mean", count: c, role: .runningMean),
                layout.statistic("running_var", count: c, role: .runningVariance),
                layout.batchCounter("num_batches_tracked")
            )
        }
        for buffer in [
            channelMean, channelScale, channelScaleRate, channelVariance, gradientMean,
            gradientNormalizedMean,
        ] {
            buffer.reserve(c)
        }
    }

    /// Calls `body(c)` for every channel c. Channels run in parallel; each is summed by
    /// one thread in a fixed order, so results do not depend on scheduling.
    @inline(__always)
    func forEachChannel(_ body: (Int) -> Void) {
        Parallelism.forEach(channels, body)
    }

    /// Start of the run of sample n, channel c.
    @inline(__always)
    func runStart(_ n: Int, _ c: Int) -> Int { (n * channels + c) * spatialCount }

    public func forward(_ input: UnsafePointer<Float>, _ context: PassContext)
        -> UnsafePointer<Float>
    {
        forward(input, context, rectifies: false)
    }

    /// `forward`, with `rectifies` followed by the ReLU after it: z = [y > 0]·y is stored
    /// instead of y, and `backward` then takes g_z and applies the mask [z > 0] itself, with
    /// the operations of the ReLU, so the same bits. Only for passes without tangents.
    func forward(_ input: UnsafePointer<Float>, _ context: PassContext, rectifies: Bool)
        -> UnsafePointer<Float>
    {
        precondition(
            !rectifies || context.direction == nil, "a rectifying BatchNorm has no tangents")
        rectifiesOutput = rectifies
        let (batch, s) = (context.batch, spatialCount)
        let count = batch * channels * s
        let valuesPerChannel = batch * s
        mode = context.mode
        if mode == .batch {
            precondition(
                valuesPerChannel > 1,
                "BatchNorm in batch mode needs more than one value per channel, got "
                    + "\(valuesPerChannel) (batch \(batch), \(s) positions)")
        }
        // Limitation: in passes with tangents this is a sweep of its own, and so is the ReLU
        // after it, forward and backward.
        let y = output.reserve(count)
        self.input = input
        keepsNormalized = context.direction != nil
        let keepsNormalized = keepsNormalized
        let xHat = keepsNormalized ? normalized.reserve(count) : normalized.pointer
        let theta = context.parameters
        let statistics = UnsafePointer(context.runningStatistics)
        let (mean, scale, variance) = (
            channelMean.pointer, channelScale.pointer, channelVariance.pointer
        )

        forEachChannel { c in
            // μ and s: from the batch (two passes, in Double) or the running statistics.
            var mu: Double
            var sigmaSquared: Double
            if mode == .batch {
                var sum = 0.0
                for n in 0..<batch { sum += Double(RunReductions.sum(input + runStart(n, c), s)) }
                mu = sum / Double(valuesPerChannel)
                var squares = 0.0
                let center = Float(mu)
                for n in 0..<batch {
                    squares += Double(
                        RunReductions.squaredDeviation(input + runStart(n, c), center: center, s))
                }
                // Σ(x − μ_f)² = Σ(x − μ)² + M·(μ − μ_f)², μ_f the float32 rounding of μ.
                let rounding = mu - Double(center)
                sigmaSquared =
                    squares / Double(valuesPerChannel) - rounding * rounding
            } else {
                mu = Double(statistics[meanOffset + c])
                sigmaSquared = Double(statistics[varianceOffset + c])
            }
            let inverse = BatchNorm.inverseDeviation(variance: sigmaSquared)
            mean[c] = Float(mu)
            scale[c] = Float(inverse)
            variance[c] = Float(sigmaSquared)

            // x̂ = (x − μ)·s, y = γ·x̂ + β; x̂ is kept only for the tangent passes.
            let (muF, sF) = (Float(mu), Float(inverse))
            let (gamma, beta) = (theta[weightOffset + c], theta[biasOffset + c])
            for n in 0..<batch {
                let start = runStart(n, c)
                if keepsNormalized {
                    for i in start..<start + s {
                        let normalizedValue = (input[i] - muF) * sF
                        xHat[i] = normalizedValue
                        y[i] = gamma * normalizedValue + beta
                    }
                } else if rectifies {
                    for i in start..<start + s {
                        let value = gamma * ((input[i] - muF) * sF) + beta
                        y[i] = value > 0 ? value : 0
                    }
                } else {
                    for i in start..<start + s { y[i] = gamma * ((input[i] - muF) * sF) + beta }
                }
            }
        }
        if mode == .batch && context.statisticsUpdate != .none {
            updateRunningStatistics(context, valuesPerChannel: valuesPerChannel)
        }
        return UnsafePointer(y)
    }

    /// This layer with running statistics, and a ReLU after it when `rectifies`, as the
    /// epilogue of the convolution before it: μ and s per channel as `forward` computes
    /// them in `.running` mode, γ and β read from the parameters.
    func runningEpilogue(_ context: PassContext, rectifies: Bool) -> ConvolutionEpilogue {
        precondition(context.mode == .running, "a BatchNorm epilogue needs running statistics")
        mode = context.mode
        rectifiesOutput = false
        let statistics = UnsafePointer(context.runningStatistics)
        for c in 0..<channels {
            let sigmaSquared = Double(statistics[varianceOffset + c])
            channelMean.pointer[c] = statistics[meanOffset + c]
            channelScale.pointer[c] = Float(BatchNorm.inverseDeviation(variance: sigmaSquared))
            channelVariance.pointer[c] = Float(sigmaSquared)
        }
        let theta = context.parameters
        return ConvolutionEpilogue(
            mean: channelMean.pointer, scale: channelScale.pointer, gamma: theta + weightOffset,
            beta: theta + biasOffset, rectifies: rectifies)
    }

    /// s = 1/√(σ² + ε) in Double, as the forward pass and the convolution epilogue both
    /// compute it (they must agree to the bit).
    @inline(__always)
    static func inverseDeviation(variance: Double) -> Double {
        1 / (variance + Double(epsilon)).squareRoot()
    }

    /// r ← (1 − f)·r + f·b for the mean and the unbiased variance, with f = 0.1
    /// (`.exponential`) or 1/t after incrementing t = `num_batches_tracked`
    /// (`.cumulative`).
    private func updateRunningStatistics(_ context: PassContext, valuesPerChannel: Int) {
        context.batchesTracked[counterIndex] += 1
        let factor: Double =
            context.statisticsUpdate == .exponential
            ? Double(BatchNorm.momentum) : 1 / Double(context.batchesTracked[counterIndex])
        let unbiased = Double(valuesPerChannel) / Double(valuesPerChannel - 1)
        let statistics = context.runningStatistics
        for c in 0..<channels {
            let mean = Double(statistics[meanOffset + c])
            let variance = Double(statistics[varianceOffset + c])
            statistics[meanOffset + c] = Float(
                (1 - factor) * mean + factor * Double(channelMean.pointer[c]))
            statistics[varianceOffset + c] = Float(
                (1 - factor) * variance + factor * Double(channelVariance.pointer[c]) * unbiased)
        }
    }

    public func forwardTangent(_ inputTangent: UnsafePointer<Float>?, _ context: PassContext)
        -> UnsafePointer<Float>?
    {
        guard let direction = context.direction else {
            preconditionFailure("BatchNorm.forwardTangent needs a direction")
        }
        let (batch, s) = (context.batch, spatialCount)
        let count = batch * channels * s
        hasInputTangent = inputTangent != nil
        let yDot = outputTangent.reserve(count)
        let xHatDot = normalizedTangent.reserve(count)
        let xHat = UnsafePointer(normalized.pointer)
        let theta = context.parameters
        let (scale, scaleRate) = (channelScale.pointer, channelScaleRate.pointer)
        let valuesPerChannel = Double(batch * s)
        let batchMode = mode == .batch

        forEachChannel { c in
            // ẋ̂ = s·P(ẋ) in batch mode, s·ẋ in running mode; ṡ/s = −s·mean(x̂⊙ẋ).
            let sF = scale[c]
            var meanDot: Float = 0
            var correlation: Float = 0
            if batchMode, let inputTangent {
                var sum = 0.0
                var sumProduct = 0.0
                for n in 0..<batch {
                    let start = runStart(n, c)
                    sum += Double(RunReductions.sum(inputTangent + start, s))
                    sumProduct += Double(RunReductions.dot(xHat + start, inputTangent + start, s))
                }
                meanDot = Float(sum / valuesPerChannel)
                correlation = Float(sumProduct / valuesPerChannel)
            }
            scaleRate[c] = -sF * correlation
            let (gamma, gammaDot, betaDot) = (
                theta[weightOffset + c], direction[weightOffset + c], direction[biasOffset + c]
            )
            for n in 0..<batch {
                let start = runStart(n, c)
                if let inputTangent {
                    for i in start..<start + s {
                        let value = sF * (inputTangent[i] - meanDot - xHat[i] * correlation)
                        xHatDot[i] = value
                        yDot[i] = gamma * value + gammaDot * xHat[i] + betaDot
                    }
                } else {
                    for i in start..<start + s {
                        xHatDot[i] = 0
                        yDot[i] = gammaDot * xHat[i] + betaDot
                    }
                }
            }
        }
        return UnsafePointer(yDot)
    }

    public func referenceForward(_ input: [Double], _ context: ReferenceContext) -> [Double] {
        let (batch, s) = (context.batch, spatialCount)
        let valuesPerChannel = Double(batch * s)
        var y = input
        for c in 0..<channels {
            let indices = (0..<batch).flatMap { n in runStart(n, c)..<runStart(n, c) + s }
            var mu = context.runningStatistics[meanOffset + c]
            var variance = context.runningStatistics[varianceOffset + c]
            if context.mode == .batch {
                mu = indices.reduce(0) { $0 + input[$1] } / valuesPerChannel
                variance =
                    indices.reduce(0) { $0 + (input[$1] - mu) * (input[$1] - mu) }
                    / valuesPerChannel
            }
            let inverse = 1 / (variance + Double(BatchNorm.epsilon)).squareRoot()
            let gamma = context.parameters[weightOffset + c]
            let beta = context.parameters[biasOffset + c]
            for i in indices { y[i] = gamma * (input[i] - mu) * inverse + beta }
        }
        return y
    }
}
