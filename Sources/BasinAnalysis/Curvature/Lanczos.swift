import BasinKernels

/// Options of the Lanczos process.
public struct LanczosOptions: Codable, Equatable, Sendable {
    /// m, the number of Lanczos steps, one product H·v each; capped at the dimension n.
    /// PyHessian's `density(iter=100)` default.
    public var stepCount: Int
    /// The process stops at step j when βⱼ ≤ this · max(|α₀|…|αⱼ|, β₀…βⱼ), the right side
    /// being a lower bound on ‖H‖: the Krylov space is then invariant to working precision
    /// and a new Lanczos vector would be rounding noise. The default, 1e-5, is about 100
    /// units of Float rounding, the precision of the products H·v.
    public var breakdownTolerance: Double

    public init(stepCount: Int = 100, breakdownTolerance: Double = 1e-5) {
        self.stepCount = stepCount
        self.breakdownTolerance = breakdownTolerance
    }

    func validate() throws {
        try requireOption(
            stepCount >= 1, "lanczosStepCount", expected: "at least 1", found: "\(stepCount)")
        try requireOption(
            breakdownTolerance >= 0 && breakdownTolerance < 1, "breakdownTolerance",
            expected: "a number in [0, 1)", found: "\(breakdownTolerance)")
    }
}

/// An m-step Lanczos decomposition H·V = V·T + β_m·r·e_mᵀ with full reorthogonalisation.
///
/// V = [v₀ … v_{m−1}] (n × m, orthonormal columns) spans the Krylov space
/// span{v₀, Hv₀, …, H^{m−1}v₀}; T = VᵀHV is tridiagonal with diagonal αⱼ = vⱼᵀHvⱼ and
/// off-diagonal βⱼ = ‖rⱼ‖, rⱼ the part of Hvⱼ orthogonal to v₀…vⱼ. In exact arithmetic the
/// three-term recurrence suffices; in floating point the vⱼ lose orthogonality as Ritz
/// values converge and spurious copies appear, so every new vector is orthogonalised
/// against all previous ones (twice), as PyHessian and Ghorbani et al. do. Cost: m
/// products H·v, O(n·m²) vector work, and n·m Floats of memory for V.
///
/// Breakdown: if βⱼ falls below `LanczosOptions.breakdownTolerance` relative to the
/// running estimate of ‖H‖, the Krylov space is invariant: the process stops early with
/// `invariantSubspaceFound` set, T is j + 1 square, and its Ritz values are exact
/// eigenvalues of H (those that the start vector can see; the others are missed, which for
/// a quadrature is exactly right, since the start vector has no weight on them).
// Limitation: the whole basis stays in memory (n·m Floats, about 340 MB for ResNet-56 at
// m = 100) and the vectors are Float, so Ritz values carry relative errors near 1e-6
// (Ghorbani et al. ran in Double); enough for spectra and top eigenvalues of small models.
public struct LanczosDecomposition: Sendable {
    /// α₀…α_{m−1}, the diagonal of T.
    public var diagonal: [Double]
    /// β₀…β_{m−2}, the off-diagonal of T.
    public var offDiagonal: [Double]
    /// β_{m−1} = ‖r_{m−1}‖, the norm of what the last product left outside the Krylov space;
    /// it bounds how far the Ritz pairs are from eigenpairs.
    public var residualNorm: Double
    /// The Lanczos vectors v₀…v_{m−1}, n entries each.
    public var basis: [[Float]]
    /// The steps requested (after capping at the dimension).
    public var requestedStepCount: Int
    /// Whether the process stopped early at an invariant subspace.
    public var invariantSubspaceFound: Bool

    /// m, the size of T (less than requested after a breakdown); also the number of
    /// products H·v spent.
    public var stepCount: Int { diagonal.count }

    /// Whether `stoppingRule` ended the process before `requestedStepCount` steps.
    public var ritzValuesConverged = false

    /// Runs the Lanczos process from `startingVector` (normalised here).
    ///
    /// With a `stoppingRule` the process also stops at the first step after which the
    /// rule's largest Ritz values have converged (see `LanczosStoppingRule`).
    ///
    /// - Throws: `CurvatureError.invalidOption` for bad options, `.nonFiniteProduct` if the
    ///   operator returns NaN or ±∞, whatever the operator throws.
    /// - Precondition: `startingVector` has n entries and is not zero.
    public init<Operator: SymmetricOperator>(
        of hessian: inout Operator, startingVector: [Float], options: LanczosOptions = .init(),
        stoppingRule: LanczosStoppingRule? = nil
    ) throws {
        try options.validate()
        let n = hessian.dimension
        precondition(
            startingVector.count == n,
            "Lanczos: starting vector has \(startingVector.count) entries, dimension is \(n)")
        var current = startingVector
        let startNorm = KrylovVectors.normalize(&current)
        precondition(startNorm > 0, "Lanczos: the starting vector is zero")

        requestedStepCount = min(options.stepCount, n)
        diagonal = []
        offDiagonal = []
        basis = [current]
        residualNorm = 0
        invariantSubspaceFound = false
        var normEstimate = 0.0
        var product = [Float](repeating: 0, count: n)

        for step in 0..<requestedStepCount {
            // αⱼ and the residual rⱼ = Hvⱼ − projections onto all Lanczos vectors so far.
            try hessian.checkedApply(
                basis[step], into: &product, algorithm: "Lanczos", step: step + 1)
            let alpha = KrylovVectors.dot(basis[step], product)
            diagonal.append(alpha)
            KrylovVectors.orthogonalize(&product, against: basis)
            let beta = KrylovVectors.dot(product, product).squareRoot()
            normEstimate = max(normEstimate, abs(alpha), beta)

            // Stop at the last step or at an invariant subspace; otherwise vⱼ₊₁ = rⱼ/βⱼ.
            if step == requestedStepCount - 1 {
                residualNorm = beta
                break
            }
            if beta <= options.breakdownTolerance * normEstimate {
                residualNorm = beta
                invariantSubspaceFound = true
                break
            }
            if let stoppingRule,
                try stoppingRule.isMet(diagonal: diagonal, offDiagonal: offDiagonal, beta: beta)
            {
                residualNorm = beta
                ritzValuesConverged = true
                break
            }
            offDiagonal.append(beta)
            Vector.scale(&product, by: Float(1 / beta))
            basis.append(product)
        }
    }

