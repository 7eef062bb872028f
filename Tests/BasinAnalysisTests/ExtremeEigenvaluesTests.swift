import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

@Suite("Extreme eigenvalues by power iteration or by Lanczos")
struct ExtremeEigenvaluesTests {
    private func matrix(seed: UInt64) -> DenseSymmetricOperator {
        var generator = SeededGenerator(seed: seed)
        return DenseSymmetricOperator(
            eigenvalues: separatedSpectrum(top: [20, 12, 8], bottom: [-6], bulkCount: 76),
            generator: &generator)
    }

    @Test(
        "both methods find the three largest and the smallest eigenvalue",
        arguments: [
            EigenvalueMethod.power, .lanczos,
        ])
    func knownSpectrum(method: EigenvalueMethod) throws {
        var operator_ = matrix(seed: 31)
        var generator = SeededGenerator(seed: 32)
        let result = try ExtremeEigenvalues.compute(
            of: &operator_,
            request: ExtremeEigenvalueRequest(
                method: method, count: 3, includesSmallest: true, maxIterationCount: 400,
                relativeTolerance: 1e-6),
            generator: &generator)
        expectClose(
            result.largest.map(\.eigenvalue), [20, 12, 8], absoluteTolerance: 0,
            relativeTolerance: 1e-3)
        let smallest = try #require(result.smallest)
        expectClose(smallest.eigenvalue, -6, absoluteTolerance: 1e-2)
        #expect(result.largest.map(\.rank) == [1, 2, 3] && smallest.rank == 0)
        #expect(result.largest.allSatisfy { $0.converged })
        for value in result.largest {
            #expect(value.history.count == value.iterationCount - value.historyStart + 1)
        }
    }

    @Test("Lanczos stops once the wanted Ritz values have converged, well before its limit")
    func lanczosStopsEarly() throws {
        var operator_ = matrix(seed: 33)
        var generator = SeededGenerator(seed: 34)
        let result = try ExtremeEigenvalues.compute(
            of: &operator_,
            request: ExtremeEigenvalueRequest(
                method: .lanczos, count: 1, maxIterationCount: 80, relativeTolerance: 1e-3),
            generator: &generator)
        let top = result.largest[0]
        #expect(result.operatorApplicationCount < 40, "\(result.operatorApplicationCount)")
        #expect(top.converged)
        // The error is within the tolerance, and within the residual bound.
        expectClose(top.eigenvalue, 20, absoluteTolerance: 0, relativeTolerance: 1e-3)
        #expect(abs(top.eigenvalue - 20) <= top.residualNorm + 1e-4)
        // The history ends at the final value.
        expectClose(top.history.last ?? 0, top.eigenvalue, absoluteTolerance: 1e-9)
    }

    @Test("a count beyond the dimension is an invalid option")
    func invalidCount() {
        var operator_ = DiagonalOperator(diagonal: [1, 2])
        var generator = SeededGenerator(seed: 35)
        #expect(throws: CurvatureError.self) {
            try ExtremeEigenvalues.compute(
                of: &operator_, request: ExtremeEigenvalueRequest(count: 3),
                generator: &generator)
        }
    }
}
