/// Failures of the curvature algorithms that come from their input, not from a mistake in
/// the calling code: an operator that returned non-finite values (a diverged model), an
/// option read from the command line that is out of range, snapshots that do not fit
/// together.
public enum CurvatureError: Error, Equatable, CustomStringConvertible {
    /// The operator returned NaN or ±∞ in `algorithm` at 1-based `step`.
    case nonFiniteProduct(algorithm: String, step: Int)
    /// The option `name` must be `expected`; it was `found`.
    case invalidOption(name: String, expected: String, found: String)
    /// A vector named `what` has `found` entries where `expected` were needed.
    case dimensionMismatch(what: String, expected: Int, found: Int)
    /// Two snapshots that must be consecutive iterations are not.
    case nonConsecutiveSnapshots(previousIteration: Int, nextIteration: Int)
    /// The implicit QL iteration did not isolate eigenvalue `index` of a tridiagonal
    /// matrix of size `dimension` within `iterationLimit` sweeps.
    case tridiagonalSolverDidNotConverge(index: Int, dimension: Int, iterationLimit: Int)

    public var description: String {
        switch self {
        case .nonFiniteProduct(let algorithm, let step):
            return "\(algorithm): the Hessian-vector product at step \(step) contains NaN or "
                + "infinity; expected finite values (are the parameters or the loss finite?)"
        case .invalidOption(let name, let expected, let found):
            return "option \(name): expected \(expected), found \(found)"
        case .dimensionMismatch(let what, let expected, let found):
            return "\(what): expected \(expected) entries, found \(found)"
        case .nonConsecutiveSnapshots(let previous, let next):
            return "snapshots at iterations \(previous) and \(next) are not consecutive; "
                + "the momentum-corrected secant needs one snapshot per iteration"
        case .tridiagonalSolverDidNotConverge(let index, let dimension, let limit):
            return "symmetric tridiagonal eigensolver: eigenvalue \(index) of a "
                + "\(dimension)×\(dimension) matrix not isolated after \(limit) QL sweeps"
        }
    }
}

/// Throws `CurvatureError.invalidOption` unless `condition` holds.
@inline(__always)
func requireOption(
    _ condition: Bool, _ name: String, expected: String, found: @autoclosure () -> String
) throws {
    if !condition {
        throw CurvatureError.invalidOption(name: name, expected: expected, found: found())
    }
}
