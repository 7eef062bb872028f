import BasinKernels

/// The curvature of the loss along one direction d: the Rayleigh quotient dᵀHd/dᵀd.
public struct DirectionalCurvature: Codable, Equatable, Sendable {
    /// dᵀHd / dᵀd.
    public var curvature: Double
    /// 1/`curvature`: the step length that minimises the quadratic model along d (for
    /// d = θₜ₊₁ − θₜ, the optimal learning rate Smith's secant approximates); nil when the
    /// curvature is not positive.
    public var inverseCurvature: Double?
    /// ‖d‖.
    public var directionNorm: Double
}

/// Curvature along a direction, from an exact Hessian-vector product or from a gradient
/// change measured on the same batch. These are the diagnostics to report beside Smith's
/// secant (Smith & Topin, "Super-convergence", §5): the Rayleigh quotient along the step,
/// and the Cauchy step length gᵀg/gᵀHg of steepest descent.
public enum DirectionalCurvatureEstimator {
    /// dᵀHd/dᵀd from one product H·d (for d = θₜ₊₁ − θₜ: the exact form of the secant).
    ///
    /// - Throws: `CurvatureError.nonFiniteProduct` if H·d is not finite; whatever the
    ///   operator throws.
    /// - Precondition: d has n entries and is not zero.
    public static func alongDirection<Operator: SymmetricOperator>(
        of hessian: inout Operator, direction: [Float]
    ) throws -> DirectionalCurvature {
        let normSquared = Vector.dot(direction, direction)
        precondition(
            direction.count == hessian.dimension && normSquared > 0,
            "alongDirection: direction of \(direction.count) entries, norm² \(normSquared), "
                + "dimension \(hessian.dimension)")
        var product = [Float](repeating: 0, count: direction.count)
        try hessian.checkedApply(
            direction, into: &product, algorithm: "curvature along a direction", step: 1)
        return make(
            curvature: Vector.dot(direction, product) / normSquared,
            directionNorm: normSquared.squareRoot())
    }

    /// sᵀ(g₁ − g₀)/sᵀs from two gradients taken on the *same* batch in the same mode at θ
    /// and θ + s: the secant Smith's method intends, free of mini-batch noise. Exact on a
    /// quadratic; otherwise the average curvature over the segment.
    /// - Precondition: equal lengths, s ≠ 0.
    public static func fromGradientChange(step: [Float], gradientChange: [Float])
        -> DirectionalCurvature
    {
        let normSquared = Vector.dot(step, step)
        precondition(
            step.count == gradientChange.count && normSquared > 0,
            "fromGradientChange: step \(step.count) entries (norm² \(normSquared)), gradient "
                + "change \(gradientChange.count)")
        return make(
            curvature: Vector.dot(step, gradientChange) / normSquared,
            directionNorm: normSquared.squareRoot())
    }

    /// The Cauchy step length gᵀg/gᵀHg: the learning rate that minimises the quadratic
    /// model along −g. nil when gᵀHg ≤ 0 (the model has no minimum along −g).
    /// - Precondition: g has n entries.
    public static func cauchyStepLength<Operator: SymmetricOperator>(
        of hessian: inout Operator, gradient: [Float]
    ) throws -> Double? {
        let curvature = try alongDirection(of: &hessian, direction: gradient)
        return curvature.inverseCurvature
    }

    private static func make(curvature: Double, directionNorm: Double) -> DirectionalCurvature {
        DirectionalCurvature(
            curvature: curvature, inverseCurvature: curvature > 0 ? 1 / curvature : nil,
            directionNorm: directionNorm)
    }
}
