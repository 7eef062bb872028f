/// Central finite differences of Double functions: the references that gradients,
/// tangents and Hessian-vector products are checked against.
///
/// Errors for a smooth f with step h: first differences O(h²) truncation plus
/// ε·|f|/h round-off (ε = 2⁻⁵² ≈ 2.2e-16), so h = 1e-5 gives about 1e-10 relative;
/// mixed second differences O(h²) plus ε·|f|/h², so h = 1e-4 gives about 1e-8.
public enum FiniteDifference {
    /// x + a·d, elementwise.
    public static func step(_ x: [Double], _ a: Double, _ d: [Double]) -> [Double] {
        precondition(x.count == d.count, "counts differ: \(x.count) vs \(d.count)")
        return zip(x, d).map { $0 + a * $1 }
    }

    /// [f(x + h·d) − f(x − h·d)] / (2h): the directional derivative dᵀ∇f.
    public static func directional(
        _ f: ([Double]) -> Double, at x: [Double], along d: [Double], step h: Double = 1e-5
    ) -> Double {
        (f(step(x, h, d)) - f(step(x, -h, d))) / (2 * h)
    }

    /// ∂f/∂x_i for each index i.
    public static func partials(
        _ f: ([Double]) -> Double, at x: [Double], indices: [Int], step h: Double = 1e-5
    ) -> [Double] {
        indices.map { index in
            var plus = x
            var minus = x
            plus[index] += h
            minus[index] -= h
            return (f(plus) - f(minus)) / (2 * h)
        }
    }

    /// (H·d)_i = e_iᵀ·H·d by the mixed second difference
    /// [f(x+h·e_i+k·d) − f(x+h·e_i−k·d) − f(x−h·e_i+k·d) + f(x−h·e_i−k·d)] / (4hk),
    /// with k = `directionStep` (h by default). A small k keeps the many activations that
    /// move along d from crossing a ReLU kink; round-off grows as ε·|f|/(hk).
    public static func hessianEntries(
        _ f: ([Double]) -> Double, at x: [Double], along d: [Double], indices: [Int],
        step h: Double = 1e-4, directionStep: Double? = nil
    ) -> [Double] {
        let k = directionStep ?? h
        let forward = step(x, k, d)
        let backward = step(x, -k, d)
        return indices.map { index in
            func shifted(_ base: [Double], _ sign: Double) -> [Double] {
                var moved = base
                moved[index] += sign * h
                return moved
            }
            let sum =
                f(shifted(forward, 1)) - f(shifted(backward, 1)) - f(shifted(forward, -1))
                + f(shifted(backward, -1))
            return sum / (4 * h * k)
        }
    }

    /// uᵀ·H·d by the same mixed second difference along u and d.
    public static func bilinear(
        _ f: ([Double]) -> Double, at x: [Double], _ u: [Double], _ d: [Double],
        step h: Double = 1e-4
    ) -> Double {
        let sum =
            f(step(step(x, h, u), h, d)) - f(step(step(x, h, u), -h, d))
            - f(step(step(x, -h, u), h, d)) + f(step(step(x, -h, u), -h, d))
        return sum / (4 * h * h)
    }

    /// [F(x + h·d) − F(x − h·d)] / (2h): the Jacobian-vector product of a vector function.
    public static func jacobianVector(
        _ f: ([Double]) -> [Double], at x: [Double], along d: [Double], step h: Double = 1e-5
    ) -> [Double] {
        let plus = f(step(x, h, d))
        let minus = f(step(x, -h, d))
        return zip(plus, minus).map { ($0 - $1) / (2 * h) }
    }
}
