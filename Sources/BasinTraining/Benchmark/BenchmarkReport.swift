import BasinKernels
import BasinNetwork
import Foundation

/// The processor a benchmark ran on.
public struct BenchmarkMachine: Sendable, Equatable, Codable {
    /// The processor's name as the kernel reports it (`model name` in /proc/cpuinfo), or
    /// "unknown".
    public var processorName: String
    /// Cores the process may use.
    public var coreCount: Int
    /// The 1-minute load average when the benchmark started (runnable processes, as
    /// /proc/loadavg gives it), nil where there is none. Above the core count, other work
    /// competed for the processor and the figures are low.
    public var loadAverage: Double?

    public init(processorName: String, coreCount: Int, loadAverage: Double? = nil) {
        self.processorName = processorName
        self.coreCount = coreCount
        self.loadAverage = loadAverage
    }

    /// The first field of a /proc/loadavg text (`0.52 0.58 0.59 1/467 12345`), or nil.
    public static func loadAverage(procLoadAverage text: String) -> Double? {
        text.split(separator: " ").first.flatMap { Double($0) }
    }

    /// The first `model name` of a /proc/cpuinfo text, spaces collapsed, or nil when it has
    /// none (ARM kernels print no model name).
    public static func processorName(cpuInfo: String) -> String? {
        for line in cpuInfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2,
                parts[0].trimmingCharacters(in: .whitespaces) == "model name"
            else { continue }
            let words = parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" })
            if !words.isEmpty { return words.joined(separator: " ") }
        }
        return nil
    }
}

/// Everything `basin bench` measured, with what it was measured on; `--json` writes it.
public struct BenchmarkReport: Sendable, Equatable, Codable {
    /// When the benchmark ran, ISO 8601 in UTC; given by the caller, never read here.
    public var date: String
    public var machine: BenchmarkMachine
    /// Threads the kernels were allowed.
    public var threadCount: Int
    /// `release` or `debug`: debug builds are not representative.
    public var buildConfiguration: String
    /// The register tile of the matrix product (`GEMMRegisterTile.summary`).
    public var gemmTile: String
    public var timingPolicy: TimingPolicy
    public var gemm: [GEMMBenchmarkResult]
    public var models: [ModelBenchmarkResult]

    public init(
        date: String, machine: BenchmarkMachine, threadCount: Int, buildConfiguration: String,
        gemmTile: String = GEMMRegisterTile.active.summary, timingPolicy: TimingPolicy,
        gemm: [GEMMBenchmarkResult], models: [ModelBenchmarkResult]
    ) {
        self.date = date
        self.machine = machine
        self.threadCount = threadCount
        self.buildConfiguration = buildConfiguration
        self.gemmTile = gemmTile
        self.timingPolicy = timingPolicy
        self.gemm = gemm
        self.models = models
    }
}
