import BasinKernels
import BasinNetwork
import BasinTraining
import Foundation

/// `basin bench`: the speed of the kernels and of the zoo's networks on this machine.
struct BenchCommand: Command {
    static let configuration = CommandConfiguration(
        name: "bench",
        abstract: "Measure the speed of matrix products and of training, evaluation and H·v.",
        discussion: """
            Times the packed SIMD matrix product (GFLOP/s for 2048³, 512³ and
            128×4608×512), then for each network on seeded synthetic 1×28×28 images
            with 10 classes: training steps at batch 128 (forward, backward and an SGD
            momentum update), evaluation at batch 1000, gradients and exact
            Hessian-vector products at batch 128, and the time of one H·v over the time
            of one gradient; then the same for an H·v repeated on the batch of the
            last one, which reuses its forward and backward pass, as every product
            after the first of a curvature computation does.

            Each figure runs once to warm up, then repeats until at least 3 runs and
            --seconds of timed work are done. The table gives the median run and, after
            it, the fastest; on a machine shared with other work, quote the median and
            say what else was running. Build with 'swift build -c release' first: a
            debug build is much slower and says so on stderr.

            The matrix product runs on an AVX-512 register tile where the processor has
            one and on the portable 8-lane tile elsewhere; the 'build' line says which.
            Both give the same bits. To time the portable tile on an AVX-512 machine, set
            BASIN_GEMM_TILE=simd8 in the environment.

            The table goes to stdout, progress to stderr. --json PATH also writes every
            timing with the machine, the date, the thread count, the build and the tile.
            """,
        examples: [
            "basin bench",
            "basin bench --threads 1 --models mlp,cnn --json bench.json",
            "basin bench --skip-gemm --models resnet56 --seconds 5",
        ])

    let models = Option<[Architecture]>(
        "--models", valueName: "LIST", default: [.mlp, .cnn, .resnet20],
        help: "Networks to time, separated by commas.", parser: architectureListParser)
    let threads = Option<Int?>(
        "--threads", valueName: "N",
        help: "Threads for the kernels (default: all cores).",
        parser: Int.argumentParser.checked("a positive integer", reason: "must be at least 1") {
            $0 >= 1
        })
    let seconds = Option<Double>(
        "--seconds", valueName: "S", default: 1,
        help: "Timed seconds to reach for each figure; at least 3 runs are made anyway.",
        parser: Double.argumentParser.checked("a number ≥ 0") { $0 >= 0 })
    let skipGEMM = Flag("--skip-gemm", help: "Time only the networks.")
    let json = Option<URL?>(
        "--json", valueName: "PATH", help: "Also write the results as JSON to PATH.",
        parser: URL.argumentParser)

    func run(_ context: CommandContext) throws {
        #if DEBUG
            context.standardError.write(
                "basin: warning: this is a debug build; its timings are not representative "
                    + "(build with 'swift build -c release')\n")
            let buildConfiguration = "debug"
        #else
            let buildConfiguration = "release"
        #endif
        let threadCount = context[threads] ?? Parallelism.defaultThreadCount
        let previousThreadCount = Parallelism.threadCount
        Parallelism.threadCount = threadCount
        defer { Parallelism.threadCount = previousThreadCount }
        let policy = TimingPolicy(
            warmUpCount: 1, minimumSeconds: context[seconds], minimumRepeatCount: 3)
        let date = ISO8601DateFormatter().string(from: Date())
        let machine = Self.machine()

        // Every figure is one unit of progress: the products, then one per phase and network.
        let architectures = context[models]
        let shapes = context[skipGEMM] ? [] : GEMMBenchmark.referenceShapes
        let phaseCount = ModelBenchmarkPhase.allCases.count
        let task = context.progress.start(
            "bench", total: shapes.count + phaseCount * architectures.count, unit: "figure")
        var gemmResults: [GEMMBenchmarkResult] = []
        for shape in shapes {
            task.advance(by: 0, detail: "gemm \(shape)")
            gemmResults.append(GEMMBenchmark.run(shape, threadCount: threadCount, policy: policy))
            task.advance()
        }
        var modelResults: [ModelBenchmarkResult] = []
        for architecture in architectures {
            var started = false
            let result = ModelBenchmark.run(
                ModelBenchmarkConfiguration(architecture: architecture), policy: policy,
                progress: { phase in
                    task.advance(by: started ? 1 : 0, detail: "\(architecture) \(phase.rawValue)")
                    started = true
                })
            task.advance()
            modelResults.append(result)
        }
        task.finish()

        let report = BenchmarkReport(
            date: date, machine: machine, threadCount: threadCount,
            buildConfiguration: buildConfiguration, timingPolicy: policy, gemm: gemmResults,
            models: modelResults)
        context.standardOutput.write(BenchmarkTable.text(report))
        if let url = context[json] {
            try JSONOutput.write(report, to: url)
            context.standardOutput.write("wrote \(url.relativePath)\n")
        }
    }

    /// This machine's processor, from /proc/cpuinfo where there is one, its core count and
    /// its load average now.
    static func machine() -> BenchmarkMachine {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return BenchmarkMachine(
            processorName: BenchmarkMachine.processorName(cpuInfo: cpuInfo) ?? "unknown",
            coreCount: ProcessInfo.processInfo.activeProcessorCount,
            loadAverage: BenchmarkMachine.loadAverage(procLoadAverage: load))
    }

    /// Zoo names separated by commas, each at most once: `mlp,cnn,resnet20`.
    static let architectureListParser = ValueParser<[Architecture]>(
        expectation: "names from "
            + Architecture.allCases.map(\.rawValue).joined(separator: ", ")
            + " separated by commas",
        format: { $0.map(\.rawValue).joined(separator: ",") }
    ) { text in
        var architectures: [Architecture] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let architecture = Architecture(rawValue: trimmed) else {
                throw InvalidValue("'\(trimmed)' is not a network of the zoo")
            }
            guard !architectures.contains(architecture) else {
                throw InvalidValue("'\(trimmed)' is named twice")
            }
            architectures.append(architecture)
        }
        return architectures
    }
}
