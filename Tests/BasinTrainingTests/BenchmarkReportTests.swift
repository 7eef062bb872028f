import BasinNetwork
import Foundation
import Testing

@testable import BasinTraining

@Suite("Benchmark report")
struct BenchmarkReportTests {
    @Test("the processor name is the first 'model name' of /proc/cpuinfo, spaces collapsed")
    func processorName() {
        // The layout of Linux's /proc/cpuinfo on x86-64 (fields separated by a tab and ':').
        let cpuInfo = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model name\t: AMD EPYC  9R14 96-Core Processor
            flags\t\t: fpu vme de
            processor\t: 1
            model name\t: Other
            """
        #expect(
            BenchmarkMachine.processorName(cpuInfo: cpuInfo) == "AMD EPYC 9R14 96-Core Processor")
        #expect(
            BenchmarkMachine.processorName(cpuInfo: "processor\t: 0\nBogoMIPS\t: 50.00\n") == nil)
        #expect(BenchmarkMachine.processorName(cpuInfo: "") == nil)
    }

    @Test("the load average is the first field of /proc/loadavg")
    func loadAverage() {
        #expect(
            BenchmarkMachine.loadAverage(procLoadAverage: "12.76 13.35 13.63 14/202 10619\n")
                == 12.76)
        #expect(BenchmarkMachine.loadAverage(procLoadAverage: "") == nil)
    }

    @Test("JSON holds the injected date and every rate, and reads back equal")
    func json() throws {
        let configuration = ModelBenchmarkConfiguration(architecture: .mlp)
        let result = ModelBenchmarkResult(
            configuration: configuration, parameterCount: 10, threadCount: 2,
            training: TimingSummary(seconds: [0.5]), evaluation: TimingSummary(seconds: [2]),
            gradient: TimingSummary(seconds: [0.25]),
            hessianVectorProduct: TimingSummary(seconds: [0.5]),
            repeatedHessianVectorProduct: TimingSummary(seconds: [0.375]))
        let report = BenchmarkReport(
            date: "2026-01-02T03:04:05Z",
            machine: BenchmarkMachine(processorName: "Test CPU", coreCount: 2), threadCount: 2,
            buildConfiguration: "release", timingPolicy: TimingPolicy(),
            gemm: [
                GEMMBenchmarkResult(
                    shape: GEMMShape(m: 2, n: 2, k: 2), threadCount: 2,
                    timing: TimingSummary(seconds: [1e-6]))
            ],
            models: [result])

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["date"] as? String == "2026-01-02T03:04:05Z")
        let models = try #require(object["models"] as? [[String: Any]])
        #expect(models.count == 1)
        let measured = models[0]
        let training = try #require(measured["training"] as? [String: Any])
        #expect(training["medianPerSecond"] as? Double == 256)
        #expect(measured["hessianToGradientRatio"] as? Double == 2)
        #expect(measured["repeatedHessianToGradientRatio"] as? Double == 1.5)
        #expect(try JSONDecoder().decode(BenchmarkReport.self, from: data) == report)
    }
}
