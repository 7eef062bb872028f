import Testing

@testable import BasinAnalysis

@Suite("Curvature tables")
struct CurvatureTableTests {
    @Test("gives a header, one row per probe and block, and empty cells for nil")
    func traceTables() {
        let estimate = TraceEstimate(
            trace: 3, standardError: 0.5, probeCount: 2, stoppingReason: .maxProbeCount,
            history: [
                TraceProbe(probeCount: 1, sample: 2.5, runningMean: 2.5, standardError: nil),
                TraceProbe(probeCount: 2, sample: 3.5, runningMean: 3, standardError: 0.5),
            ],
            blockTraces: [
                BlockTraceEstimate(
                    block: ParameterBlock(name: "fc.weight", range: 0..<4), trace: 1.25,
                    standardError: 0.125)
            ])
        let history = estimate.historyTable
        #expect(history.columns == ["probe", "sample", "running_mean", "standard_error"])
        #expect(history.rows == [["1", "2.5", "2.5", ""], ["2", "3.5", "3.0", "0.5"]])
        #expect(estimate.blockTable.rows == [["fc.weight", "0", "4", "1.25", "0.125"]])
    }

    @Test("numbers read back to the same Double")
    func roundTrip() {
        let values = [0.1, 1.0 / 3, -2.5e-17, 6.02214076e23]
        let table = CurvatureTable.smithSecant(
            values.enumerated().map {
                SmithSecantStep(
                    iteration: $0, learningRate: $1, firstDifferenceL1: 1,
                    secondDifferenceL1: 2, estimate: nil, movingAverage: $1)
            })
        let parsed = table.rows.map { Double($0[1])! }
        #expect(parsed == values)
        #expect(table.rows.allSatisfy { $0[4].isEmpty })
    }

    @Test("histories are flattened one row per iteration")
    func histories() {
        let estimate = EigenvalueEstimate(
            eigenvalue: 2, iterationCount: 2, converged: true, residualNorm: 0.1,
            relativeResidual: 0.05, rayleighQuotientHistory: [1.5, 2], shift: nil)
        let table = CurvatureTable.convergenceHistories([estimate, estimate])
        #expect(table.rows.count == 4)
        #expect(table.rows[3] == ["2", "2", "2.0"])
        #expect(CurvatureTable.eigenvalues([estimate]).rows[0].last == "")
    }
}
