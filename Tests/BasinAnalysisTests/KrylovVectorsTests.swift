import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinAnalysis

@Suite("Krylov vector steps")
struct KrylovVectorsTests {
    @Test("the lane-parallel dot product matches Vector.dot", arguments: [0, 1, 7, 8, 9, 1001])
    func dotMatchesReference(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count) + 80)
        let x = KrylovVectors.gaussian(dimension: count, generator: &generator)
        let y = KrylovVectors.gaussian(dimension: count, generator: &generator)
        // Both sum exact Float products in Double; only the order differs.
        expectClose(KrylovVectors.dot(x, y), Vector.dot(x, y), absoluteTolerance: 1e-12)
    }

    @Test("orthogonalisation leaves no component along the basis and keeps the rest")
    func orthogonalize() {
        var generator = SeededGenerator(seed: 81)
        var basis: [[Float]] = []
        for _ in 0..<5 {
            var vector = KrylovVectors.gaussian(dimension: 300, generator: &generator)
            KrylovVectors.orthogonalize(&vector, against: basis)
            KrylovVectors.normalize(&vector)
            basis.append(vector)
        }
        var vector = KrylovVectors.gaussian(dimension: 300, generator: &generator)
        let original = vector
        KrylovVectors.orthogonalize(&vector, against: basis)
        for basisVector in basis {
            #expect(abs(Vector.dot(basisVector, vector)) < 1e-6)
        }
        // What was removed lies in the span of the basis: v − v⊥ = Σ (bᵢ·v) bᵢ.
        var removed = zip(original, vector).map { $0 - $1 }
        KrylovVectors.orthogonalize(&removed, against: basis)
        #expect(Vector.norm(removed) < 1e-5)
    }

    @Test("normalising a zero vector leaves it zero and reports norm 0")
    func zeroVector() {
        var zero: [Float] = [0, 0, 0]
        #expect(KrylovVectors.normalize(&zero) == 0 && zero == [0, 0, 0])
    }

    @Test("the lane-parallel residual norm matches a plain loop", arguments: [3, 8, 1001])
    func residualNorm(count: Int) {
        var generator = SeededGenerator(seed: UInt64(count) + 90)
        let a = KrylovVectors.gaussian(dimension: count, generator: &generator)
        let b = KrylovVectors.gaussian(dimension: count, generator: &generator)
        var squared = 0.0
        for index in 0..<count {
            let difference = Double(a[index]) - 0.7 * Double(b[index])
            squared += difference * difference
        }
        expectClose(
            KrylovVectors.residualNorm(a, minus: 0.7, times: b), squared.squareRoot(),
            absoluteTolerance: 1e-12)
    }
}
