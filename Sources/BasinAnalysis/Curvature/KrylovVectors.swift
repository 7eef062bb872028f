import BasinKernels

/// Vector steps shared by the Krylov methods: Gram–Schmidt against a set of orthonormal
/// vectors, normalisation, and the random starting vectors. Coefficients and norms are
/// accumulated in Double; the vectors stay Float.
enum KrylovVectors {
    /// v ← v − Σⱼ (bⱼ·v)·bⱼ over the orthonormal `basis`, by modified Gram–Schmidt, run
    /// twice. When most of v lies in the span of the basis (a small Lanczos βⱼ), one pass
    /// in Float leaves components of order ε_float·‖v‖ along the basis that are large
    /// relative to what remains; the second pass removes them ("twice is enough", Giraud,
    /// Langou & Rozložník 2005).
    static func orthogonalize(_ vector: inout [Float], against basis: [[Float]]) {
        for _ in 0..<2 {
            for basisVector in basis {
                let coefficient = dot(basisVector, vector)
                Vector.axpy(Float(-coefficient), basisVector, &vector)
            }
        }
    }

    /// Σ xᵢ·yᵢ accumulated in Double like `Vector.dot`, but in eight independent lanes so
    /// that the loop is not bound by the latency of one serial sum; it is the inner loop of
    /// full reorthogonalisation. The summation order differs from `Vector.dot`, the
    /// precision (Double) does not.
    /// - Precondition: `x.count == y.count`.
    static func dot(_ x: [Float], _ y: [Float]) -> Double {
        precondition(x.count == y.count, "dot: counts differ, \(x.count) vs \(y.count)")
        return x.withUnsafeBufferPointer { xBuffer in
            y.withUnsafeBufferPointer { yBuffer in
                let count = xBuffer.count
                guard let xBase = xBuffer.baseAddress, let yBase = yBuffer.baseAddress else {
                    return 0
                }
                var lanes = SIMD8<Double>()
                var index = 0
                while index + 8 <= count {
                    let a = UnsafeRawPointer(xBase + index).loadUnaligned(as: SIMD8<Float>.self)
                    let b = UnsafeRawPointer(yBase + index).loadUnaligned(as: SIMD8<Float>.self)
                    lanes.addProduct(SIMD8<Double>(a), SIMD8<Double>(b))
                    index += 8
                }
                var sum = lanes.sum()
                while index < count {
                    sum += Double(xBase[index]) * Double(yBase[index])
                    index += 1
                }
                return sum
            }
        }
    }

    /// v ← v/‖v‖ and returns ‖v‖ (before scaling). A zero vector is left unchanged and 0
    /// is returned; the caller decides what a zero vector means.
    @discardableResult
    static func normalize(_ vector: inout [Float]) -> Double {
        let norm = dot(vector, vector).squareRoot()
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

    /// ‖a − c·b‖ in Double, in eight lanes like `dot`.
    static func residualNorm(_ a: [Float], minus c: Double, times b: [Float]) -> Double {
        precondition(a.count == b.count, "residualNorm: counts differ, \(a.count) vs \(b.count)")
        return a.withUnsafeBufferPointer { aBuffer in
            b.withUnsafeBufferPointer { bBuffer in
                let count = aBuffer.count
                guard let aBase = aBuffer.baseAddress, let bBase = bBuffer.baseAddress else {
                    return 0
                }
                var lanes = SIMD8<Double>()
                var index = 0
                while index + 8 <= count {
                    let x = UnsafeRawPointer(aBase + index).loadUnaligned(as: SIMD8<Float>.self)
                    let y = UnsafeRawPointer(bBase + index).loadUnaligned(as: SIMD8<Float>.self)
                    let difference = SIMD8<Double>(x) - c * SIMD8<Double>(y)
                    lanes.addProduct(difference, difference)
                    index += 8
                }
                var sum = lanes.sum()
                while index < count {
                    let difference = Double(aBase[index]) - c * Double(bBase[index])
                    sum += difference * difference
                    index += 1
                }
                return sum.squareRoot()
            }
        }
    }
}
