import Testing

@testable import BasinCommandLine

@Suite("Progress line text")
struct ProgressLineTests {
    private let snapshot = ProgressSnapshot(
        label: "train", completed: 250, total: 1000, unit: "step", elapsedSeconds: 10,
        detail: "loss 0.532")

    @Test("the bar shows fraction, count, rate, time left and detail")
    func bar() {
        // 250 steps in 10 s is 25 step/s; 750 left at that rate take 30 s.
        #expect(
            snapshot.barText(barWidth: 8, finished: false)
                == "train [##------] 250/1000 25% 25.0 step/s ETA 0:30 loss 0.532")
    }

    @Test("plain lines carry the same facts without control characters")
    func plain() {
        #expect(
            snapshot.plainText(finished: false)
                == "train: 250/1000 25%, 25.0 step/s, ETA 0:30, loss 0.532")
    }

    @Test("a finished task shows the elapsed time instead of an estimate")
    func finished() {
        var done = snapshot
        done.completed = 1000
        done.elapsedSeconds = 40
        #expect(
            done.plainText(finished: true)
                == "train: 1000/1000 100%, 25.0 step/s, done in 0:40, loss 0.532")
    }

    @Test("without a total there is no bar, percentage or estimate")
    func unknownTotal() {
        let open = ProgressSnapshot(
            label: "scan", completed: 30, total: nil, unit: "batch", elapsedSeconds: 2,
            detail: nil)
        #expect(open.barText(barWidth: 8, finished: false) == "scan 30 batch 15.0 batch/s")
    }

    @Test("before any time has passed there is no rate")
    func noRateYet() {
        let start = ProgressSnapshot(
            label: "x", completed: 0, total: 10, unit: "step", elapsedSeconds: 0, detail: nil)
        #expect(start.plainText(finished: false) == "x: 0/10 0%")
        #expect(start.ratePerSecond == nil)
    }

    @Test("durations read as a clock, rounded up; rates keep three figures")
    func formatting() {
        #expect(formatDuration(0) == "0:00")
        #expect(formatDuration(0.2) == "0:01")
        #expect(formatDuration(59.5) == "1:00")
        #expect(formatDuration(3723) == "1:02:03")
        #expect(formatDuration(.infinity) == "?")
        #expect(formatRate(0.5234) == "0.523")
        #expect(formatRate(3.14159) == "3.14")
        #expect(formatRate(38.24) == "38.2")
        #expect(formatRate(412.4) == "412")
    }
}
