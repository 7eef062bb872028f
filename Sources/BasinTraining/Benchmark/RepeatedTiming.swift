import Dispatch

/// Seconds on a monotonic clock, read once before and once after each timed run. The
/// benchmarks take one as an argument so that tests can drive them with a scripted clock.
public typealias BenchmarkClock = () -> Double

/// The monotonic `DispatchTime` clock in seconds (its origin is arbitrary).
public func monotonicBenchmarkSeconds() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// How often a piece of work is run before its time is reported.
///
/// The work first runs `warmUpCount` times untimed (caches, buffers sized to the batch,
/// thread pools started). Timed runs then repeat until both at least `minimumRepeatCount`
/// runs and at least `minimumSeconds` of timed work are done, or `maximumRepeatCount` runs,
/// whichever comes first.
public struct TimingPolicy: Sendable, Equatable, Codable {
    public var warmUpCount: Int
    public var minimumSeconds: Double
    public var minimumRepeatCount: Int
    public var maximumRepeatCount: Int

    /// - Precondition: `warmUpCount ≥ 0`, `minimumSeconds ≥ 0`,
    ///   `1 ≤ minimumRepeatCount ≤ maximumRepeatCount`.
    public init(
        warmUpCount: Int = 1, minimumSeconds: Double = 1, minimumRepeatCount: Int = 3,
        maximumRepeatCount: Int = 1000
    ) {
        precondition(
            warmUpCount >= 0 && minimumSeconds >= 0 && minimumRepeatCount >= 1
                && minimumRepeatCount <= maximumRepeatCount,
            "timing policy: warmUpCount \(warmUpCount), minimumSeconds \(minimumSeconds), "
                + "repeat counts \(minimumRepeatCount)...\(maximumRepeatCount)")
        self.warmUpCount = warmUpCount
        self.minimumSeconds = minimumSeconds
        self.minimumRepeatCount = minimumRepeatCount
        self.maximumRepeatCount = maximumRepeatCount
    }
}

/// The wall-clock times of the timed runs of one piece of work.
public struct TimingSummary: Sendable, Equatable, Codable {
    /// Number of timed runs (warm-up runs not included).
    public var repeatCount: Int
    /// Median seconds of one run: the middle time, or the mean of the two middle times
    /// for an even count. The median is the figure to quote on a shared machine: a few
    /// runs slowed by other processes do not move it.
    public var medianSeconds: Double
    /// The fastest run, in seconds: the rate the machine reaches when it is quiet.
    public var bestSeconds: Double
    /// Sum of the timed runs, in seconds.
    public var totalSeconds: Double

    /// The summary of `seconds`, one entry per timed run.
    /// - Precondition: `seconds` is not empty and every entry is finite and ≥ 0.
    public init(seconds: [Double]) {
        precondition(!seconds.isEmpty, "a timing summary needs at least one run")
        precondition(
            seconds.allSatisfy { $0.isFinite && $0 >= 0 }, "run times must be ≥ 0: \(seconds)")
        let sorted = seconds.sorted()
        let middle = sorted.count / 2
        repeatCount = sorted.count
        medianSeconds =
            sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        bestSeconds = sorted[0]
        totalSeconds = seconds.reduce(0, +)
    }
}

/// The timing loop every benchmark of `basin bench` goes through.
public enum RepeatedTiming {
    /// Runs `body` as `policy` says and summarizes the timed runs. The clock is read
    /// exactly twice per timed run (before and after) and never during warm-up, so a
    /// scripted clock decides every measured time.
    public static func measure(
        _ policy: TimingPolicy, clock: BenchmarkClock = monotonicBenchmarkSeconds,
        _ body: () -> Void
    ) -> TimingSummary {
        for _ in 0..<policy.warmUpCount { body() }
        var seconds: [Double] = []
        var elapsedSeconds = 0.0
        while seconds.count < policy.maximumRepeatCount
            && (seconds.count < policy.minimumRepeatCount
                || elapsedSeconds < policy.minimumSeconds)
        {
            let start = clock()
            body()
            let duration = max(0, clock() - start)
            seconds.append(duration)
            elapsedSeconds += duration
        }
        return TimingSummary(seconds: seconds)
    }
}

/// A rate derived from a timing: `unitsPerRun` units (images, floating-point operations,
/// products) in each timed run.
public struct Throughput: Sendable, Equatable, Codable {
    /// Units of work in one run: images of a batch, 2·m·n·k operations of a product.
    public var unitsPerRun: Double
    public var timing: TimingSummary
    /// unitsPerRun / medianSeconds.
    public var medianPerSecond: Double
    /// unitsPerRun / bestSeconds.
    public var bestPerSecond: Double

    /// A zero time (a clock too coarse for the work) gives an infinite rate.
    public init(unitsPerRun: Double, timing: TimingSummary) {
        self.unitsPerRun = unitsPerRun
        self.timing = timing
        medianPerSecond = unitsPerRun / timing.medianSeconds
        bestPerSecond = unitsPerRun / timing.bestSeconds
    }
}
