import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

@Suite("Symmetric operators")
struct SymmetricOperatorTests {
    @Test("the diagonal operator scales each entry")
    func diagonal() throws {
        var operator_ = DiagonalOperator(diagonal: [1, -2, 0.5])
        var result: [Float] = [9, 9, 9]
        try operator_.apply([2, 3, 4], into: &result)
        expectClose(result, [2, -6, 2], absoluteTolerance: 0)
    }

    @Test("the shifted operator subtracts σ·v")
    func shifted() throws {
        var operator_ = ShiftedOperator(DiagonalOperator(diagonal: [1, -2, 0.5]), shift: 3)
        var result: [Float] = [0, 0, 0]
        try operator_.apply([2, 3, 4], into: &result)
        expectClose(result, [-4, -15, -10], absoluteTolerance: 1e-6)
    }

    @Test("a non-finite product becomes an error naming the algorithm and step")
    func nonFinite() {
        var operator_ = FailingOperator(dimension: 4, failingProduct: 3)
        var result = [Float](repeating: 0, count: 4)
        #expect(throws: CurvatureError.nonFiniteProduct(algorithm: "test", step: 7)) {
            for step in 5...9 {
                try operator_.checkedApply(
                    [1, 1, 1, 1], into: &result, algorithm: "test", step: step)
            }
        }
        let message = CurvatureError.nonFiniteProduct(algorithm: "Lanczos", step: 7).description
        #expect(message.contains("Lanczos") && message.contains("step 7"))
    }

    @Test("the observed operator reports every product in order")
    func observed() throws {
        var seen: [Int] = []
        var operator_ = ObservedOperator(DiagonalOperator(diagonal: [1, 2])) { seen.append($0) }
        var result: [Float] = [0, 0]
        for _ in 0..<3 { try operator_.apply([1, 1], into: &result) }
        #expect(seen == [1, 2, 3] && operator_.productCount == 3)
        expectClose(result, [1, 2], absoluteTolerance: 0)
    }
}