    /// Runs the Lanczos process from a Gaussian starting vector drawn from `generator`.
    public init<Operator: SymmetricOperator>(
        of hessian: inout Operator, options: LanczosOptions = .init(),
        stoppingRule: LanczosStoppingRule? = nil, generator: inout SeededGenerator
    ) throws {
        let start = KrylovVectors.gaussian(dimension: hessian.dimension, generator: &generator)
        try self.init(
            of: &hessian, startingVector: start, options: options, stoppingRule: stoppingRule)
    }

    /// The eigendecomposition T = S·diag(θ)·Sᵀ (θ ascending): the Ritz values θ and the
    /// coordinates S of the Ritz vectors in the Lanczos basis.
    public func tridiagonalEigendecomposition() throws -> SymmetricEigendecomposition {
        try symmetricTridiagonalEigendecomposition(diagonal: diagonal, offDiagonal: offDiagonal)
    }

    /// The Ritz values with their residuals and quadrature weights, ascending.
    public func ritzSpectrum() throws -> RitzSpectrum {
        let decomposition = try tridiagonalEigendecomposition()
        let m = stepCount
        let values = (0..<m).map { index in
            let theta = decomposition.eigenvalues[index]
            let residual = residualNorm * abs(decomposition.component(m - 1, ofEigenvector: index))
            return RitzValue(
                value: theta, residualNorm: residual,
                relativeResidual: theta == 0 ? nil : residual / abs(theta),
                weight: squaredValue(decomposition.component(0, ofEigenvector: index)))
        }
        return RitzSpectrum(
            stepCount: m, invariantSubspaceFound: invariantSubspaceFound,
            residualNorm: residualNorm, ritzValues: values)
    }

    /// The Ritz vector y = V·s of column `index` of `decomposition` (from
    /// `tridiagonalEigendecomposition()`), accumulated in Double; a unit vector up to the
    /// orthogonality of V.
    public func ritzVector(_ index: Int, of decomposition: SymmetricEigendecomposition)
        -> [Float]
    {
        precondition(
            decomposition.dimension == stepCount && index >= 0 && index < stepCount,
            "ritzVector: index \(index) of a decomposition of size \(decomposition.dimension), "
                + "Lanczos steps \(stepCount)")
        let n = basis.first?.count ?? 0
        var sum = [Double](repeating: 0, count: n)
        for (row, vector) in basis.enumerated() {
            let coefficient = decomposition.component(row, ofEigenvector: index)
            for entry in 0..<n { sum[entry] += coefficient * Double(vector[entry]) }
        }
        return sum.map { Float($0) }
    }
}

/// One Ritz value θ of a Lanczos run with its error bound and quadrature weight.
public struct RitzValue: Codable, Equatable, Sendable {
    /// θ, an eigenvalue of T.
    public var value: Double
    /// β_m·|s_m|, s_m the last component of θ's eigenvector of T: equals ‖Hy − θy‖ for the
    /// Ritz vector y (in exact arithmetic), so some eigenvalue of H lies within it of θ.
    public var residualNorm: Double
    /// `residualNorm` / |θ|; nil when θ = 0.
    public var relativeResidual: Double?
    /// s₁², the squared first component: the Gauss quadrature weight of θ for the spectral
    /// measure of the starting vector (the weights of one run sum to 1).
    public var weight: Double
}

/// All Ritz values of one Lanczos run, ascending, with how the run ended.
public struct RitzSpectrum: Codable, Equatable, Sendable {
    public var stepCount: Int
    public var invariantSubspaceFound: Bool
    public var residualNorm: Double
    public var ritzValues: [RitzValue]

    /// The `count` largest Ritz values, largest first (the top eigenvalue estimates).
    public func largest(_ count: Int) -> [RitzValue] {
        Array(ritzValues.reversed().prefix(count))
    }

    /// The `count` smallest Ritz values, smallest first (the most negative estimates).
    public func smallest(_ count: Int) -> [RitzValue] {
        Array(ritzValues.prefix(count))
    }
}

func squaredValue(_ x: Double) -> Double { x * x }
