/// Which parameters receive weight decay. A flat parameter vector is cut into contiguous
/// segments, each either decayed or exempt; optimizers walk the segments so that the
/// inner loops stay branch-free.
///
/// Build one from the ranges to exempt, typically the slices of a model's parameter layout
/// whose role is bias or BatchNorm weight/bias (the common "no decay on BN and biases"
/// recipe; PyTorch and Smith's papers decay everything, which is the default).
public struct WeightDecayMask: Equatable, Sendable {
    /// One contiguous run of parameters with the same treatment.
    public struct Segment: Equatable, Sendable {
        public var range: Range<Int>
        public var isDecayed: Bool
    }

    public let parameterCount: Int
    /// Ascending, disjoint, non-empty segments that together cover `0..<parameterCount`.
    public let segments: [Segment]

    /// Decay everywhere except in `exemptRanges` (which may overlap or be empty).
    /// - Precondition: every range lies inside `0..<parameterCount`.
    public init(parameterCount: Int, exemptRanges: [Range<Int>] = []) {
        precondition(parameterCount >= 0, "parameter count \(parameterCount) is negative")
        for range in exemptRanges {
            precondition(
                range.lowerBound >= 0 && range.upperBound <= parameterCount,
                "exempt range \(range) lies outside 0..<\(parameterCount)")
        }
        self.parameterCount = parameterCount

        // Merge overlapping or touching exempt ranges, then fill the gaps with decayed ones.
        var merged: [Range<Int>] = []
        for range in exemptRanges.filter({ !$0.isEmpty }).sorted(by: {
            $0.lowerBound < $1.lowerBound
        }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        var segments: [Segment] = []
        var position = 0
        for range in merged {
            if range.lowerBound > position {
                segments.append(Segment(range: position..<range.lowerBound, isDecayed: true))
            }
            segments.append(Segment(range: range, isDecayed: false))
            position = range.upperBound
        }
        if position < parameterCount {
            segments.append(Segment(range: position..<parameterCount, isDecayed: true))
        }
        self.segments = segments
    }

    /// Decay on every parameter.
    public static func decayAll(parameterCount: Int) -> WeightDecayMask {
        WeightDecayMask(parameterCount: parameterCount)
    }

    /// Whether parameter `index` is decayed.
    public func isDecayed(_ index: Int) -> Bool {
        segments.first { $0.range.contains(index) }?.isDecayed ?? false
    }

    /// The number of decayed parameters.
    public var decayedCount: Int {
        segments.filter(\.isDecayed).reduce(0) { $0 + $1.range.count }
    }
}
