import BasinAnalysis
import BasinKernels

/// Test operators for the curvature suites.

/// Wraps an operator and counts its products.
struct CountingOperator<Base: SymmetricOperator>: SymmetricOperator {
    var base: Base
    var productCount = 0

    init(_ base: Base) { self.base = base }

    var dimension: Int { base.dimension }

    mutating func apply(_ vector: [Float], into result: inout [Float]) throws {
        productCount += 1
        try base.apply(vector, into: &result)
    }
}

/// diag(1, 2, …, n) until product number `failingProduct`, then NaN in every entry, like a
/// model whose loss diverged.
struct FailingOperator: SymmetricOperator {
    let dimension: Int
    let failingProduct: Int
    var productCount = 0

    mutating func apply(_ vector: [Float], into result: inout [Float]) throws {
        productCount += 1
        for index in 0..<dimension {
            result[index] = productCount >= failingProduct ? .nan : Float(index + 1) * vector[index]
        }
    }
}

/// ‖Hv − λv‖ / |λ| computed in Double from the dense matrix, independently of the code
/// under test.
func denseRelativeResidual(_ matrix: DenseSymmetricOperator, _ vector: [Float], _ value: Double)
    -> Double
{
    let n = matrix.dimension
    let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
    var squared = 0.0
    for row in 0..<n {
        var sum = -value * Double(vector[row]) / norm
        for column in 0..<n {
            sum += matrix.entries[row * n + column] * Double(vector[column]) / norm
        }
        squared += sum * sum
    }
    return squared.squareRoot() / abs(value)
}

/// A spectrum with a few separated eigenvalues at the top and the bottom and a bulk in
/// [−1, 1]: `top` descending first, then `bottom`, then `bulkCount` evenly spaced values.
func separatedSpectrum(top: [Double], bottom: [Double], bulkCount: Int) -> [Double] {
    let bulk = (0..<bulkCount).map { -1 + 2 * Double($0) / Double(max(bulkCount - 1, 1)) }
    return top + bottom + bulk
}
