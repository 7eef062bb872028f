import Foundation

/// What one finished sweep point writes to its own file: the sweep it belongs to, the
/// point and its curve. A rerun skips points whose file exists; a merge reads them back.
public struct SweepPointResult: Codable, Equatable, Sendable {
    /// The identity of the sweep (`SweepIdentity`); results of other sweeps are refused.
    public var sweepIdentity: String
    public var point: SweepPoint
    /// Steps per epoch at the point's batch size.
    public var iterationsPerEpoch: Int
    /// The steps the schedule was set up for (the run may stop earlier on a time budget
    /// or divergence).
    public var plannedIterations: Int
    public var curve: SweepCurve

    public init(
        sweepIdentity: String, point: SweepPoint, iterationsPerEpoch: Int,
        plannedIterations: Int, curve: SweepCurve
    ) {
        self.sweepIdentity = sweepIdentity
        self.point = point
        self.iterationsPerEpoch = iterationsPerEpoch
        self.plannedIterations = plannedIterations
        self.curve = curve
    }

    /// The file name of a point's result: `NAME.json`.
    public static func fileName(_ point: SweepPoint) -> String { point.name + ".json" }

    /// The point's summary under `rules`; a diverged run counts as unstable.
    public func summary(rules: SweepSignalRules, againstLearningRate: Bool) -> SweepPointSummary {
        var summary = SweepPointSummary(
            name: point.name, values: point.values,
            positions: curve.positions(againstLearningRate: againstLearningRate),
            losses: curve.losses, learningRates: curve.learningRates, rules: rules)
        if curve.diverged { summary.signal = .instability }
        return summary
    }

    /// Combines the results of several shards or folders into one list ordered by point
    /// index, whatever order they come in.
    /// - Throws: `AnalysisError.unusableInput` when results belong to different sweeps or
    ///   two results for the same point differ.
    public static func merged(_ groups: [[SweepPointResult]]) throws(AnalysisError)
        -> [SweepPointResult]
    {
        let all = groups.flatMap { $0 }
        guard let identity = all.first?.sweepIdentity else { return [] }
        if let stranger = all.first(where: { $0.sweepIdentity != identity }) {
            throw .unusableInput(
                "results of different sweeps: \(stranger.point.name) has sweep identity "
                    + "\(stranger.sweepIdentity), others \(identity)")
        }
        var byIndex: [Int: SweepPointResult] = [:]
        for result in all {
            if let earlier = byIndex[result.point.index], earlier.curve != result.curve {
                throw .unusableInput(
                    "two different results for point \(result.point.name); "
                        + "a point was run twice with different outcomes")
            }
            byIndex[result.point.index] = result
        }
        return byIndex.keys.sorted().map { byIndex[$0]! }
    }
}

/// A sweep's identity: a 64-bit FNV-1a hash, in hexadecimal, of the canonical text of its
/// grid and every other setting. Shards of one sweep share it; anything that changes what
/// a point computes changes it.
public enum SweepIdentity {
    /// The hash of `settings` written as sorted `key=value` lines.
    public static func of(_ settings: [String: String]) -> String {
        let text = settings.keys.sorted().map { "\($0)=\(settings[$0]!)" }.joined(separator: "\n")
        return hexadecimal(fnv1a(Data(text.utf8)))
    }

    /// FNV-1a, 64 bits: h ← (h ⊕ byte) · 1099511628211 from h = 14695981039346656037.
    public static func fnv1a(_ data: Data) -> UInt64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in data {
            hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
        }
        return hash
    }

    public static func hexadecimal(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
