import BasinKernels

/// How the extreme eigenvalues are found.
public enum EigenvalueMethod: String, Codable, CaseIterable, Sendable {
    /// Power iteration with deflation (`PowerIteration`), PyHessian's method.
    case power
    /// Lanczos with full reorthogonalisation (`LanczosDecomposition`), stopped by
    /// `LanczosStoppingRule` on the estimated error of each wanted eigenvalue. On a
    /// trained network's Hessian it reaches the accuracy of power iteration in about half
    /// the products.
    case lanczos
}

/// What to compute: the k largest eigenvalues, optionally the smallest, with one stopping
/// rule for both methods.
public struct ExtremeEigenvalueRequest: Codable, Equatable, Sendable {
    public var method: EigenvalueMethod
    /// k ≥ 1.
    public var count: Int
    /// Whether to find the smallest (most negative) eigenvalue as well.
    public var includesSmallest: Bool
    /// Products H·v allowed: per eigenvalue for power iteration, in total for Lanczos.
    public var maxIterationCount: Int
    /// Power iteration: relative change of the Rayleigh quotient between products.
    /// Lanczos: estimated relative error of each wanted Ritz value, with its relative
    /// change between steps (`LanczosStoppingRule.ErrorMeasure.estimatedError`).
    public var relativeTolerance: Double

    public init(
        method: EigenvalueMethod = .power, count: Int = 1, includesSmallest: Bool = false,
        maxIterationCount: Int = 100, relativeTolerance: Double = 1e-3
    ) {
        self.method = method
        self.count = count
        self.includesSmallest = includesSmallest
        self.maxIterationCount = maxIterationCount
        self.relativeTolerance = relativeTolerance
    }
}

/// One extreme eigenvalue with the evidence for it.
public struct ExtremeEigenvalue: Codable, Equatable, Sendable {
    /// 1 for the largest, 2 for the second…; 0 for the smallest.
    public var rank: Int
    public var eigenvalue: Double
    /// Products H·v spent on it (power iteration) or by the whole run (Lanczos).
    public var iterationCount: Int
    public var converged: Bool
    /// ‖Hv − λv‖ for the final vector (power iteration) or the Ritz vector (Lanczos).
    public var residualNorm: Double
    /// `residualNorm` / |λ|; nil when λ = 0.
    public var relativeResidual: Double?
    /// The estimate after each product: the Rayleigh quotient (power iteration) or this
    /// rank's Ritz value (Lanczos), from `historyStart` on.
    public var history: [Double]
    /// The product count of `history[0]` (1 for power iteration; the rank for Lanczos,
    /// whose step j has only j Ritz values).
    public var historyStart: Int
}

/// The result of `ExtremeEigenvalues.compute`.
public struct ExtremeEigenvalueResult: Codable, Equatable, Sendable {
    public var request: ExtremeEigenvalueRequest
    /// Largest first.
    public var largest: [ExtremeEigenvalue]
    public var smallest: ExtremeEigenvalue?
    /// Products H·v spent in all.
    public var operatorApplicationCount: Int
    /// The Ritz values of the final Lanczos step, ascending; nil for power iteration.
    public var ritzSpectrum: RitzSpectrum?
}

/// The k largest eigenvalues (and optionally the smallest) of a symmetric operator, by
/// either method, reported in one form so that the two can be compared.
///
/// Power iteration finds eigenvalues of largest *magnitude*; on a Hessian with a dominant
/// positive outlier (a trained network's loss) those are the largest ones. Lanczos
/// returns the algebraically largest Ritz values. The smallest eigenvalue comes from
/// power iteration on H − λ_max·I, or from the smallest Ritz value of the same Lanczos run.
public enum ExtremeEigenvalues {
    /// - Throws: `CurvatureError.invalidOption` for a request out of range, whatever the
    ///   operator or the algorithms throw.
    public static func compute<Operator: SymmetricOperator>(
        of hessian: inout Operator, request: ExtremeEigenvalueRequest,
        generator: inout SeededGenerator
    ) throws -> ExtremeEigenvalueResult {
        try requireOption(
            request.count >= 1 && request.count <= hessian.dimension, "eigenvalueCount",
            expected: "between 1 and the dimension \(hessian.dimension)",
            found: "\(request.count)")
        switch request.method {
        case .power:
            return try power(of: &hessian, request: request, generator: &generator)
        case .lanczos:
            return try lanczos(of: &hessian, request: request, generator: &generator)
        }
    }

