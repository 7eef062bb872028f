import BasinTestSupport
import Testing

@testable import BasinTraining

/// A clock whose timed runs last the given durations, in order: every first read of a
/// pair returns the current time, every second read advances it by the next duration.
final class ScriptedClock {
    private var durations: [Double]
    private var now = 0.0
    private var readCount = 0

    init(durations: [Double]) {
        self.durations = durations
    }

    /// Durations not yet used.
    var remainingCount: Int { durations.count }

    func read() -> Double {
        readCount += 1
        if readCount % 2 == 0 { now += durations.removeFirst() }
        return now
    }
}

@Suite("Repeated timing")
struct RepeatedTimingTests {
    @Test("the summary's median is the middle run, or the mean of the two middle runs")
    func summary() {
        let odd = TimingSummary(seconds: [0.5, 0.125, 2, 0.25, 1])
        #expect(odd.repeatCount == 5)
        expectClose(odd.medianSeconds, 0.5, absoluteTolerance: 1e-15)
        expectClose(odd.bestSeconds, 0.125, absoluteTolerance: 1e-15)
        expectClose(odd.totalSeconds, 3.875, absoluteTolerance: 1e-15)

        let even = TimingSummary(seconds: [4, 1, 3, 2])
        expectClose(even.medianSeconds, 2.5, absoluteTolerance: 1e-15)
        expectClose(even.bestSeconds, 1, absoluteTolerance: 1e-15)
    }

    @Test("warm-up runs are untimed and the minimum count of runs is honoured")
    func warmUpAndMinimumCount() {
        let clock = ScriptedClock(durations: [0.5, 0.25, 1, 8])
        var bodyCount = 0
        let policy = TimingPolicy(warmUpCount: 2, minimumSeconds: 0, minimumRepeatCount: 3)
        let summary = RepeatedTiming.measure(policy, clock: clock.read) { bodyCount += 1 }
        #expect(bodyCount == 5)
        #expect(summary.repeatCount == 3)
        #expect(clock.remainingCount == 1)
        expectClose(summary.medianSeconds, 0.5, absoluteTolerance: 1e-15)
        expectClose(summary.bestSeconds, 0.25, absoluteTolerance: 1e-15)
    }

    @Test("runs continue until the minimum time is reached, then stop")
    func minimumTime() {
        // 0.375 s each: 1.125 s after three runs, the first total at or past 1 s.
        let clock = ScriptedClock(durations: Array(repeating: 0.375, count: 10))
        let policy = TimingPolicy(warmUpCount: 0, minimumSeconds: 1, minimumRepeatCount: 1)
        let summary = RepeatedTiming.measure(policy, clock: clock.read) {}
        #expect(summary.repeatCount == 3)
        expectClose(summary.totalSeconds, 1.125, absoluteTolerance: 1e-15)
    }

    @Test("the maximum count stops work that the clock cannot see")
    func maximumCount() {
        let clock = ScriptedClock(durations: Array(repeating: 0, count: 20))
        let policy = TimingPolicy(
            warmUpCount: 0, minimumSeconds: 1, minimumRepeatCount: 2, maximumRepeatCount: 7)
        let summary = RepeatedTiming.measure(policy, clock: clock.read) {}
        #expect(summary.repeatCount == 7)
        #expect(summary.bestSeconds == 0)
    }

    @Test("throughput is units per run over the median and the fastest run")
    func throughput() {
        let rate = Throughput(
            unitsPerRun: 128, timing: TimingSummary(seconds: [0.5, 0.25, 1]))
        expectClose(rate.medianPerSecond, 256, absoluteTolerance: 0, relativeTolerance: 1e-15)
        expectClose(rate.bestPerSecond, 512, absoluteTolerance: 0, relativeTolerance: 1e-15)
    }
}
