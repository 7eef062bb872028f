import BasinKernels

/// Stopping rule of the Hutchinson trace estimator.
public struct HutchinsonOptions: Codable, Equatable, Sendable {
    /// Probes never exceed this (PyHessian's `trace(maxIter=100)`).
    public var maxProbeCount: Int
    /// Probes always reach this before the tolerance is tested, so that the standard error
    /// is itself estimated from enough samples.
    public var minProbeCount: Int
    /// Stop when SE/|mean| is below this. PyHessian's `tol=1e-3` instead stops when the
    /// running mean moves by less than that, relative, between two probes, which says
    /// nothing about the error and ended one run after 37 probes; the standard error does.
    public var relativeStandardErrorTolerance: Double

    public init(
        maxProbeCount: Int = 100, minProbeCount: Int = 10,
        relativeStandardErrorTolerance: Double = 1e-2
    ) {
        self.maxProbeCount = maxProbeCount
        self.minProbeCount = minProbeCount
        self.relativeStandardErrorTolerance = relativeStandardErrorTolerance
    }

    func validate() throws {
        try requireOption(
            minProbeCount >= 2, "minProbeCount",
            expected: "at least 2 (a standard error needs "
                + "two samples)", found: "\(minProbeCount)")
        try requireOption(
            maxProbeCount >= minProbeCount, "maxProbeCount",
            expected: "at least minProbeCount \(minProbeCount)", found: "\(maxProbeCount)")
        try requireOption(
            relativeStandardErrorTolerance >= 0, "relativeStandardErrorTolerance",
            expected: "a non-negative number", found: "\(relativeStandardErrorTolerance)")
    }
}

/// The state of the estimate after one probe.
public struct TraceProbe: Codable, Equatable, Sendable {
    /// 1-based probe number.
    public var probeCount: Int
    /// zᵀHz for this probe z.
    public var sample: Double
    /// The mean of the samples so far: the trace estimate.
    public var runningMean: Double
    /// s/√k, s the sample standard deviation of the k samples so far; nil for k = 1.
    public var standardError: Double?
}

/// Why the estimator stopped.
public enum TraceStoppingReason: String, Codable, Sendable {
    /// SE/|mean| fell below the tolerance after the minimum number of probes.
    case standardErrorTolerance
    /// The maximum number of probes was reached first.
    case maxProbeCount
}

/// A Hutchinson estimate of tr(H).
public struct TraceEstimate: Codable, Equatable, Sendable {
    /// The mean of zᵀHz over the probes.
    public var trace: Double
    /// The standard error of that mean, s/√k.
    public var standardError: Double
    /// k, the number of probes (= products H·v).
    public var probeCount: Int
    public var stoppingReason: TraceStoppingReason
    /// One entry per probe.
    public var history: [TraceProbe]
}

/// Hutchinson's estimator tr(H) = E[zᵀHz] for random z with E[zzᵀ] = I (Hutchinson 1990).
///
/// Probes are Rademacher vectors (independent ±1 entries), which minimise the variance
/// among such distributions: Var(zᵀHz) = 2(‖H‖_F² − Σᵢ Hᵢᵢ²). A diagonal H therefore has
/// zero variance and its trace is exact after one probe. The standard error of the mean
/// after k probes is s/√k with s² the unbiased sample variance (Welford's update), so an
/// interval of ±3 SE covers the trace with high probability once k is moderate.
public enum HutchinsonTrace {
    /// Estimates tr(H), drawing the probes from `generator`.
    ///
    /// - Throws: `CurvatureError.invalidOption` for bad options, `.nonFiniteProduct` if
    ///   the operator returns NaN or ±∞, whatever the operator throws.
    public static func estimate<Operator: SymmetricOperator>(
        of hessian: inout Operator, options: HutchinsonOptions = .init(),
        generator: inout SeededGenerator
    ) throws -> TraceEstimate {
        try options.validate()
        let n = hessian.dimension
        var product = [Float](repeating: 0, count: n)
        var mean = 0.0
        var sumOfSquaredDeviations = 0.0
        var history: [TraceProbe] = []

        for probeCount in 1...options.maxProbeCount {
            // One sample zᵀHz, folded into the running mean and variance (Welford).
            let probe = KrylovVectors.rademacher(dimension: n, generator: &generator)
            try hessian.checkedApply(
                probe, into: &product, algorithm: "Hutchinson trace", step: probeCount)
            let sample = KrylovVectors.dot(probe, product)
            let deviation = sample - mean
            mean += deviation / Double(probeCount)
            sumOfSquaredDeviations += deviation * (sample - mean)
            let standardError: Double? =
                probeCount < 2
                ? nil
                : (sumOfSquaredDeviations / Double(probeCount - 1) / Double(probeCount))
                    .squareRoot()
            history.append(
                TraceProbe(
                    probeCount: probeCount, sample: sample, runningMean: mean,
                    standardError: standardError))

            // The relative standard error decides, once enough probes are in.
            if probeCount >= options.minProbeCount, let standardError,
                standardError <= options.relativeStandardErrorTolerance * abs(mean)
            {
                return TraceEstimate(
                    trace: mean, standardError: standardError, probeCount: probeCount,
                    stoppingReason: .standardErrorTolerance, history: history)
            }
        }
        return TraceEstimate(
            trace: mean, standardError: history.last?.standardError ?? 0,
            probeCount: options.maxProbeCount, stoppingReason: .maxProbeCount, history: history)
    }
}
