import BasinKernels

/// Stopping rule of power iteration. Defaults are PyHessian's `eigenvalues(maxIter=100,
/// tol=1e-3)` so that numbers can be compared with it.
public struct PowerIterationOptions: Codable, Equatable, Sendable {
    /// Products H·v allowed per eigenvalue.
    public var maxIterationCount: Int
    /// Stop when |ρₖ − ρₖ₋₁| / |ρₖ| < this, ρ the Rayleigh quotient. Unlike PyHessian no
    /// 1e-6 is added to the denominator: ρₖ = ρₖ₋₁ = 0 counts as converged, ρₖ = 0 ≠ ρₖ₋₁
    /// does not.
    public var relativeTolerance: Double

    public init(maxIterationCount: Int = 100, relativeTolerance: Double = 1e-3) {
        self.maxIterationCount = maxIterationCount
        self.relativeTolerance = relativeTolerance
    }

    func validate() throws {
        try requireOption(
            maxIterationCount >= 1, "maxIterationCount", expected: "at least 1",
            found: "\(maxIterationCount)")
        try requireOption(
            relativeTolerance > 0 && relativeTolerance.isFinite, "relativeTolerance",
            expected: "a positive number", found: "\(relativeTolerance)")
    }
}

/// One eigenvalue found by power iteration, with the evidence for it.
public struct EigenvalueEstimate: Codable, Equatable, Sendable {
    /// The Rayleigh quotient λ = vᵀHv of the final unit iterate v.
    public var eigenvalue: Double
    /// Products H·v spent on this eigenvalue.
    public var iterationCount: Int
    /// Whether the stopping rule was met (false: the iteration limit ended it).
    public var converged: Bool
    /// ‖Hv − λv‖, the absolute residual of the final iterate.
    public var residualNorm: Double
    /// ‖Hv − λv‖ / |λ|; nil when λ = 0.
    public var relativeResidual: Double?
    /// The Rayleigh quotient after each product, in order.
    public var rayleighQuotientHistory: [Double]
    /// σ when the iteration ran on H − σI (all values above are for H itself); nil for H.
    public var shift: Double?
}

/// Eigenvalues with their unit eigenvectors (`eigenvectors[i]` belongs to `estimates[i]`).
public struct PowerIterationResult: Sendable {
    public var estimates: [EigenvalueEstimate]
    /// n entries each, orthonormal.
    public var eigenvectors: [[Float]]
    /// Products H·v spent in total.
    public var operatorApplicationCount: Int
}

/// Power iteration v ← Hv/‖Hv‖ with deflation by orthogonalisation.
///
/// The iterate converges to the eigenvector of the eigenvalue of largest *magnitude*,
/// at the rate |λ₂/λ₁| per step (the Rayleigh quotient at |λ₂/λ₁|²). That eigenvalue can be
/// negative: for a Hessian whose most negative eigenvalue is larger in magnitude than its
/// most positive one, the "top eigenvalue" is the negative one. When λ and −λ are both
/// dominant the iterate does not settle and the estimate is a mixture; the residual shows it.
public enum PowerIteration {
    /// The `count` eigenvalues of largest magnitude, in the order found.
    ///
    /// Eigenvalue k iterates on P·H·P, where P projects out the k eigenvectors already
    /// found: every iterate is re-orthogonalised against them (PyHessian's scheme). Each
    /// starts from a fresh Gaussian vector drawn from `generator`.
    ///
    /// - Throws: `CurvatureError.invalidOption` for options out of range or
    ///   `count` ∉ 1...n; `.nonFiniteProduct` if the operator returns NaN or ±∞; whatever
    ///   the operator throws.
    public static func dominantEigenpairs<Operator: SymmetricOperator>(
        of hessian: inout Operator, count: Int = 1, options: PowerIterationOptions = .init(),
        generator: inout SeededGenerator
    ) throws -> PowerIterationResult {
        try options.validate()
        try requireOption(
            count >= 1 && count <= hessian.dimension, "eigenvalueCount",
            expected: "between 1 and the dimension \(hessian.dimension)", found: "\(count)")
        var result = PowerIterationResult(
            estimates: [], eigenvectors: [], operatorApplicationCount: 0)
        for _ in 0..<count {
            let (estimate, eigenvector) = try iterate(
                on: &hessian, deflating: result.eigenvectors, options: options,
                generator: &generator)
            result.estimates.append(estimate)
            result.eigenvectors.append(eigenvector)
            result.operatorApplicationCount += estimate.iterationCount
        }
        return result
    }

