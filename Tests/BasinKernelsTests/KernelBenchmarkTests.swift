import BasinKernels
import Testing

// Speed is never asserted here; these tests check that the benchmark runs the kernels
// and reports consistent numbers.
@Suite("kernel benchmark")
struct KernelBenchmarkTests {
    @Test("a gemm timing counts 2·m·n·k operations and orders median after best")
    func gemmTiming() {
        let timing = KernelBenchmark.gemm(m: 7, n: 9, k: 5, threadCount: 1, repeatCount: 3)
        #expect(timing.operationCount == 630)
        #expect(timing.repeatCount == 3)
        #expect(timing.bestSeconds > 0 && timing.bestSeconds <= timing.medianSeconds)
        #expect(timing.bestGigaflopsPerSecond >= timing.gigaflopsPerSecond)
        #expect(timing.bestProcessorSeconds >= 0 && timing.bestProcessorSeconds.isFinite)
    }

    @Test(
        "a convolution timing counts 2 multiply-adds per weight use",
        arguments: ConvolutionPass.allCases)
    func convolutionTiming(pass: ConvolutionPass) {
        let g = ConvolutionGeometry(
            batch: 2, inputChannels: 3, inputHeight: 6, inputWidth: 5, outputChannels: 4,
            kernelHeight: 3, kernelWidth: 3, padding: 1)
        let timing = KernelBenchmark.convolution(g, pass: pass, threadCount: 2, repeatCount: 2)
        // N·O·P·Q outputs, each a sum over C·R·S products: 2 · (2·4·30) · 27 = 12 960 operations.
        #expect(timing.operationCount == 12_960)
        #expect(timing.bestSeconds > 0 && timing.bestSeconds <= timing.medianSeconds)
    }

    @Test("the cnn layers chain: each input is the previous output after a 2 × 2 pool")
    func cnnLayers() {
        let layers = KernelBenchmark.cnnConvolutionLayers(batch: 4)
        #expect(layers.map(\.outputChannels) == [32, 64, 128])
        for (previous, next) in zip(layers, layers.dropFirst()) {
            #expect(next.inputChannels == previous.outputChannels)
            #expect(next.inputHeight == previous.outputHeight / 2)
        }
    }
}
