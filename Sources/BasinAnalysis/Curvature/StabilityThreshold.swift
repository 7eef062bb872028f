/// The sharpness λ_max(H) above which an optimizer at learning rate η is unstable on a
/// quadratic: the line that curvature-along-training plots compare λ_max with (Cohen,
/// Kaur, Li, Kolter & Talwalkar 2021, "Gradient descent on neural networks typically
/// occurs at the edge of stability").
///
/// Each threshold comes from the scalar recurrence on f = λθ²/2, with x = ηλ:
/// - gradient descent θₜ₊₁ = (1 − x)θₜ is stable iff |1 − x| < 1, i.e. λ < 2/η;
/// - heavy ball θₜ₊₁ = (1 + μ − x)θₜ − μθₜ₋₁ has characteristic polynomial
///   z² − (1 + μ − x)z + μ, whose root reaches −1 at x = 2 + 2μ;
/// - Nesterov θₜ₊₁ = (1 − x)((1 + μ)θₜ − μθₜ₋₁) has z² − (1 − x)(1 + μ)z + (1 − x)μ, whose
///   root reaches −1 at x = (2 + 2μ)/(1 + 2μ).
/// PyTorch's SGD (v = μv + g, θ −= ηv) is the heavy ball with the same η and μ.
public enum StabilityThreshold {
    /// 2/η.
    public static func gradientDescent(learningRate: Double) -> Double {
        precondition(learningRate > 0, "learning rate \(learningRate) must be positive")
        return 2 / learningRate
    }

    /// (2 + 2μ)/η.
    public static func heavyBall(learningRate: Double, momentum: Double) -> Double {
        precondition(learningRate > 0, "learning rate \(learningRate) must be positive")
        return (2 + 2 * momentum) / learningRate
    }

    /// (2 + 2μ)/((1 + 2μ)η).
    public static func nesterov(learningRate: Double, momentum: Double) -> Double {
        precondition(learningRate > 0, "learning rate \(learningRate) must be positive")
        return (2 + 2 * momentum) / ((1 + 2 * momentum) * learningRate)
    }

    /// (2 + 2β₁)/((1 − β₁)η), 38/η for β₁ = 0.9: the threshold for the *preconditioned*
    /// sharpness λ_max(P⁻¹H) of Adam (Cohen et al. 2022, "Adaptive gradient methods at the
    /// edge of stability"); it does not apply to λ_max(H) itself.
    public static func adamPreconditioned(learningRate: Double, beta1: Double) -> Double {
        precondition(
            learningRate > 0 && beta1 >= 0 && beta1 < 1,
            "learning rate \(learningRate) must be positive, beta1 \(beta1) in [0, 1)")
        return (2 + 2 * beta1) / ((1 - beta1) * learningRate)
    }

    /// The threshold for SGD with momentum μ (0 for none), Nesterov or heavy ball.
    public static func sgd(learningRate: Double, momentum: Double, nesterov: Bool) -> Double {
        nesterov
            ? Self.nesterov(learningRate: learningRate, momentum: momentum)
            : heavyBall(learningRate: learningRate, momentum: momentum)
    }
}
