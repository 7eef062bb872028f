/// Operations on flat float vectors: the parameter-space arithmetic of training and
/// analysis (dot products, norms, axpy, interpolation). Reductions accumulate in Double so
/// that a dot product of a million parameters keeps about seven significant digits.
/// The loops run eight lanes at a time (each lane a Double partial sum, the lanes added
/// at the end), so a sum's rounding differs from a sequential Double loop by far less
/// than one Float ulp, and is the same on every run.
public enum Vector {
    /// Σ xᵢ·yᵢ, accumulated in Double.
    /// - Precondition: `x.count == y.count`.
    @inlinable
    public static func dot(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>)
        -> Double
    {
        precondition(x.count == y.count, "dot: counts differ, \(x.count) vs \(y.count)")
        guard let xBase = x.baseAddress, let yBase = y.baseAddress else { return 0 }
        let xRaw = UnsafeRawPointer(xBase)
        let yRaw = UnsafeRawPointer(yBase)
        var lanes = SIMD8<Double>()
        var index = 0
        while index + 8 <= x.count {
            let xValues = xRaw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            let yValues = yRaw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
            lanes.addProduct(SIMD8<Double>(xValues), SIMD8<Double>(yValues))
            index += 8
        }
        var sum = lanes.sum()
        while index < x.count {
            sum += Double(x[index]) * Double(y[index])
            index += 1
        }
        return sum
    }

    /// Σ xᵢ·yᵢ for arrays.
    @inlinable
    public static func dot(_ x: [Float], _ y: [Float]) -> Double {
        x.withUnsafeBufferPointer { xBuffer in
            y.withUnsafeBufferPointer { dot(xBuffer, $0) }
        }
    }

    /// √(Σ xᵢ²), accumulated in Double.
    @inlinable
    public static func norm(_ x: [Float]) -> Double { dot(x, x).squareRoot() }

    /// Σ |xᵢ|, accumulated in Double.
    @inlinable
    public static func absoluteSum(_ x: [Float]) -> Double {
        x.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            let raw = UnsafeRawPointer(base)
            var lanes = SIMD8<Double>()
            var index = 0
            while index + 8 <= buffer.count {
                let values = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                lanes += SIMD8<Double>(values.replacing(with: -values, where: values .< 0))
                index += 8
            }
            var sum = lanes.sum()
            while index < buffer.count {
                sum += Double(abs(buffer[index]))
                index += 1
            }
            return sum
        }
    }

    /// y ← a·x + y.
    @inlinable
    public static func axpy(_ a: Float, _ x: [Float], _ y: inout [Float]) {
        precondition(x.count == y.count, "axpy: counts differ, \(x.count) vs \(y.count)")
        x.withUnsafeBufferPointer { xBuffer in
            y.withUnsafeMutableBufferPointer { yBuffer in
                guard let xBase = xBuffer.baseAddress, let yBase = yBuffer.baseAddress else {
                    return
                }
                let xRaw = UnsafeRawPointer(xBase)
                let yRaw = UnsafeMutableRawPointer(yBase)
                var index = 0
                while index + 8 <= xBuffer.count {
                    let offset = index * 4
                    let xValues = xRaw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                    let yValues = yRaw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                    // a·x + y rounded twice, as in the scalar tail (no fused multiply-add).
                    yRaw.storeBytes(
                        of: yValues + a * xValues, toByteOffset: offset, as: SIMD8<Float>.self)
                    index += 8
                }
                while index < xBuffer.count {
                    yBuffer[index] += a * xBuffer[index]
                    index += 1
                }
            }
        }
    }

    /// x ← a·x.
    @inlinable
    public static func scale(_ x: inout [Float], by a: Float) {
        x.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            BasinKernels.scale(base, by: a, count: buffer.count)
        }
    }

    /// (1 − α)·x + α·y, elementwise; α outside [0, 1] extrapolates.
    @inlinable
    public static func interpolated(_ x: [Float], _ y: [Float], alpha: Double) -> [Float] {
        precondition(x.count == y.count, "interpolated: counts differ, \(x.count) vs \(y.count)")
        var result = [Float](repeating: 0, count: x.count)
        let weightX = 1 - alpha
        for index in 0..<x.count {
            result[index] = Float(weightX * Double(x[index]) + alpha * Double(y[index]))
        }
        return result
    }
}
