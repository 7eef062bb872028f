import Dispatch
import Foundation

/// The timing of one kernel on one shape: the median and the fastest of several timed
/// runs after a warm-up run, and the rate that the median implies.
public struct KernelTiming: Sendable, Equatable {
    /// Floating-point operations of one run (a multiply-add counts as two).
    public var operationCount: Double
    /// Median wall-clock seconds of the timed runs.
    public var medianSeconds: Double
    /// Fastest timed run, in seconds.
    public var bestSeconds: Double
    /// Number of timed runs (the warm-up run not included).
    public var repeatCount: Int
    /// Least processor time of a timed run, summed over all threads of the process, in
    /// seconds. On a machine shared with other work it shows what the kernel costs
    /// when it is not waiting for a core: operationCount / bestProcessorSeconds is the
    /// rate per busy core.
    public var bestProcessorSeconds: Double

    /// operationCount / medianSeconds / 10⁹.
    public var gigaflopsPerSecond: Double { operationCount / medianSeconds / 1e9 }
    /// operationCount / bestSeconds / 10⁹: the rate on a quiet machine.
    public var bestGigaflopsPerSecond: Double { operationCount / bestSeconds / 1e9 }
    /// operationCount / bestProcessorSeconds / 10⁹: the rate per busy core.
    public var gigaflopsPerProcessorSecond: Double {
        operationCount / bestProcessorSeconds / 1e9
    }
}

/// The three passes of a convolution layer.
public enum ConvolutionPass: String, Sendable, CaseIterable {
    case forward
    case backwardInput = "backward-input"
    case backwardWeight = "backward-weight"
}

/// Times the fast kernels on given shapes, for `basin bench`. Operands are filled with
/// seeded uniform values in [−1, 1); timing uses the monotonic `DispatchTime` clock.
public enum KernelBenchmark {
    /// The gemm shapes (m, n, k) that Basin reports: large squares, a wide product like a
    /// big fully connected layer, and the per-image products of the cnn model's three
    /// convolutions on 28 × 28 images (forward: O × P·Q × C·R·S).
    public static let referenceGEMMShapes: [(m: Int, n: Int, k: Int)] = [
        (2048, 2048, 2048), (512, 512, 512), (128, 4608, 512),
        (32, 784, 9), (64, 196, 288), (128, 49, 576),
    ]

    /// The three convolutions of the cnn model on 1 × 28 × 28 images (3 × 3, padding 1,
    /// 32, 64 and 128 channels at 28², 14² and 7² after the max pools).
    public static func cnnConvolutionLayers(batch: Int) -> [ConvolutionGeometry] {
        [(1, 32, 28), (32, 64, 14), (64, 128, 7)].map { channels, outputs, size in
            ConvolutionGeometry(
                batch: batch, inputChannels: channels, inputHeight: size, inputWidth: size,
                outputChannels: outputs, kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        }
    }

    /// Times `gemm` for C[m×n] = op(A)·op(B) (alpha 1, beta 0) on `threadCount` threads.
    /// - Precondition: `m, n, k ≥ 1`, `repeatCount ≥ 1`.
    public static func gemm(
        m: Int, n: Int, k: Int, transposeA: MatrixTranspose = .none,
        transposeB: MatrixTranspose = .none, threadCount: Int, repeatCount: Int = 7
    ) -> KernelTiming {
        precondition(m >= 1 && n >= 1 && k >= 1, "benchmark sizes m=\(m) n=\(n) k=\(k)")
        let a = uniformValues(count: m * k, seed: 1)
        let b = uniformValues(count: k * n, seed: 2)
        var c = [Float](repeating: 0, count: m * n)
        let lda = transposeA == .none ? k : m
        let ldb = transposeB == .none ? n : k
        return a.withUnsafeBufferPointer { aBuffer in
            b.withUnsafeBufferPointer { bBuffer in
                c.withUnsafeMutableBufferPointer { cBuffer in
                    time(operationCount: 2 * Double(m) * Double(n) * Double(k), repeatCount) {
                        BasinKernels.gemm(
                            transposeA, transposeB, m: m, n: n, k: k, alpha: 1,
                            a: aBuffer.baseAddress!, lda: lda, b: bBuffer.baseAddress!,
                            ldb: ldb, beta: 0, c: cBuffer.baseAddress!, ldc: n,
                            threadCount: threadCount)
                    }
                }
            }
        }
    }

    /// Times one pass of the fast convolution on `threadCount` threads.
    /// - Precondition: `repeatCount ≥ 1`.
    public static func convolution(
        _ geometry: ConvolutionGeometry, pass: ConvolutionPass, threadCount: Int,
        repeatCount: Int = 7
    ) -> KernelTiming {
        let input = uniformValues(count: geometry.inputCount, seed: 3)
        let weight = uniformValues(count: geometry.weightCount, seed: 4)
        let bias = uniformValues(count: geometry.outputChannels, seed: 5)
        let outputGradient = uniformValues(count: geometry.outputCount, seed: 6)
        var output = [Float](repeating: 0, count: max(geometry.outputCount, geometry.inputCount))
        var weightGradient = [Float](repeating: 0, count: geometry.weightCount)
        var workspace = [Float](
            repeating: 0, count: geometry.workspaceCount(threadCount: threadCount))
        let operationCount =
            2 * Double(geometry.outputCount) * Double(geometry.weightCount)
            / Double(geometry.outputChannels)

        return time(operationCount: operationCount, repeatCount) {
            workspace.withUnsafeMutableBufferPointer { work in
                switch pass {
                case .forward:
                    convolutionForward(
                        geometry, input: input, weight: weight, bias: bias, output: &output,
                        workspace: work.baseAddress!, threadCount: threadCount)
                case .backwardInput:
                    convolutionBackwardInput(
                        geometry, outputGradient: outputGradient, weight: weight,
                        inputGradient: &output, workspace: work.baseAddress!,
                        threadCount: threadCount)
                case .backwardWeight:
                    convolutionBackwardWeight(
                        geometry, input: input, outputGradient: outputGradient,
                        weightGradient: &weightGradient, accumulate: false,
                        workspace: work.baseAddress!, threadCount: threadCount)
                }
            }
        }
    }

    /// Runs `body` once to warm caches and buffers, then `repeatCount` timed times.
    private static func time(
        operationCount: Double, _ repeatCount: Int, _ body: () -> Void
    ) -> KernelTiming {
        precondition(repeatCount >= 1, "repeatCount \(repeatCount) must be ≥ 1")
        body()
        var seconds: [Double] = []
        var bestProcessorSeconds = Double.infinity
        for _ in 0..<repeatCount {
            let processorStart = processorSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            let end = DispatchTime.now().uptimeNanoseconds
            bestProcessorSeconds = min(bestProcessorSeconds, processorSeconds() - processorStart)
            seconds.append(Double(end - start) / 1e9)
        }
        seconds.sort()
        return KernelTiming(
            operationCount: operationCount, medianSeconds: seconds[seconds.count / 2],
            bestSeconds: seconds[0], repeatCount: repeatCount,
            bestProcessorSeconds: bestProcessorSeconds)
    }

    /// Processor time used by the whole process so far, in seconds.
    private static func processorSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// `count` seeded uniform values in [−1, 1).
    private static func uniformValues(count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in 2 * generator.nextUnitFloat() - 1 }
    }
}
