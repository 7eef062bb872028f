/// How an SGD implementation applies momentum μ and learning rate η; the gradient that a
/// step used is reconstructed from the weight differences Δₜ = θₜ₊₁ − θₜ accordingly.
public enum MomentumConvention: String, Codable, Sendable {
    /// PyTorch: vₜ₊₁ = μₜvₜ + gₜ, θₜ₊₁ = θₜ − ηₜvₜ₊₁, so gₜ = −Δₜ/ηₜ + μₜΔₜ₋₁/ηₜ₋₁.
    case pytorch
    /// Caffe (Smith's runs): Vₜ₊₁ = μₜVₜ + εₜgₜ, θₜ₊₁ = θₜ − Vₜ₊₁, so gₜ = (−Δₜ + μₜΔₜ₋₁)/εₜ.
    case caffe
}

/// A secant estimate of the curvature along one SGD step, with the gradients reconstructed
/// from four consecutive weight snapshots.
public struct MomentumSecantStep: Codable, Equatable, Sendable {
    /// i, the iteration at which the step s = θᵢ₊₁ − θᵢ starts.
    public var iteration: Int
    /// ηᵢ, the learning rate of that step.
    public var learningRate: Double
    /// μᵢ, the momentum of that step.
    public var momentum: Double
    /// sᵀΔg / sᵀs with Δg = gᵢ₊₁ − gᵢ: the secant curvature along the step. On a quadratic
    /// with the full gradient, Δg = Hs and this is the Rayleigh quotient sᵀHs/sᵀs.
    public var curvatureAlongStep: Double
    /// 1/`curvatureAlongStep`, the Newton step length along s; nil when the curvature is
    /// not positive (no minimum along s).
    public var learningRateAlongStep: Double?
    /// Σ|s| / Σ|Δg|, Smith's L1 aggregation of the per-weight ratios, now with the
    /// momentum-consistent gradients; for μ = 0 and constant η it equals Smith's ε·top/bot.
    /// nil when Δg = 0.
    public var l1LearningRate: Double?
}

/// The momentum-corrected secant estimate of the optimal learning rate.
///
/// Smith & Topin's secant (see `SmithSecantEstimator`) assumes gᵢ = −Δᵢ/ε, true only
/// without momentum. With momentum the gradient of step t is recovered from two weight
/// differences (`MomentumConvention`), and the gradient change over step i needs four
/// snapshots θᵢ₋₁, θᵢ, θᵢ₊₁, θᵢ₊₂. For constant η and μ both conventions give
///
///     ηΔg = (Δᵢ − Δᵢ₊₁) + μ(Δᵢ − Δᵢ₋₁),    ε*_μ = η·Δᵢ / [(Δᵢ − Δᵢ₊₁) + μ(Δᵢ − Δᵢ₋₁)]
///
/// per weight, exact for deterministic gradients of a quadratic. Learning rate and momentum
/// may vary from step to step (cyclical schedules); each snapshot carries the values of
/// the step that leaves it. The snapshots must be consecutive iterations. At the very first
/// step of training (v₀ = 0) pass θ₀ twice, so that Δ₋₁ = 0.
///
/// Two kinds of error remain on a real network: consecutive mini-batch gradients differ by
/// sampling noise, which the secant reads as curvature, and weight decay λ inside the
/// gradient adds λ to every curvature (removed here when `weightDecay` is given).
public struct MomentumSecantEstimator: Sendable {
    public let convention: MomentumConvention
    /// λ, subtracted as λ·s from the reconstructed gradient change.
    public let weightDecay: Double
    private var window: [Snapshot] = []

    private struct Snapshot: Sendable {
        var iteration: Int
        var parameters: [Float]
        var learningRate: Double
        var momentum: Double
    }

    public init(convention: MomentumConvention, weightDecay: Double = 0) {
        self.convention = convention
        self.weightDecay = weightDecay
    }

    /// Takes the next snapshot and returns the estimate for the step two iterations back,
    /// or nil while fewer than four snapshots have been seen.
    ///
    /// - Parameters:
    ///   - learningRate: η of the step from this snapshot to the next.
    ///   - momentum: μ of that step.
    /// - Throws: `CurvatureError.nonConsecutiveSnapshots` when `iteration` does not follow
    ///   the previous snapshot's, `.dimensionMismatch` when the length differs.
    public mutating func append(
        parameters: [Float], iteration: Int, learningRate: Double, momentum: Double
    ) throws -> MomentumSecantStep? {
        if let last = window.last {
            guard iteration == last.iteration + 1 else {
                throw CurvatureError.nonConsecutiveSnapshots(
                    previousIteration: last.iteration, nextIteration: iteration)
            }
            guard parameters.count == last.parameters.count else {
                throw CurvatureError.dimensionMismatch(
                    what: "parameters at iteration \(iteration)",
                    expected: last.parameters.count, found: parameters.count)
            }
        }
        window.append(
            Snapshot(
                iteration: iteration, parameters: parameters, learningRate: learningRate,
                momentum: momentum))
        if window.count > 4 { window.removeFirst() }
        guard window.count == 4 else { return nil }
        return estimate(window[0], window[1], window[2], window[3])
    }

    /// The estimate for the step θᵢ → θᵢ₊₁ from θᵢ₋₁ (`a`), θᵢ (`b`), θᵢ₊₁ (`c`), θᵢ₊₂ (`d`).
    private func estimate(_ a: Snapshot, _ b: Snapshot, _ c: Snapshot, _ d: Snapshot)
        -> MomentumSecantStep
    {
        var stepSquared = 0.0
        var stepDotChange = 0.0
        var stepL1 = 0.0
        var changeL1 = 0.0
        for index in 0..<b.parameters.count {
            // Δᵢ₋₁, Δᵢ = s, Δᵢ₊₁ for this entry, in Double.
            let before = Double(b.parameters[index]) - Double(a.parameters[index])
            let step = Double(c.parameters[index]) - Double(b.parameters[index])
            let after = Double(d.parameters[index]) - Double(c.parameters[index])

            // Δg = gᵢ₊₁ − gᵢ from the update rule, minus the weight-decay part λs.
            let gradientAt: Double
            let gradientNext: Double
            switch convention {
            case .pytorch:
                gradientAt = -step / b.learningRate + b.momentum * before / a.learningRate
                gradientNext = -after / c.learningRate + c.momentum * step / b.learningRate
            case .caffe:
                gradientAt = (-step + b.momentum * before) / b.learningRate
                gradientNext = (-after + c.momentum * step) / c.learningRate
            }
            let change = gradientNext - gradientAt - weightDecay * step

            stepSquared += step * step
            stepDotChange += step * change
            stepL1 += abs(step)
            changeL1 += abs(change)
        }
        let curvature = stepSquared > 0 ? stepDotChange / stepSquared : 0
        return MomentumSecantStep(
            iteration: b.iteration, learningRate: b.learningRate, momentum: b.momentum,
            curvatureAlongStep: curvature,
            learningRateAlongStep: curvature > 0 ? 1 / curvature : nil,
            l1LearningRate: changeL1 > 0 ? stepL1 / changeL1 : nil)
    }
}
