import BasinKernels
import BasinNetwork
import BasinTestSupport
import BasinTraining
import Foundation
import Testing

@testable import BasinCommandLine

// Serialized: runs of the command set the process-wide kernel thread count.
@Suite("bench command", .serialized)
struct BenchCommandTests {
    @Test("--models takes zoo names separated by commas, each once")
    func modelList() throws {
        let parser = BenchCommand.architectureListParser
        #expect(try parser.parse("mlp,cnn,resnet20") == [.mlp, .cnn, .resnet20])
        #expect(try parser.parse("resnet56") == [.resnet56])
        #expect(throws: InvalidValue("'vgg' is not a network of the zoo")) {
            try parser.parse("mlp,vgg")
        }
        #expect(throws: InvalidValue("'mlp' is named twice")) { try parser.parse("mlp,mlp") }
        #expect(throws: InvalidValue("'' is not a network of the zoo")) { try parser.parse("") }
    }

    @Test("bad values are usage errors that name the flag")
    func usageErrors() {
        let threads = run(["bench", "--threads", "0"], program: .basin)
        #expect(threads.status == 2)
        #expect(
            threads.standardError.hasPrefix(
                "basin: error: --threads expects a positive integer; got '0' (must be at least 1)"))
        let models = run(["bench", "--models", "mlp,vgg"], program: .basin)
        #expect(models.status == 2)
        #expect(models.standardError.contains("'vgg' is not a network of the zoo"))
        #expect(run(["bench", "--seconds", "-1"], program: .basin).status == 2)
    }

    @Test("--skip-gemm leaves out the matrix products")
    func skipGEMM() {
        let result = run(
            ["bench", "--skip-gemm", "--models", "mlp", "--threads", "1", "--seconds", "0"],
            program: .basin)
        #expect(result.status == 0)
        #expect(!result.standardOutput.contains("GFLOP/s"))
        #expect(result.standardOutput.contains("\nmlp "))
    }

    @Test("a run prints the table, writes the JSON and shows progress on stderr")
    func fullRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "basin-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bench.json").path
        let result = run(
            ["bench", "--models", "mlp", "--threads", "1", "--seconds", "0", "--json", path],
            program: .basin)

        #expect(result.status == 0)
        #expect(result.standardOutput.contains(", 1 thread, \(GEMMRegisterTile.active.summary)\n"))
        #expect(result.standardOutput.contains("\n2048×2048×2048 "))
        #expect(result.standardOutput.contains("\nmlp       669,706 "))
        #expect(result.standardOutput.hasSuffix("wrote \(path)\n"))
        #expect(result.standardError.contains("bench: 8/8 100%"))

        let report = try JSONDecoder().decode(
            BenchmarkReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(report.threadCount == 1)
        #expect(report.gemmTile == GEMMRegisterTile.active.summary)
        #if DEBUG
            #expect(result.standardError.contains("warning: this is a debug build"))
            #expect(report.buildConfiguration == "debug")
        #else
            #expect(report.buildConfiguration == "release")
        #endif
        #expect(report.gemm.map(\.shape) == GEMMBenchmark.referenceShapes)
        #expect(report.models.map(\.configuration.architecture) == [.mlp])
        #expect(report.models[0].configuration.trainingBatchSize == 128)
        #expect(report.models[0].threadCount == 1)
        #expect(report.date.hasSuffix("Z") && report.date.count == 20)
    }
}

@Suite("bench table")
struct BenchmarkTableTests {
    @Test("the table shows rates of the median and the fastest run")
    func table() throws {
        let gemm = GEMMBenchmarkResult(
            shape: GEMMShape(m: 2048, n: 2048, k: 2048), threadCount: 2,
            timing: TimingSummary(seconds: [0.1, 0.11, 0.125]))
        let model = ModelBenchmarkResult(
            configuration: ModelBenchmarkConfiguration(architecture: .mlp),
            parameterCount: 669_706, threadCount: 2,
            training: TimingSummary(seconds: [0.004, 0.005]),
            evaluation: TimingSummary(seconds: [0.008]),
            gradient: TimingSummary(seconds: [0.003]),
            hessianVectorProduct: TimingSummary(seconds: [0.25, 0.2]),
            repeatedHessianVectorProduct: TimingSummary(seconds: [0.006]))
        let report = BenchmarkReport(
            date: "2026-01-02T03:04:05Z",
            machine: BenchmarkMachine(processorName: "Test CPU", coreCount: 2, loadAverage: 0.5),
            threadCount: 2,
            buildConfiguration: "release", gemmTile: "8×16 tile, AVX-512",
            timingPolicy: TimingPolicy(),
            gemm: [gemm],
            models: [model])
        try expectSnapshot(
            BenchmarkTable.text(report), named: "bench-table.txt", in: snapshotDirectory())
    }

    @Test("numbers are written without the locale")
    func numbers() {
        #expect(BenchmarkTable.grouped(1_234_567) == "1,234,567")
        #expect(BenchmarkTable.grouped(999) == "999")
        #expect(BenchmarkTable.grouped(-1000) == "-1,000")
        #expect(BenchmarkTable.format(2.346, decimals: 2) == "2.35")
        #expect(BenchmarkTable.format(0.05, decimals: 1) == "0.1")
        #expect(BenchmarkTable.format(7, decimals: 0) == "7")
        #expect(BenchmarkTable.rate(4.634) == "4.63")
        #expect(BenchmarkTable.rate(46.34) == "46.3")
        #expect(BenchmarkTable.rate(31_499.6) == "31,500")
        #expect(BenchmarkTable.rate(.infinity) == "∞")
    }
}
