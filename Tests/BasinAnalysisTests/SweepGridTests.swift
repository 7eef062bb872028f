import Testing

@testable import BasinAnalysis

@Suite("Sweep grid")
struct SweepGridTests {
    @Test("a product of two axes expands with the first flag varying slowest")
    func product() throws {
        let grid = try SweepGrid(parsing: ["wd=1e-4,1e-3", "momentum=0.95,0.9,0.85"])
        let points = grid.points
        #expect(points.count == 6)
        #expect(points.map { $0.values[.weightDecay]! } == [1e-4, 1e-4, 1e-4, 1e-3, 1e-3, 1e-3])
        #expect(points.map { $0.values[.momentum]! } == [0.95, 0.9, 0.85, 0.95, 0.9, 0.85])
        #expect(points.map(\.index) == Array(0..<6))
        #expect(points[4].name == "p004-wd=0.001-momentum=0.9")
    }

    @Test("shards partition the points and each takes every N-th")
    func shards() throws {
        let grid = try SweepGrid(parsing: ["wd=1,2,3,4,5"])
        let shards = (1...2).map { grid.points(shard: $0, of: 2).map(\.index) }
        #expect(shards == [[0, 2, 4], [1, 3]])
        #expect(Set(shards.joined()) == Set(grid.points.map(\.index)))
    }

    @Test(
        "bad grids are rejected with a message naming the problem",
        arguments: [
            ("lr=0.1", "unknown parameter 'lr'"), ("wd=", "has no values"),
            ("wd=1e-4,abc", "'abc' is not a number"), ("batch=128.5", "whole number"),
            ("wd", "expects NAME=V1,V2"), ("momentum=0.9,0.9", "twice"),
        ])
    func badGrid(specification: String, expected: String) {
        do {
            _ = try SweepGrid(parsing: [specification])
            Issue.record("'\(specification)' was accepted")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test("an empty grid and a repeated axis are rejected")
    func emptyAndRepeated() {
        #expect(throws: AnalysisError.self) { try SweepGrid(parsing: []) }
        #expect(throws: AnalysisError.self) { try SweepGrid(parsing: ["wd=1", "wd=2"]) }
    }
}

@Suite("Sweep signals and ranking")
struct SweepSignalTests {
    let rules = SweepSignalRules()

    @Test("synthetic curves get the signal their shape implies")
    func signals() {
        #expect(rules.signal(losses: [2, 1.5, 1.2, 1.0, 0.9, 0.8, 0.7, 0.6]) == .underfitting)
        #expect(rules.signal(losses: [2, 1.2, 0.8, 0.7, 0.75, 0.8, 0.9, 1.0]) == .overfitting)
        #expect(rules.signal(losses: [2, 1.2, 0.8, 0.7, 2.5, 3.0]) == .instability)
        #expect(rules.signal(losses: [2, 1.2, .nan]) == .instability)
        #expect(rules.signal(losses: [2, 1.0, 0.7, 0.70, 0.70, 0.70, 0.70, 0.70]) == .flat)
    }

    @Test("a warm-up rise that recovers is not instability; one that never recovers is")
    func warmUp() {
        let spike: [Double] = [2.3, 0.9, 0.8, 1.6, 0.9, 0.7, 0.6, 0.6]
        let oneCycle: [Double] = [0.01, 0.05, 0.1, 0.2, 0.15, 0.1, 0.05, 0.01]
        let constant = [Double](repeating: 0.1, count: spike.count)
        #expect(rules.signal(losses: spike) == .instability)
        #expect(rules.signal(losses: spike, learningRates: constant) == .instability)
        #expect(rules.signal(losses: spike, learningRates: oneCycle) == .flat)
        let rangeTest: [Double] = [2.3, 1.5, 0.9, 0.7, 1.2, 4.0, 9.0]
        let rising: [Double] = [1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100]
        #expect(rules.signal(losses: rangeTest, learningRates: rising) == .instability)
        // A spike during the warm-up whose loss only returns to within 5% counts as recovered.
        let justBack: [Double] = [2.3, 0.8, 1.3, 0.83, 0.83, 0.83, 0.83, 0.83]
        #expect(rules.signal(losses: justBack, learningRates: oneCycle) == .flat)
        let notBack: [Double] = [2.3, 0.8, 1.3, 0.85, 0.85, 0.85, 0.85, 0.85]
        #expect(rules.signal(losses: notBack, learningRates: oneCycle) == .instability)
    }

    @Test("the flat width is the widest run near the minimum")
    func flatWidth() {
        let positions: [Double] = [0, 1, 2, 3, 4, 5, 6]
        let losses: [Double] = [1, 0.5, 0.51, 0.52, 0.9, 0.5, 0.6]
        #expect(rules.flatWidth(positions: positions, losses: losses) == 2)
    }

    @Test("among nearly equal minima the flatter point wins; a clearly lower one wins outright")
    func ranking() {
        func summary(_ name: String, _ losses: [Double]) -> SweepPointSummary {
            SweepPointSummary(
                name: name, values: [:], positions: losses.indices.map(Double.init), losses: losses,
                rules: rules)
        }
        let narrow = summary("narrow", [1, 0.500, 0.9, 0.9])
        let wide = summary("wide", [1, 0.505, 0.505, 0.505])
        let worse = summary("worse", [1, 0.8, 0.8, 0.8])
        let broken = summary("broken", [.nan, .nan, .nan, .nan])
        let ranking = SweepRanking([narrow, worse, broken, wide], rules: rules)
        #expect(ranking.order == ["wide", "narrow", "worse", "broken"])
        #expect(ranking.best == "wide")
        #expect(ranking.runnerUp == "narrow")
        #expect(abs(ranking.lossMargin! - (0.500 - 0.505)) < 1e-12)
        let clear = SweepRanking([summary("low", [1, 0.3, 0.9]), wide], rules: rules)
        #expect(clear.best == "low")
    }
}
