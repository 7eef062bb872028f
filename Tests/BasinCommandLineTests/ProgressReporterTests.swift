import Testing

@testable import BasinCommandLine

/// A clock the test moves by hand.
private final class ManualClock {
    var seconds = 0.0
    func read() -> Double { seconds }
}

@Suite("Progress reporter")
struct ProgressReporterTests {
    @Test("on a terminal the bar redraws in place at most 10 times per second")
    func barThrottling() {
        let writer = TextWriter.capturing(isTerminal: true)
        let clock = ManualClock()
        let reporter = ProgressReporter(writer: writer, style: .bar, clock: clock.read)
        let task = reporter.start("train", total: 100, unit: "step")
        // 100 updates over 1 s (one per 10 ms) give about 10 redraws, never 100.
        for step in 1...100 {
            clock.seconds = Double(step) * 0.01
            task.update(completed: step)
        }
        task.finish()
        let redraws = writer.capturedText.components(separatedBy: "\r").count - 1
        #expect(redraws >= 10 && redraws <= 12, "\(redraws) redraws")
        #expect(writer.capturedText.hasSuffix("done in 0:01\u{1B}[K\n"))
    }

    @Test("elsewhere progress is plain lines at the set interval, with no escape codes")
    func plainLines() {
        let writer = TextWriter.capturing()
        let clock = ManualClock()
        let reporter = ProgressReporter(
            writer: writer, style: .lines, clock: clock.read, lineIntervalSeconds: 5)
        let task = reporter.start("eval", total: 20, unit: "batch")
        for batch in 1...20 {
            clock.seconds = Double(batch)
            task.advance()
        }
        task.finish(detail: "accuracy 0.91")
        let lines = writer.capturedText.split(separator: "\n")
        // A line at t = 5, 10, 15 and 20 s, then the final one.
        #expect(lines.count == 5)
        #expect(lines[0] == "eval: 5/20 25%, 1.00 batch/s, ETA 0:15")
        #expect(lines[4] == "eval: 20/20 100%, 1.00 batch/s, done in 0:20, accuracy 0.91")
        #expect(!writer.capturedText.contains("\u{1B}"))
        #expect(!writer.capturedText.contains("\r"))
    }

    @Test("quiet progress writes nothing, notes included")
    func silent() {
        let writer = TextWriter.capturing(isTerminal: true)
        let reporter = ProgressReporter(writer: writer, style: .silent)
        let task = reporter.start("x", total: 2)
        task.advance()
        reporter.note("hello")
        task.finish()
        #expect(writer.capturedText == "")
    }

    @Test("a note clears the bar, prints its line and redraws the bar")
    func noteAboveBar() {
        let writer = TextWriter.capturing(isTerminal: true)
        let clock = ManualClock()
        let reporter = ProgressReporter(writer: writer, style: .bar, clock: clock.read)
        let task = reporter.start("train", total: 4, unit: "step")
        clock.seconds = 1
        task.advance()
        reporter.note("epoch 1: loss 0.5")
        #expect(
            writer.capturedText
                == "\rtrain [######------------------] 1/4 25% 1.00 step/s ETA 0:03\u{1B}[K"
                + "\r\u{1B}[Kepoch 1: loss 0.5\n"
                + "\rtrain [######------------------] 1/4 25% 1.00 step/s ETA 0:03\u{1B}[K")
    }

    @Test("a bar line is cut to the terminal width so it never wraps")
    func narrowTerminal() {
        let writer = TextWriter.capturing(isTerminal: true)
        let clock = ManualClock()
        let reporter = ProgressReporter(writer: writer, style: .bar, clock: clock.read, columns: 30)
        let task = reporter.start("a-long-label", total: 10)
        clock.seconds = 1
        task.advance(detail: "some long detail that would wrap")
        let line = writer.capturedText.dropFirst().replacingOccurrences(of: "\u{1B}[K", with: "")
        #expect(line.count == 29)
    }

    @Test("updates of a finished or replaced task are ignored")
    func staleTasks() {
        let writer = TextWriter.capturing()
        let reporter = ProgressReporter(writer: writer, style: .lines, clock: { 100 })
        let first = reporter.start("first", total: 1)
        first.finish()
        let before = writer.capturedText
        first.advance()
        first.finish()
        #expect(writer.capturedText == before)
        let second = reporter.start("second", total: 1)
        first.finish()
        second.finish()
        #expect(writer.capturedText == before + "second: 0/1 0%, done in 0:00\n")
    }

    @Test("the style follows the writer and --quiet")
    func styleChoice() {
        #expect(
            ProgressReporter.forWriter(.capturing(isTerminal: true), quiet: false).style == .bar)
        #expect(ProgressReporter.forWriter(.capturing(), quiet: false).style == .lines)
        #expect(
            ProgressReporter.forWriter(.capturing(isTerminal: true), quiet: true).style == .silent)
    }
}
