import BasinKernels
import BasinTestSupport
import Testing

@Suite("vector operations against sequential Double loops")
struct VectorOperationsTests {
    static let counts = [0, 1, 7, 8, 9, 1001]

    @Test("dot, norm and absolute sum agree with sequential sums", arguments: counts)
    func reductions(count: Int) {
        let x = uniformValues(count, seed: 51)
        let y = uniformValues(count, seed: 52)
        var dot = 0.0
        var absoluteSum = 0.0
        for index in 0..<count {
            dot += Double(x[index]) * Double(y[index])
            absoluteSum += Double(abs(x[index]))
        }
        // Products of Floats are exact in Double; only the order of the sums differs.
        expectClose(Vector.dot(x, y), dot, absoluteTolerance: 1e-12)
        expectClose(Vector.absoluteSum(x), absoluteSum, absoluteTolerance: 1e-12)
        let squares = x.reduce(0.0) { $0 + Double($1) * Double($1) }
        expectClose(Vector.norm(x), squares.squareRoot(), absoluteTolerance: 1e-12)
    }

    @Test("axpy and scale match the scalar formulas exactly", arguments: counts)
    func updates(count: Int) {
        let x = uniformValues(count, seed: 53)
        var y = uniformValues(count, seed: 54)
        let expected = zip(x, y).map { $1 + 0.75 * $0 }
        Vector.axpy(0.75, x, &y)
        #expect(y == expected)
        var scaled = x
        Vector.scale(&scaled, by: 3)
        #expect(scaled == x.map { 3 * $0 })
    }

    @Test("interpolation hits both ends and the midpoint (closed form)")
    func interpolation() {
        let x: [Float] = [0, 2, -4]
        let y: [Float] = [1, 4, 4]
        #expect(Vector.interpolated(x, y, alpha: 0) == x)
        #expect(Vector.interpolated(x, y, alpha: 1) == y)
        #expect(Vector.interpolated(x, y, alpha: 0.5) == [0.5, 3, 0])
    }
}
