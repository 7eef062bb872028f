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

/// A named contiguous range of parameter entries (a layer's weight, say), for per-block
/// traces.
public struct ParameterBlock: Codable, Equatable, Sendable {
    public var name: String
    /// First entry of the block.
    public var lowerBound: Int
    /// One past the last entry.
    public var upperBound: Int

    public init(name: String, range: Range<Int>) {
        self.name = name
        lowerBound = range.lowerBound
        upperBound = range.upperBound
    }

    public var range: Range<Int> { lowerBound..<upperBound }
}

/// The Hutchinson estimate of the trace of one diagonal block H_bb.
public struct BlockTraceEstimate: Codable, Equatable, Sendable {
    public var block: ParameterBlock
    /// The mean of Σ_{i∈b} zᵢ(Hz)ᵢ over the probes.
    public var trace: Double
    /// Its standard error; 0 with fewer than two probes.
    public var standardError: Double
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
    /// tr(H_bb) for each requested block, from the same probes.
    public var blockTraces: [BlockTraceEstimate]
}

/// Hutchinson's estimator tr(H) = E[zᵀHz] for random z with E[zzᵀ] = I (Hutchinson 1990).
///
/// Probes are Rademacher vectors (independent ±1 entries), which minimise the variance
/// among such distributions: Var(zᵀHz) = 2(‖H‖_F² − Σᵢ Hᵢᵢ²). A diagonal H therefore has
/// zero variance and its trace is exact after one probe. The standard error of the mean
/// after k probes is s/√k with s² the unbiased sample variance (Welford's update), so an
/// interval of ±3 SE covers the trace with high probability once k is moderate.
///
/// The same probes give the trace of any diagonal block b (a layer): E[Σ_{i∈b} zᵢ(Hz)ᵢ] =
/// tr(H_bb), because E[zᵢzⱼ] = 0 for i ≠ j. These per-layer traces cost no extra product.
public enum HutchinsonTrace {
    /// Estimates tr(H) and the traces of `blocks`, drawing the probes from `generator`.
    /// The stopping rule looks at the total trace only.
    ///
    /// - Throws: `CurvatureError.invalidOption` for bad options, `.nonFiniteProduct` if
    ///   the operator returns NaN or ±∞, whatever the operator throws.
    /// - Precondition: every block lies within 0..<n.
    public static func estimate<Operator: SymmetricOperator>(
        of hessian: inout Operator, options: HutchinsonOptions = .init(),
        blocks: [ParameterBlock] = [], generator: inout SeededGenerator
    ) throws -> TraceEstimate {
        try options.validate()
        let n = hessian.dimension
        for block in blocks {
            precondition(
                block.lowerBound >= 0 && block.lowerBound <= block.upperBound
                    && block.upperBound <= n,
                "Hutchinson: block \(block.name) \(block.range) outside 0..<\(n)")
        }
        var product = [Float](repeating: 0, count: n)
        var total = RunningMoments()
        var perBlock = [RunningMoments](repeating: RunningMoments(), count: blocks.count)
        var history: [TraceProbe] = []

        func result(_ reason: TraceStoppingReason) -> TraceEstimate {
            TraceEstimate(
                trace: total.mean, standardError: total.standardError ?? 0,
                probeCount: total.count, stoppingReason: reason, history: history,
                blockTraces: zip(blocks, perBlock).map {
                    BlockTraceEstimate(
                        block: $0, trace: $1.mean, standardError: $1.standardError ?? 0)
                })
        }

        for probeCount in 1...options.maxProbeCount {
            // One sample zᵀHz and one per block, into the running moments.
            let probe = KrylovVectors.rademacher(dimension: n, generator: &generator)
            try hessian.checkedApply(
                probe, into: &product, algorithm: "Hutchinson trace", step: probeCount)
            let sample = KrylovVectors.dot(probe, product)
            total.add(sample)
            for (index, block) in blocks.enumerated() {
                var blockSample = 0.0
                for entry in block.range {
                    blockSample += Double(probe[entry]) * Double(product[entry])
                }
                perBlock[index].add(blockSample)
            }
            history.append(
                TraceProbe(
                    probeCount: probeCount, sample: sample, runningMean: total.mean,
                    standardError: total.standardError))

            // The relative standard error decides, once enough probes are in.
            if probeCount >= options.minProbeCount, let standardError = total.standardError,
                standardError <= options.relativeStandardErrorTolerance * abs(total.mean)
            {
                return result(.standardErrorTolerance)
            }
        }
        return result(.maxProbeCount)
    }
}

/// The running mean and variance of a stream of samples (Welford 1962): stable where the
/// textbook Σx² − (Σx)²/k cancels catastrophically.
struct RunningMoments {
    private(set) var count = 0
    private(set) var mean = 0.0
    private var sumOfSquaredDeviations = 0.0

    mutating func add(_ sample: Double) {
        count += 1
        let deviation = sample - mean
        mean += deviation / Double(count)
        sumOfSquaredDeviations += deviation * (sample - mean)
    }

    /// s/√k with s² = Σ(x − mean)²/(k − 1); nil for fewer than two samples.
    var standardError: Double? {
        count < 2 ? nil : (sumOfSquaredDeviations / Double(count - 1) / Double(count)).squareRoot()
    }
}
