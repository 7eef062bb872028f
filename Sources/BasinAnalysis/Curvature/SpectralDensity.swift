import BasinKernels
import Foundation

/// Options of stochastic Lanczos quadrature. Defaults are PyHessian's `density(iter=100,
/// n_v=1)` and its plotting script's kernel and grid (`sigma_squared=1e-5`, 10,000 bins).
public struct SpectralDensityOptions: Codable, Equatable, Sendable {
    /// Lanczos steps per probe, capped at the dimension.
    public var lanczosStepCount: Int
    /// n_v, independent Lanczos runs; their quadratures are averaged.
    public var probeCount: Int
    /// Points of the evaluation grid.
    public var gridPointCount: Int
    /// c in the kernel variance σ² = c·max(1, θ_max − θ_min), θ over all Ritz values.
    public var kernelVarianceScale: Double
    /// The grid spans [θ_min − kσ, θ_max + kσ] with this k, so the outermost kernels are
    /// complete (PyHessian pads by a fixed 0.01 instead).
    public var gridMarginInKernelWidths: Double
    /// See `LanczosOptions.breakdownTolerance`.
    public var breakdownTolerance: Double

    public init(
        lanczosStepCount: Int = 100, probeCount: Int = 1, gridPointCount: Int = 10_000,
        kernelVarianceScale: Double = 1e-5, gridMarginInKernelWidths: Double = 5,
        breakdownTolerance: Double = 1e-5
    ) {
        self.lanczosStepCount = lanczosStepCount
        self.probeCount = probeCount
        self.gridPointCount = gridPointCount
        self.kernelVarianceScale = kernelVarianceScale
        self.gridMarginInKernelWidths = gridMarginInKernelWidths
        self.breakdownTolerance = breakdownTolerance
    }

    func validate() throws {
        try requireOption(
            probeCount >= 1, "probeCount", expected: "at least 1", found: "\(probeCount)")
        try requireOption(
            gridPointCount >= 2, "gridPointCount", expected: "at least 2",
            found: "\(gridPointCount)")
        try requireOption(
            kernelVarianceScale > 0 && kernelVarianceScale.isFinite, "kernelVarianceScale",
            expected: "a positive number", found: "\(kernelVarianceScale)")
        try requireOption(
            gridMarginInKernelWidths >= 0 && gridMarginInKernelWidths.isFinite,
            "gridMarginInKernelWidths", expected: "a non-negative number",
            found: "\(gridMarginInKernelWidths)")
    }
}

/// The Gauss quadrature of one Lanczos run: nodes θᵢ (Ritz values, ascending) and weights
/// τᵢ (squared first components of T's eigenvectors, summing to 1).
public struct QuadratureRule: Codable, Equatable, Sendable {
    public var nodes: [Double]
    public var weights: [Double]
    /// Lanczos steps taken (fewer than requested after a breakdown).
    public var stepCount: Int
    public var invariantSubspaceFound: Bool
}

/// A smoothed spectral density φ_σ(t) of H.
public struct SpectralDensityEstimate: Codable, Equatable, Sendable {
    /// One quadrature per probe.
    public var quadratureRules: [QuadratureRule]
    /// σ², the variance of the Gaussian kernel.
    public var kernelVariance: Double
    /// Evaluation points, ascending, evenly spaced.
    public var grid: [Double]
    /// φ_σ at the grid points, scaled so that its trapezoid integral over the grid is 1.
    public var density: [Double]
    /// The trapezoid integral of φ_σ before that scaling. Each kernel has unit mass and the
    /// weights sum to 1, so this is 1 up to discretisation; well below 1 means the grid is
    /// too coarse for the kernel.
    public var integralBeforeNormalisation: Double
    /// n·(1/n_v)Σ_l Σᵢ τᵢθᵢ: SLQ's estimate of tr(H) (E[zᵀHz] for the unit-normalised probe
    /// z is tr(H)/n).
    public var traceEstimate: Double
    /// Products H·v spent.
    public var operatorApplicationCount: Int
}

