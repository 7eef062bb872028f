/// Everything `basin barriers` found about a set of checkpoints, as written to
/// `analysis.json`.
public struct BarrierReport: Sendable, Codable {
    /// The checkpoints in order, with their own evaluation and metric checks.
    public var checkpoints: [EndpointSummary]
    public var matrix: BarrierMatrix
    /// `START:END:COUNT` of every pair's line.
    public var grid: String
    public var data: AnalysisDataRecord
    public var elapsedSeconds: Double
    public var warnings: [String]

    public init(
        checkpoints: [EndpointSummary], matrix: BarrierMatrix, grid: String,
        data: AnalysisDataRecord, elapsedSeconds: Double
    ) {
        self.checkpoints = checkpoints
        self.matrix = matrix
        self.grid = grid
        self.data = data
        self.elapsedSeconds = elapsedSeconds
        var warnings: [String] = []
        for checkpoint in checkpoints where checkpoint.metricCheck.status == .mismatch {
            warnings.append(
                "\(checkpoint.name): the weights give test loss "
                    + "\(checkpoint.metricCheck.evaluatedLoss ?? .nan) but the metadata records "
                    + "\(checkpoint.metricCheck.recordedLoss ?? .nan)")
        }
        for pair in matrix.pairs where pair.distance.distance == 0 {
            warnings.append(
                "\(matrix.names[pair.first]) and \(matrix.names[pair.second]) hold identical "
                    + "parameters")
        }
        self.warnings = warnings
    }
}
