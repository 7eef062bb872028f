/// One value of Smith & Topin's secant estimate of the optimal learning rate.
public struct SmithSecantStep: Codable, Equatable, Sendable {
    /// The iteration of θᵢ, the first of the three snapshots used.
    public var iteration: Int
    /// ε, the learning rate in force at θᵢ.
    public var learningRate: Double
    /// top = Σ |θᵢ₊₁ − θᵢ| over every entry (an L1 norm).
    public var firstDifferenceL1: Double
    /// bot = Σ |2θᵢ₊₁ − θᵢ − θᵢ₊₂| over every entry.
    public var secondDifferenceL1: Double
    /// ε·top/bot; nil when bot = 0 (three collinear, equally spaced snapshots have no
    /// finite secant).
    public var estimate: Double?
    /// The exponential moving average after this step.
    public var movingAverage: Double
}

/// Smith & Topin's estimate of the optimal learning rate from weight snapshots alone
/// ("Super-convergence", §5 and Fig. 5), computed exactly as their scripts do.
///
/// Per weight, a plain SGD step gives gᵢ = (θᵢ − θᵢ₊₁)/ε, and the secant of the gradient
/// along the step is hᵢ ≈ (gᵢ₊₁ − gᵢ)/(θᵢ₊₁ − θᵢ) = (2θᵢ₊₁ − θᵢ − θᵢ₊₂)/(ε(θᵢ₊₁ − θᵢ)), whose
/// inverse is the Newton step length: ε* = ε·(θᵢ₊₁ − θᵢ)/(2θᵢ₊₁ − θᵢ − θᵢ₊₂). The published
/// scripts (`L2TermComputation3.py`, `L2TermComputation4.py`) do not keep it per weight;
/// for snapshots i, i + k, i + 2k they compute
///
///     top = Σ |θ_{i+k} − θᵢ|,  bot = Σ |2θ_{i+k} − θᵢ − θ_{i+2k}|    (sums over all entries)
///     m ← (1 − α)·m + α·ε·top/bot,   α = 0.1, m initialised to 0.1,
///
/// with ε the learning rate at iteration i, and plot m. This type reproduces that, step by
/// step:
/// - the sums run over whatever vector is given; the scripts summed every blob of
///   `net.params`, BatchNorm statistics included, so pass those too to reproduce them;
/// - with a snapshot spacing k > 1 the estimate is *not* divided by k (script 4 used
///   spacing 10 with ε = 0.35 as it is);
/// - m starts at 0.1 whatever the scale of ε*, so early values lean toward 0.1;
/// - momentum is ignored. On a heavy-ball trajectory along an eigenvector of H with
///   eigenvalue λ, the weights follow the slow root z of z² − (1 + μ − ελ)z + μ, and the
///   ratio becomes ε/(1 − z) ≈ (1 − μ)/λ instead of 1/λ; where the velocity decays freely
///   (Δᵢ₊₁ ≈ μΔᵢ) it becomes ε/(1 − μ), 10ε for μ = 0.9, whatever the curvature. Use
///   `MomentumSecantEstimator` for the corrected form;
/// - one deviation: where bot = 0 the scripts would divide by zero; here that step has no
///   estimate and m is carried over unchanged.
public struct SmithSecantEstimator: Sendable {
    /// α of the published scripts.
    public static let publishedSmoothing = 0.1
    /// The initial moving average of the published scripts.
    public static let publishedInitialValue = 0.1

    /// α, the weight of the newest estimate in the moving average.
    public let smoothing: Double
    /// m, the current moving average.
    public private(set) var movingAverage: Double
    private var previous: Snapshot?
    private var current: Snapshot?

    private struct Snapshot: Sendable {
        var iteration: Int
        var parameters: [Float]
        var learningRate: Double
    }

    /// - Precondition: `0 < smoothing ≤ 1`.
    public init(
        smoothing: Double = SmithSecantEstimator.publishedSmoothing,
        initialValue: Double = SmithSecantEstimator.publishedInitialValue
    ) {
        precondition(smoothing > 0 && smoothing <= 1, "smoothing \(smoothing) not in (0, 1]")
        self.smoothing = smoothing
        self.movingAverage = initialValue
    }

    /// Takes the next snapshot (snapshots must come in order, evenly spaced) and returns the
    /// step for the three most recent ones, or nil while fewer than three have been seen.
    ///
    /// - Parameters:
    ///   - parameters: the flattened weights θ at `iteration`.
    ///   - learningRate: the rate in force at `iteration`.
    /// - Throws: `CurvatureError.dimensionMismatch` if `parameters` differs in length from
    ///   the first snapshot.
    public mutating func append(parameters: [Float], iteration: Int, learningRate: Double)
        throws -> SmithSecantStep?
    {
        if let expected = current?.parameters.count, expected != parameters.count {
            throw CurvatureError.dimensionMismatch(
                what: "parameters at iteration \(iteration)", expected: expected,
                found: parameters.count)
        }
        let newest = Snapshot(
            iteration: iteration, parameters: parameters, learningRate: learningRate)
        defer {
            previous = current
            current = newest
        }
        guard let first = previous, let middle = current else { return nil }

        // top and bot, the two L1 sums, in Double.
        var top = 0.0
        var bottom = 0.0
        for index in 0..<parameters.count {
            let a = Double(first.parameters[index])
            let b = Double(middle.parameters[index])
            let c = Double(parameters[index])
            top += abs(b - a)
            bottom += abs(2 * b - a - c)
        }

        // ε·top/bot into the moving average.
        let estimate: Double? = bottom > 0 ? first.learningRate * top / bottom : nil
        if let estimate {
            movingAverage = (1 - smoothing) * movingAverage + smoothing * estimate
        }
        return SmithSecantStep(
            iteration: first.iteration, learningRate: first.learningRate,
            firstDifferenceL1: top, secondDifferenceL1: bottom, estimate: estimate,
            movingAverage: movingAverage)
    }

    /// The published curve for a whole list of snapshots: one step per consecutive triple.
    /// - Precondition: the three arrays have equal length.
    public static func estimates(
        snapshots: [[Float]], iterations: [Int], learningRates: [Double]
    ) throws -> [SmithSecantStep] {
        precondition(
            snapshots.count == iterations.count && snapshots.count == learningRates.count,
            "Smith secant: \(snapshots.count) snapshots, \(iterations.count) iterations, "
                + "\(learningRates.count) learning rates")
        var estimator = SmithSecantEstimator()
        var steps: [SmithSecantStep] = []
        for index in snapshots.indices {
            if let step = try estimator.append(
                parameters: snapshots[index], iteration: iterations[index],
                learningRate: learningRates[index])
            {
                steps.append(step)
            }
        }
        return steps
    }
}
