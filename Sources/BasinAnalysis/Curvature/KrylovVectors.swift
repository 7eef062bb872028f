import BasinKernels

/// Vector steps shared by the Krylov methods: Gram–Schmidt against a set of orthonormal
/// vectors, normalisation, and the random starting vectors. Coefficients and norms are
/// accumulated in Double; the vectors stay Float.
enum KrylovVectors {
    /// v ← v − Σⱼ (bⱼ·v)·bⱼ over the orthonormal `basis`, by modified Gram–Schmidt, run
    /// twice: one pass in Float leaves a component of order ε_float·‖v‖·(number of basis
    /// vectors) along the basis, the second removes it ("twice is enough", Giraud,
    /// Langou & Rozložník 2005).
    static func orthogonalize(_ vector: inout [Float], against basis: [[Float]]) {
        for _ in 0..<2 {
            for basisVector in basis {
                let coefficient = Vector.dot(basisVector, vector)
                Vector.axpy(Float(-coefficient), basisVector, &vector)
            }
        }
    }

    /// v ← v/‖v‖ and returns ‖v‖ (before scaling). A zero vector is left unchanged and 0
    /// is returned; the caller decides what a zero vector means.
    @discardableResult
    static func normalize(_ vector: inout [Float]) -> Double {
        let norm = Vector.norm(vector)
        if norm > 0 { Vector.scale(&vector, by: Float(1 / norm)) }
        return norm
    }

    /// n independent standard normal entries.
    static func gaussian(dimension: Int, generator: inout SeededGenerator) -> [Float] {
        (0..<dimension).map { _ in Float(generator.nextGaussian()) }
    }

    /// n independent Rademacher (±1) entries.
    static func rademacher(dimension: Int, generator: inout SeededGenerator) -> [Float] {
        (0..<dimension).map { _ in generator.nextSign() }
    }

    /// ‖a − c·b‖ in Double.
    static func residualNorm(_ a: [Float], minus c: Double, times b: [Float]) -> Double {
        var sum = 0.0
        for index in 0..<a.count {
            let difference = Double(a[index]) - c * Double(b[index])
            sum += difference * difference
        }
        return sum.squareRoot()
    }
}
