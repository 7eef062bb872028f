/// A symmetric linear map on ℝⁿ given only by its action v ↦ Hv.
///
/// The curvature algorithms (power iteration, Lanczos, Hutchinson, stochastic Lanczos
/// quadrature) see a Hessian only through this protocol, so they run unchanged on a
/// network's exact Hessian-vector product and on the small matrices with known spectra
/// that test them.
///
/// Vectors are Float, like model parameters; the algorithms accumulate dot products in
/// Double (`Vector.dot`) and do their small dense work (tridiagonal matrices, Ritz values)
/// in Double.
public protocol SymmetricOperator {
    /// n, the length of the vectors the operator acts on.
    var dimension: Int { get }

    /// Writes H·`vector` into `result`.
    ///
    /// - Parameters:
    ///   - vector: n entries; not modified.
    ///   - result: n entries on entry (their values are ignored); H·vector on return.
    /// - Throws: whatever the underlying product throws (a model that cannot evaluate).
    mutating func apply(_ vector: [Float], into result: inout [Float]) throws
}

extension SymmetricOperator {
    /// Applies the operator and checks the product: every curvature algorithm goes through
    /// here, so a diverged model (NaN loss) stops with an error naming the algorithm and
    /// the step instead of producing NaN eigenvalues.
    mutating func checkedApply(
        _ vector: [Float], into result: inout [Float], algorithm: String, step: Int
    ) throws {
        precondition(
            vector.count == dimension && result.count == dimension,
            "\(algorithm): vector \(vector.count) and result \(result.count) entries, "
                + "operator dimension \(dimension)")
        try apply(vector, into: &result)
        for value in result where !value.isFinite {
            throw CurvatureError.nonFiniteProduct(algorithm: algorithm, step: step)
        }
    }
}

/// H − σ·I for a symmetric operator H and a shift σ.
///
/// Its eigenvalues are λᵢ − σ with the same eigenvectors. With σ = λ_max, every shifted
/// eigenvalue is ≤ 0 and the one of largest magnitude is λ_min − λ_max, which is how power
/// iteration finds the most negative eigenvalue.
public struct ShiftedOperator<Base: SymmetricOperator>: SymmetricOperator {
    public var base: Base
    public var shift: Double

    public init(_ base: Base, shift: Double) {
        self.base = base
        self.shift = shift
    }

    public var dimension: Int { base.dimension }

    public mutating func apply(_ vector: [Float], into result: inout [Float]) throws {
        try base.apply(vector, into: &result)
        for index in 0..<vector.count {
            result[index] = Float(Double(result[index]) - shift * Double(vector[index]))
        }
    }
}

/// diag(d)·v: the operator with eigenvalues d and the standard basis as eigenvectors.
public struct DiagonalOperator: SymmetricOperator {
    /// The diagonal, n entries.
    public var diagonal: [Double]

    public init(diagonal: [Double]) {
        self.diagonal = diagonal
    }

    public var dimension: Int { diagonal.count }

    public mutating func apply(_ vector: [Float], into result: inout [Float]) throws {
        for index in 0..<diagonal.count {
            result[index] = Float(diagonal[index] * Double(vector[index]))
        }
    }
}

/// Passes products through to `base` and calls `observe` after each with the running
/// count: how a command reports progress of a long curvature computation (each product is
/// one Hessian-vector product, the unit of cost) without the library printing anything.
public struct ObservedOperator<Base: SymmetricOperator>: SymmetricOperator {
    public var base: Base
    /// Products so far.
    public private(set) var productCount = 0
    private let observe: (Int) -> Void

    public init(_ base: Base, observe: @escaping (Int) -> Void) {
        self.base = base
        self.observe = observe
    }

    public var dimension: Int { base.dimension }

    public mutating func apply(_ vector: [Float], into result: inout [Float]) throws {
        try base.apply(vector, into: &result)
        productCount += 1
        observe(productCount)
    }
}
