/// When a Lanczos process that looks for extreme eigenvalues may stop early.
///
/// After step j the Ritz pairs (θᵢ, yᵢ) of T_j satisfy ‖Hyᵢ − θᵢyᵢ‖ = βⱼ·|s_{j,i}| (s the
/// eigenvectors of T_j, s_{j,i} the last component), so an eigenvalue of H lies within that
/// residual of θᵢ. The rule is met when each of the k largest Ritz values (and the
/// smallest, when asked) has βⱼ·|s_{j,i}| ≤ tol·|θᵢ|: the eigenvalue it estimates is then
/// known to a relative error of at most tol, and usually far less (the error of a Ritz value
/// is of the order of the squared residual over the gap to the next eigenvalue).
///
/// A small residual says that θ is close to *an* eigenvalue, not that it is the largest:
/// like power iteration, Lanczos can miss an eigenvalue whose eigenvector the starting
/// vector barely touches, which a random start makes improbable.
public struct LanczosStoppingRule: Codable, Equatable, Sendable {
    /// k, the number of largest Ritz values that must have converged.
    public var eigenvalueCount: Int
    /// Whether the smallest Ritz value must have converged too.
    public var includesSmallest: Bool
    /// tol, the bound on the relative residual βⱼ|s_{j,i}| / |θᵢ|.
    public var relativeTolerance: Double
    /// Steps always taken before the rule is tested, so that a tiny Krylov space that
    /// happens to be nearly invariant does not end the process at once.
    public var minimumStepCount: Int

    public init(
        eigenvalueCount: Int, includesSmallest: Bool = false, relativeTolerance: Double = 1e-3,
        minimumStepCount: Int = 5
    ) {
        self.eigenvalueCount = eigenvalueCount
        self.includesSmallest = includesSmallest
        self.relativeTolerance = relativeTolerance
        self.minimumStepCount = minimumStepCount
    }

    /// Whether the rule holds for the tridiagonal T (`diagonal`, `offDiagonal`) of the steps
    /// so far, with `beta` the norm of the last residual.
    /// - Throws: `CurvatureError.tridiagonalSolverDidNotConverge` (never seen in practice).
    func isMet(diagonal: [Double], offDiagonal: [Double], beta: Double) throws -> Bool {
        let m = diagonal.count
        guard m >= max(eigenvalueCount + 1, minimumStepCount) else { return false }
        let decomposition = try symmetricTridiagonalEigendecomposition(
            diagonal: diagonal, offDiagonal: offDiagonal)
        var indices = Array((m - eigenvalueCount)..<m)
        if includesSmallest { indices.append(0) }
        for index in indices {
            let theta = decomposition.eigenvalues[index]
            let residual = beta * abs(decomposition.component(m - 1, ofEigenvector: index))
            if theta == 0 || residual > relativeTolerance * abs(theta) { return false }
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
