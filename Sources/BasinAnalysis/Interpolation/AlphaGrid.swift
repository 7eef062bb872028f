/// The points α at which the interpolation θ(α) = (1 − α)·θ_A + α·θ_B is evaluated.
///
/// The default grid runs from −0.5 to 1.5 in 41 points (a step of 1/20), the range of Smith
/// and Topin's figures; `refined(values:evaluate:)` then bisects around the largest value
/// inside [0, 1] until the spacing there is at most `finestStep` (1/80 by default), so the
/// height of a narrow barrier is not missed between grid points.
public struct AlphaGrid: Equatable, Sendable, CustomStringConvertible {
    public var start: Double
    public var end: Double
    public var count: Int

    public static let standard = AlphaGrid(start: -0.5, end: 1.5, count: 41)

    public init(start: Double, end: Double, count: Int) {
        precondition(count >= 2 && start < end, "alpha grid needs start < end and count ≥ 2")
        self.start = start
        self.end = end
        self.count = count
    }

    /// Parses `START:END:COUNT`, e.g. `-0.5:1.5:41`.
    public init(parsing text: String) throws(AnalysisError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let start = Double(parts[0]), let end = Double(parts[1]),
            let count = Int(parts[2])
        else {
            throw .invalidArgument(
                "--alpha expects START:END:COUNT, for example -0.5:1.5:41; got '\(text)'")
        }
        guard start.isFinite, end.isFinite, start < end else {
            throw .invalidArgument("--alpha needs a finite START below END; got '\(text)'")
        }
        guard count >= 2, count <= 100_000 else {
            throw .invalidArgument("--alpha needs COUNT between 2 and 100000; got \(count)")
        }
        self.init(start: start, end: end, count: count)
    }

    /// The grid's points, with α = 0 and α = 1 always included so that the ends are
    /// evaluated exactly even when the grid steps past them.
    public var points: [Double] {
        // (1 − t)·start + t·end puts both ends exactly on the grid.
        var result = (0..<count).map { index in
            let t = Double(index) / Double(count - 1)
            return (1 - t) * start + t * end
        }
        for anchor in [0.0, 1.0] where !result.contains(where: { abs($0 - anchor) < 1e-12 }) {
            result.append(anchor)
        }
        // Snap values within rounding of 0 and 1 to them exactly.
        result = result.map { abs($0) < 1e-12 ? 0 : abs($0 - 1) < 1e-12 ? 1 : $0 }
        return result.sorted()
    }

    public var description: String { "\(start):\(end):\(count)" }
}

/// Adds points by bisection around the largest value inside [0, 1] until the neighbours of
/// that maximum are at most `finestStep` away; each new α is evaluated with `evaluate`.
///
/// - Parameters:
///   - alphas: sorted points already evaluated, with `values[i]` the curve at `alphas[i]`.
///   - finestStep: the spacing to reach around the maximum (1/80 by default).
/// - Returns: the sorted points and their values, the new ones included. A curve with no
///   finite value inside [0, 1] is returned unchanged.
public func refineAroundInteriorMaximum(
    alphas: [Double], values: [Double], finestStep: Double = 1.0 / 80,
    evaluate: (Double) throws -> Double
) rethrows -> (alphas: [Double], values: [Double]) {
    precondition(alphas.count == values.count, "alphas and values differ in count")
    var points = Array(zip(alphas, values)).sorted { $0.0 < $1.0 }
    // Each pass halves the gaps beside the current maximum; the limit bounds the work even
    // for a curve whose maximum keeps moving.
    for _ in 0..<64 {
        guard let peak = interiorMaximumIndex(points) else { break }
        var added = false
        for neighbour in [peak - 1, peak + 1] where points.indices.contains(neighbour) {
            let gap = abs(points[neighbour].0 - points[peak].0)
            if gap > finestStep * (1 + 1e-9) {
                let alpha = (points[neighbour].0 + points[peak].0) / 2
                points.append((alpha, try evaluate(alpha)))
                added = true
            }
        }
        if !added { break }
        points.sort { $0.0 < $1.0 }
    }
    return (points.map(\.0), points.map(\.1))
}

/// The index of the largest finite value among the points with α in [0, 1].
private func interiorMaximumIndex(_ points: [(Double, Double)]) -> Int? {
    var best: Int?
    for (index, point) in points.enumerated() where point.0 >= 0 && point.0 <= 1 {
        guard point.1.isFinite else { continue }
        if best == nil || point.1 > points[best!].1 { best = index }
    }
    return best
}
