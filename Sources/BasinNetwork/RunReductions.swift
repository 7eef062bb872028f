// Dimension letters: n the length of one contiguous run of floats (one sample's plane of
// one channel, S = H·W values).

/// Sums over one contiguous run with eight float32 lanes, the inner reductions of
/// BatchNorm. Float addition is not associative, so the compiler does not vectorise a
/// plain loop; eight running partial sums in a fixed order keep the result deterministic
/// and about eight times faster. A run is at most a few thousand values, so its float32
/// sum loses at most about n·2⁻²⁴ relative; callers add runs in Double.
enum RunReductions {
    /// Σ p[i].
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        laneSum(count, lanes: { load(p, $0) }, scalar: { p[$0] })
    }

    /// Σ a[i]·b[i].
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            let x = UnsafeRawPointer(a + index).loadUnaligned(as: SIMD8<Float>.self)
            let y = UnsafeRawPointer(b + index).loadUnaligned(as: SIMD8<Float>.self)
            lanes.addProduct(x, y)
            index += 8
        }
        var total = lanes.sum()
        while index < count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }

    /// Σ a[i]·x̂[i] with x̂[i] = (x[i] − mean)·scale computed on the fly as BatchNorm's
    /// forward computes it: the same sum as `dot(a, x̂)` on the stored x̂, bit for bit.
    @inline(__always)
    static func normalizedDot(
        _ a: UnsafePointer<Float>, _ x: UnsafePointer<Float>, mean: Float, scale: Float,
        _ count: Int
    ) -> Float {
        normalizedLaneDot(
            count, x, mean: mean, scale: scale, lanes: { load(a, $0) }, scalar: { a[$0] })
    }

    /// Σ p[i]·m[i] with the rectifier's mask m[i] = [z[i] > 0] read off its output z: the
    /// same sum as `sum` on the stored product p⊙m, bit for bit.
    @inline(__always)
    static func maskedSum(_ p: UnsafePointer<Float>, mask z: UnsafePointer<Float>, _ count: Int)
        -> Float
    {
        laneSum(
            count, lanes: { load(p, $0) * rectifierMask(z + $0) },
            scalar: { p[$0] * (z[$0] > 0 ? 1 : 0) })
    }

    /// `normalizedDot(a⊙m, x)` with m = [z > 0] as in `maskedSum`, bit for bit.
    @inline(__always)
    static func maskedNormalizedDot(
        _ a: UnsafePointer<Float>, mask z: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        mean: Float, scale: Float, _ count: Int
    ) -> Float {
        normalizedLaneDot(
            count, x, mean: mean, scale: scale, lanes: { load(a, $0) * rectifierMask(z + $0) },
            scalar: { a[$0] * (z[$0] > 0 ? 1 : 0) })
    }

    /// Σ v[i] for the values `lanes(i)` (eight from i) and `scalar(i)`: eight running sums
    /// added across at the end, then the tail in order.
    @inline(__always)
    private static func laneSum(
        _ count: Int, lanes: (Int) -> SIMD8<Float>, scalar: (Int) -> Float
    ) -> Float {
        var sums = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            sums += lanes(index)
            index += 8
        }
        var total = sums.sum()
        while index < count {
            total += scalar(index)
            index += 1
        }
        return total
    }

    /// Σ v[i]·(x[i] − mean)·scale for the values `lanes(i)` and `scalar(i)`, the lanes
    /// multiplied and added in one rounding, as `dot` does.
    @inline(__always)
    private static func normalizedLaneDot(
        _ count: Int, _ x: UnsafePointer<Float>, mean: Float, scale: Float,
        lanes: (Int) -> SIMD8<Float>, scalar: (Int) -> Float
    ) -> Float {
        var sums = SIMD8<Float>()
        let (means, scales) = (SIMD8<Float>(repeating: mean), SIMD8<Float>(repeating: scale))
        var index = 0
        while index + 8 <= count {
            sums.addProduct(lanes(index), (load(x, index) - means) * scales)
            index += 8
        }
        var total = sums.sum()
        while index < count {
            total += scalar(index) * ((x[index] - mean) * scale)
            index += 1
        }
        return total
    }

    /// Eight values from p[index].
    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>, _ index: Int) -> SIMD8<Float> {
        UnsafeRawPointer(p + index).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// [z[i] > 0] as 0 or 1 for eight values.
    @inline(__always)
    static func rectifierMask(_ z: UnsafePointer<Float>) -> SIMD8<Float> {
        SIMD8<Float>().replacing(
            with: 1, where: UnsafeRawPointer(z).loadUnaligned(as: SIMD8<Float>.self) .> 0)
    }

    /// Σ (p[i] − center)².
    @inline(__always)
    static func squaredDeviation(_ p: UnsafePointer<Float>, center: Float, _ count: Int)
        -> Float
    {
        var lanes = SIMD8<Float>()
        let centers = SIMD8<Float>(repeating: center)
        var index = 0
        while index + 8 <= count {
            let d = UnsafeRawPointer(p + index).loadUnaligned(as: SIMD8<Float>.self) - centers
            lanes.addProduct(d, d)
            index += 8
        }
        var total = lanes.sum()
        while index < count {
            let d = p[index] - center
            total += d * d
            index += 1
        }
        return total
    }
}
