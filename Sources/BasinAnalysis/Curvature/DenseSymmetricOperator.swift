import BasinKernels

/// A dense symmetric n×n matrix as a `SymmetricOperator`, in Double, row-major.
///
/// The test bed of the curvature algorithms: `init(eigenvalues:generator:)` builds
/// Q·diag(λ)·Qᵀ with a random orthogonal Q, so every algorithm can be checked against a
/// spectrum known in advance.
public struct DenseSymmetricOperator: SymmetricOperator {
    public let dimension: Int
    /// The matrix, `[dimension, dimension]`, row-major.
    public let entries: [Double]

    /// - Precondition: `entries.count == dimension²` and the matrix is symmetric to within
    ///   1e-12 relative to its largest entry.
    public init(dimension: Int, entries: [Double]) {
        precondition(
            dimension >= 1 && entries.count == dimension * dimension,
            "DenseSymmetricOperator: \(entries.count) entries for dimension \(dimension)")
        let largest = entries.map(abs).max() ?? 0
        for row in 0..<dimension {
            for column in 0..<row {
                let difference = abs(
                    entries[row * dimension + column] - entries[column * dimension + row])
                precondition(
                    difference <= 1e-12 * largest,
                    "DenseSymmetricOperator: entry (\(row), \(column)) differs from its "
                        + "transpose by \(difference)")
            }
        }
        self.dimension = dimension
        self.entries = entries
    }

    /// Q·diag(`eigenvalues`)·Qᵀ with Q drawn from the Haar distribution on the orthogonal
    /// group (`randomOrthogonalMatrix`).
    public init(eigenvalues: [Double], generator: inout SeededGenerator) {
        let orthogonal = DenseSymmetricOperator.randomOrthogonalMatrix(
            dimension: eigenvalues.count, generator: &generator)
        self.init(eigenvalues: eigenvalues, orthogonalMatrix: orthogonal)
    }

    /// Q·diag(`eigenvalues`)·Qᵀ for a given orthogonal Q (`[n, n]`, row-major; column j is
    /// the eigenvector of `eigenvalues[j]`), symmetrised exactly by computing one triangle.
    /// - Precondition: `orthogonalMatrix.count == eigenvalues.count²`.
    public init(eigenvalues: [Double], orthogonalMatrix orthogonal: [Double]) {
        let dimension = eigenvalues.count
        precondition(
            orthogonal.count == dimension * dimension,
            "DenseSymmetricOperator: \(orthogonal.count) entries of Q for \(dimension) "
                + "eigenvalues")
        var entries = [Double](repeating: 0, count: dimension * dimension)
        for row in 0..<dimension {
            for column in 0...row {
                var sum = 0.0
                for k in 0..<dimension {
                    sum +=
                        orthogonal[row * dimension + k] * eigenvalues[k]
                        * orthogonal[column * dimension + k]
                }
                entries[row * dimension + column] = sum
                entries[column * dimension + row] = sum
            }
        }
        self.init(dimension: dimension, entries: entries)
    }

    public mutating func apply(_ vector: [Float], into result: inout [Float]) throws {
        for row in 0..<dimension {
            var sum = 0.0
            let offset = row * dimension
            for column in 0..<dimension {
                sum += entries[offset + column] * Double(vector[column])
            }
            result[row] = Float(sum)
        }
    }

    /// The trace Σ Hᵢᵢ.
    public var trace: Double {
        (0..<dimension).reduce(0) { $0 + entries[$1 * dimension + $1] }
    }

    /// ‖H‖_F² = Σ Hᵢⱼ².
    public var frobeniusNormSquared: Double {
        entries.reduce(0) { $0 + $1 * $1 }
    }

    /// A Haar-random orthogonal matrix, `[dimension, dimension]`, row-major: the Q factor
    /// of the Householder QR factorisation of a matrix of standard normal samples, with
    /// column j multiplied by sign(Rⱼⱼ) (Mezzadri 2007, "How to generate random matrices
    /// from the classical compact groups").
    public static func randomOrthogonalMatrix(
        dimension: Int, generator: inout SeededGenerator
    ) -> [Double] {
        precondition(dimension >= 1, "randomOrthogonalMatrix: dimension \(dimension)")
        let n = dimension
        var matrix = (0..<(n * n)).map { _ in generator.nextGaussian() }
        var reflectors: [[Double]] = []
        var signs = [Double](repeating: 1, count: n)

        // Householder QR: reflector k zeroes column k below the diagonal.
        for k in 0..<n {
            var u = (k..<n).map { matrix[$0 * n + k] }
            let columnNorm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let alpha = u[0] >= 0 ? -columnNorm : columnNorm
            signs[k] = alpha >= 0 ? 1 : -1  // sign of R_kk = alpha
            u[0] -= alpha
            let uNormSquared = u.reduce(0) { $0 + $1 * $1 }
            reflectors.append(u)
            guard uNormSquared > 0 else { continue }
            for column in k..<n {
                var projection = 0.0
                for i in k..<n { projection += u[i - k] * matrix[i * n + column] }
                let factor = 2 * projection / uNormSquared
                for i in k..<n { matrix[i * n + column] -= factor * u[i - k] }
            }
        }

        // Q = H₀·H₁·…·H_{n−1}, accumulated right to left on the identity.
        var q = [Double](repeating: 0, count: n * n)
        for i in 0..<n { q[i * n + i] = 1 }
        for k in stride(from: n - 1, through: 0, by: -1) {
            let u = reflectors[k]
            let uNormSquared = u.reduce(0) { $0 + $1 * $1 }
            guard uNormSquared > 0 else { continue }
            for column in 0..<n {
                var projection = 0.0
                for i in k..<n { projection += u[i - k] * q[i * n + column] }
                let factor = 2 * projection / uNormSquared
                for i in k..<n { q[i * n + column] -= factor * u[i - k] }
            }
        }

        // Sign correction makes the distribution Haar rather than biased by the QR convention.
        for row in 0..<n {
            for column in 0..<n { q[row * n + column] *= signs[column] }
        }
        return q
    }
}
