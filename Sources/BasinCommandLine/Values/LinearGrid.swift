/// `count` evenly spaced numbers from `start` to `end`, both included, as typed on the
/// command line in the form `START:END:COUNT` (`--alpha -0.5:1.5:41`).
///
/// Point i of n is `(1 − tᵢ)·start + tᵢ·end` with `tᵢ = i / (n − 1)`. This form, rather
/// than `start + i·step`, puts the two ends exactly on `start` and `end` (t = 0 and 1 make
/// one term vanish), which matters when α = 0 and α = 1 must reproduce the checkpoints.
public struct LinearGrid: Equatable, CustomStringConvertible {
    public var start: Double
    public var end: Double
    /// The number of points, at least 2.
    public var count: Int

    /// - Precondition: `count ≥ 2`, both ends finite.
    public init(start: Double, end: Double, count: Int) {
        precondition(count >= 2, "a grid needs at least 2 points, got count \(count)")
        precondition(
            start.isFinite && end.isFinite, "grid ends must be finite, got \(start) and \(end)")
        self.start = start
        self.end = end
        self.count = count
    }

    /// The points in order from `start` to `end`.
    public var values: [Double] {
        (0..<count).map { index in
            let t = Double(index) / Double(count - 1)
            return (1 - t) * start + t * end
        }
    }

    /// The grid as typed: `-0.5:1.5:41`.
    public var description: String { "\(start):\(end):\(count)" }
}

extension LinearGrid: ArgumentValue {
    /// Accepts `START:END:COUNT` with finite numbers and an integer count of at least 2.
    /// `END` may be below `START` (the grid then runs downwards).
    public static var argumentParser: ValueParser<LinearGrid> {
        ValueParser(expectation: "START:END:COUNT, e.g. -0.5:1.5:41") { text in
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3 else { throw InvalidValue() }
            guard let start = Double(parts[0]), start.isFinite,
                let end = Double(parts[1]), end.isFinite
            else {
                throw InvalidValue("START and END must be numbers")
            }
            guard let count = Int(parts[2]) else {
                throw InvalidValue("COUNT must be an integer")
            }
            guard count >= 2 else { throw InvalidValue("COUNT must be at least 2") }
            return LinearGrid(start: start, end: end, count: count)
        }
    }
}
