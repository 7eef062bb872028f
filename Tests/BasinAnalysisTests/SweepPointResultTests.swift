import Foundation
import Testing

@testable import BasinAnalysis

@Suite("Sweep point results")
struct SweepPointResultTests {
    private func result(_ index: Int, identity: String = "a", loss: Double = 1) throws
        -> SweepPointResult
    {
        let point = try SweepGrid(parsing: ["wd=1,2,3,4"]).points[index]
        var curve = SweepCurve()
        curve.iterations = [0, 5]
        curve.learningRates = [0.1, 0.1]
        curve.losses = [2.3, loss]
        curve.accuracies = [0.1, 0.5]
        return SweepPointResult(
            sweepIdentity: identity, point: point, iterationsPerEpoch: 10, plannedIterations: 5,
            curve: curve)
    }

    @Test("merging is independent of the order of the shards and removes duplicates")
    func mergeOrder() throws {
        let first = [try result(0), try result(2)]
        let second = [try result(1), try result(3)]
        let forward = try SweepPointResult.merged([first, second])
        let backward = try SweepPointResult.merged([second.reversed(), first, [try result(2)]])
        #expect(forward == backward)
        #expect(forward.map(\.point.index) == [0, 1, 2, 3])
    }

    @Test("results of different sweeps are refused")
    func differentSweeps() throws {
        #expect {
            _ = try SweepPointResult.merged([[try result(0)], [try result(1, identity: "b")]])
        } throws: { error in
            "\(error)".contains("different sweeps")
        }
    }

    @Test("two different results for one point are refused")
    func conflictingDuplicates() throws {
        #expect {
            _ = try SweepPointResult.merged([[try result(0)], [try result(0, loss: 0.5)]])
        } throws: { error in
            "\(error)".contains("two different results")
        }
    }

    @Test("a diverged run counts as unstable whatever its losses")
    func divergedIsUnstable() throws {
        var diverged = try result(0, loss: 1.0)
        #expect(
            diverged.summary(rules: SweepSignalRules(), againstLearningRate: false).signal
                != .instability)
        diverged.curve.diverged = true
        #expect(
            diverged.summary(rules: SweepSignalRules(), againstLearningRate: false).signal
                == .instability)
    }

    @Test("the identity is FNV-1a of the sorted settings and changes with any setting")
    func identity() {
        // FNV-1a of the empty input is the offset basis; of "a" the published test vector
        // af63dc4c8601ec8c.
        #expect(SweepIdentity.fnv1a(Data()) == 14_695_981_039_346_656_037)
        #expect(
            SweepIdentity.hexadecimal(SweepIdentity.fnv1a(Data("a".utf8))) == "af63dc4c8601ec8c")
        let base = ["wd": "1", "seed": "1"]
        #expect(SweepIdentity.of(base) == SweepIdentity.of(["seed": "1", "wd": "1"]))
        #expect(SweepIdentity.of(base) != SweepIdentity.of(["wd": "1", "seed": "2"]))
    }
}
