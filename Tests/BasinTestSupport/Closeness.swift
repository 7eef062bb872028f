import Testing

/// The largest elementwise violation of `|actual − expected| ≤ absolute + relative·|expected|`.
public struct Discrepancy: CustomStringConvertible {
    public var index: Int
    public var actual: Double
    public var expected: Double
    public var excess: Double

    public var description: String {
        "largest difference at index \(index): actual \(actual), expected \(expected) "
            + "(exceeds tolerance by \(excess))"
    }
}

/// Compares two sequences elementwise, shape (count) first, and returns the worst
/// violation of the tolerance, or nil when every element is within it. NaN never passes.
public func worstDiscrepancy(
    _ actual: [Double], _ expected: [Double], absoluteTolerance: Double,
    relativeTolerance: Double
) -> Discrepancy? {
    precondition(
        actual.count == expected.count, "counts differ: \(actual.count) vs \(expected.count)")
    var worst: Discrepancy?
    for index in actual.indices {
        let limit = absoluteTolerance + relativeTolerance * abs(expected[index])
        let difference = abs(actual[index] - expected[index])
        let excess = difference.isNaN ? Double.infinity : difference - limit
        if excess > 0, excess > (worst?.excess ?? 0) {
            worst = Discrepancy(
                index: index, actual: actual[index], expected: expected[index], excess: excess)
        }
    }
    return worst
}

/// Expects `actual` to match `expected` in count and within the tolerances; the failure
/// message names the largest difference and where it is.
public func expectClose(
    _ actual: [Double], _ expected: [Double], absoluteTolerance: Double,
    relativeTolerance: Double = 0, _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        actual.count == expected.count, "count \(actual.count) ≠ \(expected.count) \(comment)",
        sourceLocation: sourceLocation)
    guard actual.count == expected.count else { return }
    let worst = worstDiscrepancy(
        actual, expected, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance
    )
    #expect(
        worst == nil, "\(worst.map(String.init(describing:)) ?? "") \(comment)",
        sourceLocation: sourceLocation)
}

/// `expectClose` for Float arrays, compared in Double.
public func expectClose(
    _ actual: [Float], _ expected: [Float], absoluteTolerance: Double,
    relativeTolerance: Double = 0, _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectClose(
        actual.map(Double.init), expected.map(Double.init), absoluteTolerance: absoluteTolerance,
        relativeTolerance: relativeTolerance, comment, sourceLocation: sourceLocation)
}

/// `expectClose` for two scalars.
public func expectClose(
    _ actual: Double, _ expected: Double, absoluteTolerance: Double,
    relativeTolerance: Double = 0, _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectClose(
        [actual], [expected], absoluteTolerance: absoluteTolerance,
        relativeTolerance: relativeTolerance, comment, sourceLocation: sourceLocation)
}