    private static func power<Operator: SymmetricOperator>(
        of hessian: inout Operator, request: ExtremeEigenvalueRequest,
        generator: inout SeededGenerator
    ) throws -> ExtremeEigenvalueResult {
        let options = PowerIterationOptions(
            maxIterationCount: request.maxIterationCount,
            relativeTolerance: request.relativeTolerance)
        let top = try PowerIteration.dominantEigenpairs(
            of: &hessian, count: request.count, options: options, generator: &generator)
        var spent = top.operatorApplicationCount
        var smallest: ExtremeEigenvalue?
        if request.includesSmallest {
            let bottom = try PowerIteration.smallestEigenpair(
                of: &hessian, dominant: top.estimates[0], options: options,
                generator: &generator)
            spent += bottom.operatorApplicationCount
            smallest = record(bottom.estimates[0], rank: 0)
        }
        return ExtremeEigenvalueResult(
            request: request,
            largest: top.estimates.enumerated().map { record($1, rank: $0 + 1) },
            smallest: smallest, operatorApplicationCount: spent, ritzSpectrum: nil)
    }

    private static func record(_ estimate: EigenvalueEstimate, rank: Int) -> ExtremeEigenvalue {
        ExtremeEigenvalue(
            rank: rank, eigenvalue: estimate.eigenvalue, iterationCount: estimate.iterationCount,
            converged: estimate.converged, residualNorm: estimate.residualNorm,
            relativeResidual: estimate.relativeResidual,
            history: estimate.rayleighQuotientHistory, historyStart: 1)
    }

    private static func lanczos<Operator: SymmetricOperator>(
        of hessian: inout Operator, request: ExtremeEigenvalueRequest,
        generator: inout SeededGenerator
    ) throws -> ExtremeEigenvalueResult {
        let rule = LanczosStoppingRule(
            eigenvalueCount: request.count, includesSmallest: request.includesSmallest,
            relativeTolerance: request.relativeTolerance, errorMeasure: .estimatedError)
        let decomposition = try LanczosDecomposition(
            of: &hessian, options: LanczosOptions(stepCount: request.maxIterationCount),
            stoppingRule: rule, generator: &generator)
        let spectrum = try decomposition.ritzSpectrum()
        let history = try decomposition.ritzValueHistory()
        let m = decomposition.stepCount

        // Rank r (1 = largest) is Ritz value m − r of the ascending list at the end, and
        // value j − r at step j ≥ r.
        func entry(_ value: RitzValue, rank: Int, historyIndex: (Int) -> Int?) -> ExtremeEigenvalue
        {
            let points = history.enumerated().compactMap { step, values in
                historyIndex(step + 1).map { values[$0] }
            }
            let start = (1...m).first { historyIndex($0) != nil } ?? 1
            return ExtremeEigenvalue(
                rank: rank, eigenvalue: value.value, iterationCount: m,
                converged: decomposition.invariantSubspaceFound
                    || decomposition.ritzValuesConverged
                    || (value.relativeResidual.map { $0 <= request.relativeTolerance } ?? false),
                residualNorm: value.residualNorm, relativeResidual: value.relativeResidual,
                history: points, historyStart: start)
        }
        let largest = spectrum.largest(min(request.count, m)).enumerated().map { offset, value in
            entry(value, rank: offset + 1) { step in step > offset ? step - 1 - offset : nil }
        }
        let smallest =
            request.includesSmallest
            ? spectrum.smallest(1).first.map { entry($0, rank: 0) { _ in 0 } } : nil
        return ExtremeEigenvalueResult(
            request: request, largest: largest, smallest: smallest,
            operatorApplicationCount: m, ritzSpectrum: spectrum)
    }
}
