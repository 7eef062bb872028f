import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

@Suite("The diagonal block of a symmetric operator")
struct BlockRestrictedOperatorTests {
    @Test("the product is the principal submatrix times the vector")
    func principalSubmatrix() throws {
        var generator = SeededGenerator(seed: 11)
        let matrix = DenseSymmetricOperator(
            eigenvalues: (0..<9).map { Double($0) - 3 }, generator: &generator)
        let block = ParameterBlock(name: "middle", range: 3..<7)
        var restricted = BlockRestrictedOperator(matrix, block: block)
        #expect(restricted.dimension == 4)
        let u: [Float] = [1, -2, 0.5, 3]
        var product = [Float](repeating: 0, count: 4)
        try restricted.apply(u, into: &product)
        let expected = (3..<7).map { row in
            (3..<7).reduce(0.0) { $0 + matrix.entries[row * 9 + $1] * Double(u[$1 - 3]) }
        }
        expectClose(product.map(Double.init), expected, absoluteTolerance: 1e-5)
    }

    @Test("the block's trace is the sum of the block's diagonal entries")
    func blockTrace() throws {
        var generator = SeededGenerator(seed: 12)
        let matrix = DenseSymmetricOperator(
            eigenvalues: (0..<12).map { Double($0) }, generator: &generator)
        var restricted = BlockRestrictedOperator(
            matrix, block: ParameterBlock(name: "b", range: 2..<10))
        let estimate = try HutchinsonTrace.estimate(
            of: &restricted,
            options: HutchinsonOptions(
                maxProbeCount: 4000, minProbeCount: 4000, relativeStandardErrorTolerance: 0),
            generator: &generator)
        let exact = (2..<10).reduce(0.0) { $0 + matrix.entries[$1 * 12 + $1] }
        #expect(
            abs(estimate.trace - exact) < 4 * estimate.standardError,
            "\(estimate.trace) vs \(exact)")
    }
}
