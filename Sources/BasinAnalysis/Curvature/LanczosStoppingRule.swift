/// When a Lanczos process that looks for extreme eigenvalues may stop early.
///
/// After step j the Ritz pairs (θᵢ, yᵢ) of T_j satisfy ‖Hyᵢ − θᵢyᵢ‖ = βⱼ·|s_{j,i}| (s the
/// eigenvectors of T_j, s_{j,i} the last component), so an eigenvalue of H lies within that
/// residual of θᵢ. The rule is met when each of the k largest Ritz values (and the
/// smallest, when asked) has βⱼ·|s_{j,i}| ≤ tol·|θᵢ|: the eigenvalue it estimates is then
/// known to a relative error of at most tol, and usually far less (the error of a Ritz value
/// is of the order of the squared residual over the gap to the next eigenvalue).
///
/// That residual test is strict: it asks the Ritz vector to be accurate to tol, where the
/// eigenvalue is accurate to about tol². `ErrorMeasure.estimatedError` asks the eigenvalue
/// itself to be accurate to tol, as power iteration's rule does, and takes fewer steps.
///
/// A small residual says that θ is close to *an* eigenvalue, not that it is the largest:
/// like power iteration, Lanczos can miss an eigenvalue whose eigenvector the starting
/// vector barely touches, which a random start makes improbable.
public struct LanczosStoppingRule: Codable, Equatable, Sendable {
    /// What must fall below tol·|θ| for a wanted Ritz value θ.
    public enum ErrorMeasure: String, Codable, Sendable {
        /// The residual r = βⱼ·|s_{j,i}|: an eigenvalue of H lies within r of θ.
        case residual
        /// Both the change of θ since the previous step and min(r, r²/δ), δ the distance
        /// from θ to the nearest other Ritz value. If δ were θ's distance to the rest of
        /// H's spectrum, an eigenvalue would lie within r²/δ of θ (Kato–Temple; Parlett,
        /// *The Symmetric Eigenvalue Problem*, §11.7): a converging Ritz value's error
        /// falls as the square of its residual. Ritz values interlace, so δ can exceed the
        /// true gap while θ's neighbours are unconverged, and r²/δ is an estimate, not a
        /// bound; the change between steps guards it (Lanczos converges faster than
        /// linearly, so the last change exceeds the remaining error). Power iteration's
        /// rule, the change of the Rayleigh quotient alone, is weaker on both counts.
        case estimatedError
    }

    /// k, the number of largest Ritz values that must have converged.
    public var eigenvalueCount: Int
    /// Whether the smallest Ritz value must have converged too.
    public var includesSmallest: Bool
    /// tol, the bound on the relative residual βⱼ|s_{j,i}| / |θᵢ|.
    public var relativeTolerance: Double
    /// Steps always taken before the rule is tested, so that a tiny Krylov space that
    /// happens to be nearly invariant does not end the process at once.
    public var minimumStepCount: Int
    /// What is compared with tol·|θ|.
    public var errorMeasure: ErrorMeasure

    public init(
        eigenvalueCount: Int, includesSmallest: Bool = false, relativeTolerance: Double = 1e-3,
        minimumStepCount: Int = 5, errorMeasure: ErrorMeasure = .residual
    ) {
        self.eigenvalueCount = eigenvalueCount
        self.includesSmallest = includesSmallest
        self.relativeTolerance = relativeTolerance
        self.minimumStepCount = minimumStepCount
        self.errorMeasure = errorMeasure
    }

    /// Whether the rule holds for the tridiagonal T (`diagonal`, `offDiagonal`) of the steps
    /// so far, with `beta` the norm of the last residual.
    /// - Throws: `CurvatureError.tridiagonalSolverDidNotConverge` (never seen in practice).
    func isMet(diagonal: [Double], offDiagonal: [Double], beta: Double) throws -> Bool {
        let m = diagonal.count
        guard m >= max(eigenvalueCount + 1, minimumStepCount) else { return false }
        let decomposition = try symmetricTridiagonalEigendecomposition(
            diagonal: diagonal, offDiagonal: offDiagonal)
        let values = decomposition.eigenvalues
        // The previous step's Ritz values, for the change of each wanted one.
        let previous =
            errorMeasure == .estimatedError
            ? try symmetricTridiagonalEigendecomposition(
                diagonal: Array(diagonal.dropLast()), offDiagonal: Array(offDiagonal.dropLast())
            ).eigenvalues : []
        // Index i of m values is index i − offset of the m − 1 previous ones (rank from
        // the top for the largest, the same index for the smallest).
        var wanted = ((m - eigenvalueCount)..<m).map { ($0, $0 - 1) }
        if includesSmallest { wanted.append((0, 0)) }
        for (index, previousIndex) in wanted {
            let theta = values[index]
            let residual = beta * abs(decomposition.component(m - 1, ofEigenvector: index))
            let limit = relativeTolerance * abs(theta)
            if theta == 0 { return false }
            switch errorMeasure {
            case .residual:
                if residual > limit { return false }
            case .estimatedError:
                let gap =
                    values.indices.filter { $0 != index }.map { abs(values[$0] - theta) }
                    .min() ?? .infinity
                let estimate = min(residual, gap > 0 ? residual * residual / gap : residual)
                let change = abs(theta - previous[previousIndex])
                if estimate > limit || change > limit { return false }
            }
        }
        return true
    }
}

extension LanczosDecomposition {
    /// The Ritz values after each step j = 1…m: the eigenvalues of the leading j × j block
    /// of T, which is the T of step j (ascending within each step). The convergence history
    /// of a Lanczos run, at O(m⁴) cost in small dense work (negligible for m ≤ 100).
    public func ritzValueHistory() throws -> [[Double]] {
        try (1...stepCount).map { size in
            try symmetricTridiagonalEigendecomposition(
                diagonal: Array(diagonal.prefix(size)),
                offDiagonal: Array(offDiagonal.prefix(size - 1))
            ).eigenvalues
        }
    }
}
