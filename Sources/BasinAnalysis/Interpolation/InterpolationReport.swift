import BasinNetwork

/// The data an analysis evaluated on, recorded with its results so that they can be
/// repeated and compared.
public struct AnalysisDataRecord: Equatable, Sendable, Codable {
    /// The data set as given to `--data` (`embedded`, a path).
    public var dataset: String
    /// `run.json` (the run's own) or `training split` (computed here).
    public var normalizationSource: String
    public var normalizationMean: [Float]
    public var normalizationStandardDeviation: [Float]
    /// Every evaluated split with its example count.
    public var splits: [SplitSize]
    /// Training images on which mode `reset` recomputes the running statistics.
    public var statisticsImageCount: Int
    public var batchSize: Int
    /// The seed of the fixed subsets.
    public var seed: UInt64

    public struct SplitSize: Equatable, Sendable, Codable {
        public var name: String
        public var exampleCount: Int

        public init(name: String, exampleCount: Int) {
            self.name = name
            self.exampleCount = exampleCount
        }
    }

    public init(
        dataset: String, normalizationSource: String, normalizationMean: [Float],
        normalizationStandardDeviation: [Float], splits: [SplitSize], statisticsImageCount: Int,
        batchSize: Int, seed: UInt64
    ) {
        self.dataset = dataset
        self.normalizationSource = normalizationSource
        self.normalizationMean = normalizationMean
        self.normalizationStandardDeviation = normalizationStandardDeviation
        self.splits = splits
        self.statisticsImageCount = statisticsImageCount
        self.batchSize = batchSize
        self.seed = seed
    }
}

/// Everything `basin interpolate` found about one pair, as written to `analysis.json`.
public struct InterpolationReport: Sendable, Codable {
    public var start: EndpointSummary
    public var end: EndpointSummary
    /// Whether A and B hold the same parameters and running statistics bit for bit.
    public var identical: Bool
    public var distance: WeightDistance
    /// `START:END:COUNT` and the spacing refinement reached around the interior maximum.
    public var grid: String
    public var finestStep: Double
    public var data: AnalysisDataRecord
    /// One curve per split and BatchNorm mode, with its barriers.
    public var curves: [InterpolationCurve]
    /// Wall time of each mode's curves, in seconds.
    public var elapsedSeconds: [String: Double]
    /// α points evaluated at once, and kernel threads.
    public var concurrentPointCount: Int
    public var threadCount: Int
    /// Warnings a reader must see: mismatched metrics, identical ends, negative variances.
    public var warnings: [String]

    public init(
        start: EndpointSummary, end: EndpointSummary, identical: Bool, distance: WeightDistance,
        grid: String, finestStep: Double, data: AnalysisDataRecord, curves: [InterpolationCurve],
        elapsedSeconds: [String: Double], concurrentPointCount: Int, threadCount: Int
    ) {
        self.start = start
        self.end = end
        self.identical = identical
        self.distance = distance
        self.grid = grid
        self.finestStep = finestStep
        self.data = data
        self.curves = curves
        self.elapsedSeconds = elapsedSeconds
        self.concurrentPointCount = concurrentPointCount
        self.threadCount = threadCount
        warnings = Self.warnings(start: start, end: end, identical: identical, curves: curves)
    }

    private static func warnings(
        start: EndpointSummary, end: EndpointSummary, identical: Bool,
        curves: [InterpolationCurve]
    ) -> [String] {
        var result: [String] = []
        if identical {
            result.append(
                "\(start.name) and \(end.name) hold identical weights and statistics: "
                    + "every curve is flat and every barrier is zero")
        }
        for endpoint in [start, end] where endpoint.metricCheck.status == .mismatch {
            let check = endpoint.metricCheck
            result.append(
                "\(endpoint.name): the weights give test loss \(check.evaluatedLoss ?? .nan) "
                    + "but the metadata records \(check.recordedLoss ?? .nan); the file may "
                    + "hold another checkpoint's weights")
        }
        for curve in curves where curve.mode == .interp && curve.split == curves[0].split {
            let affected = curve.points.filter { $0.negativeVarianceCount > 0 }
            guard let first = affected.first, let last = affected.last else { continue }
            result.append(
                "interp: \(affected.count) points (α from \(first.alpha) to \(last.alpha)) "
                    + "have negative interpolated running variances (up to "
                    + "\(curve.largestNegativeVarianceCount)); their losses are NaN")
        }
        return result
    }
}

/// Whether two models hold the same parameters and running statistics exactly.
public func haveIdenticalState(_ a: Model, _ b: Model) -> Bool {
    a.parameters == b.parameters && a.runningStatistics == b.runningStatistics
}
