/// One barrier height with the α at which it occurs.
public struct BarrierValue: Equatable, Sendable, Codable {
    /// The height; NaN when the curve has no finite value inside [0, 1].
    public var height: Double
    /// The α in [0, 1] where the maximum of the convention's quantity is attained.
    public var alpha: Double
}

/// The heights of the barrier on a curve f(α) along θ(α) = (1 − α)·θ_A + α·θ_B, in the
/// three conventions of the literature, each a maximum over the evaluated α in [0, 1]:
///
///     B_mean = max f(α) − ½·(f(0) + f(1))            (Frankle et al. 2020; Ainsworth et al. 2022)
///     B_lin  = max [f(α) − ((1 − α)·f(0) + α·f(1))]   (Entezari et al. 2022)
///     B_max  = max f(α) − max(f(0), f(1))             (a strict bump above both ends)
///
/// A convex curve has all three ≤ 0 (B_lin = 0 exactly, attained at the ends). The curve must
/// contain α = 0 and α = 1; non-finite values inside [0, 1] make the heights infinite (a
/// diverged point is the largest barrier there is) and are counted in `nonFiniteCount`.
public struct BarrierHeights: Equatable, Sendable, Codable {
    public var mean: BarrierValue
    public var linear: BarrierValue
    public var maximum: BarrierValue
    /// f(0) and f(1).
    public var startValue: Double
    public var endValue: Double
    /// The α of the smallest finite value on the whole curve, and of the smallest inside
    /// [0, 1].
    public var alphaOfMinimum: Double
    public var alphaOfInteriorMinimum: Double
    /// Points inside [0, 1] whose value is NaN or infinite.
    public var nonFiniteCount: Int

    /// - Precondition: `alphas` and `values` have the same count and include α = 0 and 1.
    public init(alphas: [Double], values: [Double]) {
        precondition(
            alphas.count == values.count, "alphas \(alphas.count) ≠ values \(values.count)")
        guard let startIndex = alphas.firstIndex(of: 0), let endIndex = alphas.firstIndex(of: 1)
        else { preconditionFailure("a barrier needs the curve at α = 0 and α = 1: \(alphas)") }
        let f0 = values[startIndex]
        let f1 = values[endIndex]
        startValue = f0
        endValue = f1

        // Scan the segment once, keeping the maximum of each convention's quantity.
        var mean = BarrierValue(height: -.infinity, alpha: .nan)
        var linear = mean
        var interiorMinimum = (value: Double.infinity, alpha: Double.nan)
        var nonFinite = 0
        for (alpha, value) in zip(alphas, values) where alpha >= 0 && alpha <= 1 {
            if !value.isFinite { nonFinite += 1 }
            let height = value.isNaN ? Double.infinity : value
            if height > mean.height { mean = BarrierValue(height: height, alpha: alpha) }
            let aboveLine = height - ((1 - alpha) * f0 + alpha * f1)
            if aboveLine > linear.height { linear = BarrierValue(height: aboveLine, alpha: alpha) }
            if value.isFinite, value < interiorMinimum.value { interiorMinimum = (value, alpha) }
        }
        let peak = mean
        self.mean = BarrierValue(height: peak.height - (f0 + f1) / 2, alpha: peak.alpha)
        self.linear = linear
        maximum = BarrierValue(height: peak.height - max(f0, f1), alpha: peak.alpha)
        nonFiniteCount = nonFinite
        alphaOfInteriorMinimum = interiorMinimum.alpha

        // The minimum over the whole grid, extrapolated points included.
        var overall = (value: Double.infinity, alpha: Double.nan)
        for (alpha, value) in zip(alphas, values) where value.isFinite && value < overall.value {
            overall = (value, alpha)
        }
        alphaOfMinimum = overall.alpha
    }
}