/// Stochastic Lanczos quadrature (Ghorbani, Krishnan & Xiao 2019, "An investigation into
/// neural net optimization via Hessian eigenvalue density", ICML; Lin, Saad & Yang 2016).
///
/// The density φ(t) = (1/n)Σⱼ δ(t − λⱼ) is smoothed by a Gaussian g_σ and approximated by
///
///     φ_σ(t) ≈ (1/n_v) Σ_l Σᵢ τᵢ⁽ˡ⁾ g_σ(t − θᵢ⁽ˡ⁾),
///
/// where run l is m Lanczos steps from a normalised Rademacher vector z⁽ˡ⁾, θᵢ⁽ˡ⁾ are the
/// Ritz values and τᵢ⁽ˡ⁾ the squared first components of T's eigenvectors: the m-point
/// Gauss quadrature of the spectral measure Σⱼ (qⱼᵀz)² δ(t − λⱼ), whose expectation over z
/// is φ. A breakdown (invariant subspace) ends a run early; its quadrature is then exact.
public enum SpectralDensity {
    /// Runs `options.probeCount` Lanczos processes and evaluates the smoothed density.
    ///
    /// - Throws: `CurvatureError.invalidOption` for bad options, `.nonFiniteProduct` if the
    ///   operator returns NaN or ±∞, whatever the operator throws.
    public static func estimate<Operator: SymmetricOperator>(
        of hessian: inout Operator, options: SpectralDensityOptions = .init(),
        generator: inout SeededGenerator
    ) throws -> SpectralDensityEstimate {
        try options.validate()
        let lanczosOptions = LanczosOptions(
            stepCount: options.lanczosStepCount, breakdownTolerance: options.breakdownTolerance)
        try lanczosOptions.validate()

        // One quadrature rule per Rademacher probe.
        var rules: [QuadratureRule] = []
        var spent = 0
        for _ in 0..<options.probeCount {
            let start = KrylovVectors.rademacher(
                dimension: hessian.dimension, generator: &generator)
            let lanczos = try LanczosDecomposition(
                of: &hessian, startingVector: start, options: lanczosOptions)
            spent += lanczos.stepCount
            let spectrum = try lanczos.ritzSpectrum()
            rules.append(
                QuadratureRule(
                    nodes: spectrum.ritzValues.map(\.value),
                    weights: spectrum.ritzValues.map(\.weight), stepCount: lanczos.stepCount,
                    invariantSubspaceFound: lanczos.invariantSubspaceFound))
        }

        // Kernel width from the spread of all nodes, then the grid around them.
        let allNodes = rules.flatMap(\.nodes)
        let lowest = allNodes.min() ?? 0
        let highest = allNodes.max() ?? 0
        let kernelVariance = options.kernelVarianceScale * max(1, highest - lowest)
        let margin = options.gridMarginInKernelWidths * kernelVariance.squareRoot()
        let grid = evenlySpaced(
            from: lowest - margin, to: highest + margin, count: options.gridPointCount)

        // Density on the grid, scaled to unit trapezoid integral.
        var density = smoothedDensity(at: grid, rules: rules, kernelVariance: kernelVariance)
        let integral = trapezoidIntegral(density, grid: grid)
        if integral > 0 { density = density.map { $0 / integral } }

        let meanRayleigh =
            rules.map { rule in zip(rule.nodes, rule.weights).reduce(0) { $0 + $1.0 * $1.1 } }
            .reduce(0, +) / Double(rules.count)
        return SpectralDensityEstimate(
            quadratureRules: rules, kernelVariance: kernelVariance, grid: grid, density: density,
            integralBeforeNormalisation: integral,
            traceEstimate: Double(hessian.dimension) * meanRayleigh,
            operatorApplicationCount: spent)
    }

    /// (1/n_v) Σ_l Σᵢ τᵢ⁽ˡ⁾ g_σ(t − θᵢ⁽ˡ⁾) at each point t, with the normal density
    /// g_σ(x) = exp(−x²/(2σ²))/√(2πσ²) of variance σ² = `kernelVariance`. Useful to put
    /// densities of several checkpoints on one common grid.
    /// - Precondition: `rules` is not empty and `kernelVariance > 0`.
    public static func smoothedDensity(
        at points: [Double], rules: [QuadratureRule], kernelVariance: Double
    ) -> [Double] {
        precondition(
            !rules.isEmpty && kernelVariance > 0,
            "smoothedDensity: \(rules.count) rules, kernel variance \(kernelVariance)")
        let normalisation = 1 / (2 * Double.pi * kernelVariance).squareRoot()
        let probeWeight = 1 / Double(rules.count)
        return points.map { t in
            var sum = 0.0
            for rule in rules {
                for (node, weight) in zip(rule.nodes, rule.weights) {
                    let x = t - node
                    sum += weight * exp(-x * x / (2 * kernelVariance))
                }
            }
            return sum * normalisation * probeWeight
        }
    }

    /// `count` evenly spaced points from `start` to `end`, both included.
    static func evenlySpaced(from start: Double, to end: Double, count: Int) -> [Double] {
        let step = (end - start) / Double(count - 1)
        return (0..<count).map { start + Double($0) * step }
    }

    /// ∫ f over the grid by the trapezoid rule.
    static func trapezoidIntegral(_ values: [Double], grid: [Double]) -> Double {
        var sum = 0.0
        for index in 1..<grid.count {
            sum += (values[index] + values[index - 1]) / 2 * (grid[index] - grid[index - 1])
        }
        return sum
    }
}
