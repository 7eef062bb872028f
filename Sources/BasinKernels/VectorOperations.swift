/// Operations on flat float vectors: the parameter-space arithmetic of training and
/// analysis (dot products, norms, axpy, interpolation). Reductions accumulate in Double so
/// that a dot product of a million parameters keeps about seven significant digits.
public enum Vector {
    /// Σ xᵢ·yᵢ, accumulated in Double.
    /// - Precondition: `x.count == y.count`.
    @inlinable
    public static func dot(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>)
        -> Double
    {
        precondition(x.count == y.count, "dot: counts differ, \(x.count) vs \(y.count)")
        var sum = 0.0
        for index in 0..<x.count { sum += Double(x[index]) * Double(y[index]) }
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
        var sum = 0.0
        for value in x { sum += Double(abs(value)) }
        return sum
    }

    /// y ← a·x + y.
    @inlinable
    public static func axpy(_ a: Float, _ x: [Float], _ y: inout [Float]) {
        precondition(x.count == y.count, "axpy: counts differ, \(x.count) vs \(y.count)")
        x.withUnsafeBufferPointer { xBuffer in
            y.withUnsafeMutableBufferPointer { yBuffer in
                for index in 0..<xBuffer.count { yBuffer[index] += a * xBuffer[index] }
            }
        }
    }

    /// x ← a·x.
    @inlinable
    public static func scale(_ x: inout [Float], by a: Float) {
        x.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<buffer.count { buffer[index] *= a }
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