    /// The algebraically smallest eigenvalue λ_min (the most negative one when H is
    /// indefinite).
    ///
    /// Needs the dominant eigenvalue λ_d (computed here when `dominant` is nil). If λ_d < 0
    /// it is λ_min and is returned as it is. Otherwise λ_d = λ_max and the iteration runs on
    /// H − λ_max·I, whose eigenvalues λᵢ − λ_max lie in [λ_min − λ_max, 0], so its dominant
    /// one is λ_min − λ_max. The stopping rule applies to that shifted quotient, whose
    /// magnitude is about λ_max − λ_min: the error in λ_min is relative to the spectral
    /// width, not to |λ_min|, and convergence is slow when the bottom of the spectrum is
    /// crowded. Lanczos (`LanczosDecomposition`) usually does better on both counts.
    public static func smallestEigenpair<Operator: SymmetricOperator>(
        of hessian: inout Operator, dominant: EigenvalueEstimate? = nil,
        options: PowerIterationOptions = .init(), generator: inout SeededGenerator
    ) throws -> PowerIterationResult {
        try options.validate()
        var spent = 0
        let dominantEstimate: EigenvalueEstimate
        if let dominant {
            dominantEstimate = dominant
        } else {
            let first = try dominantEigenpairs(
                of: &hessian, options: options, generator: &generator)
            spent = first.operatorApplicationCount
            if first.estimates[0].eigenvalue < 0 { return first }
            dominantEstimate = first.estimates[0]
        }
        if dominantEstimate.eigenvalue < 0 {
            // A negative dominant eigenvalue passed in: redo it to have its eigenvector.
            return try dominantEigenpairs(of: &hessian, options: options, generator: &generator)
        }

        // Iterate on H − λ_max·I and translate the results back to H.
        let shift = dominantEstimate.eigenvalue
        var shifted = ShiftedOperator(hessian, shift: shift)
        let (shiftedEstimate, eigenvector) = try iterate(
            on: &shifted, deflating: [], options: options, generator: &generator)
        hessian = shifted.base
        let eigenvalue = shiftedEstimate.eigenvalue + shift
        let estimate = EigenvalueEstimate(
            eigenvalue: eigenvalue, iterationCount: shiftedEstimate.iterationCount,
            converged: shiftedEstimate.converged, residualNorm: shiftedEstimate.residualNorm,
            relativeResidual: eigenvalue == 0
                ? nil : shiftedEstimate.residualNorm / abs(eigenvalue),
            rayleighQuotientHistory: shiftedEstimate.rayleighQuotientHistory.map { $0 + shift },
            shift: shift)
        return PowerIterationResult(
            estimates: [estimate], eigenvectors: [eigenvector],
            operatorApplicationCount: spent + shiftedEstimate.iterationCount)
    }

    /// One deflated power iteration; returns the estimate for the last iterate v and v.
    static func iterate<Operator: SymmetricOperator>(
        on hessian: inout Operator, deflating found: [[Float]], options: PowerIterationOptions,
        generator: inout SeededGenerator
    ) throws -> (EigenvalueEstimate, [Float]) {
        let n = hessian.dimension
        var iterate = KrylovVectors.gaussian(dimension: n, generator: &generator)
        KrylovVectors.orthogonalize(&iterate, against: found)
        KrylovVectors.normalize(&iterate)
        var product = [Float](repeating: 0, count: n)
        var history: [Double] = []

        for iteration in 1...options.maxIterationCount {
            // Rayleigh quotient and residual of the current unit iterate.
            try hessian.checkedApply(
                iterate, into: &product, algorithm: "power iteration", step: iteration)
            let quotient = KrylovVectors.dot(iterate, product)
            let residual = KrylovVectors.residualNorm(product, minus: quotient, times: iterate)
            let converged =
                history.last.map {
                    relativeChange(from: $0, to: quotient) < options.relativeTolerance
                } ?? false
            history.append(quotient)
            func finished(converged: Bool) -> (EigenvalueEstimate, [Float]) {
                let estimate = EigenvalueEstimate(
                    eigenvalue: quotient, iterationCount: iteration, converged: converged,
                    residualNorm: residual,
                    relativeResidual: quotient == 0 ? nil : residual / abs(quotient),
                    rayleighQuotientHistory: history, shift: nil)
                return (estimate, iterate)
            }
            if converged || iteration == options.maxIterationCount {
                return finished(converged: converged)
            }

            // Next iterate: the deflated product, normalised. A zero deflated product means
            // the iterate spans an invariant direction with eigenvalue `quotient`.
            var next = product
            KrylovVectors.orthogonalize(&next, against: found)
            if KrylovVectors.normalize(&next) == 0 { return finished(converged: true) }
            iterate = next
        }
        preconditionFailure("power iteration: the loop always returns at its last iteration")
    }

    /// |new − old| / |new|, with 0/0 = 0 and x/0 = ∞ for x ≠ 0.
    static func relativeChange(from old: Double, to new: Double) -> Double {
        let difference = abs(new - old)
        if difference == 0 { return 0 }
        return new == 0 ? .infinity : difference / abs(new)
    }
}
