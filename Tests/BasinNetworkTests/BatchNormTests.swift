import BasinKernels
import BasinNetwork
import BasinTestSupport
import Testing

@Suite("BatchNorm")
struct BatchNormTests {
    @Test(
        "BatchNorm2d: forward, gradients and tangents match the Double reference",
        arguments: BatchNormMode.allCases)
    func derivatives2d(mode: BatchNormMode) {
        let layout = LayoutBuilder()
        let layer = BatchNorm("bn", shape: [3, 3, 2], layout: layout)
        var check = LayerCheck(layer: layer, layout: layout, batch: 3, mode: mode, seed: 31)
        check.checkAll()
    }

    @Test(
        "BatchNorm1d: forward, gradients and tangents match the Double reference",
        arguments: BatchNormMode.allCases)
    func derivatives1d(mode: BatchNormMode) {
        let layout = LayoutBuilder()
        let layer = BatchNorm("bn", shape: [4], layout: layout)
        var check = LayerCheck(layer: layer, layout: layout, batch: 5, mode: mode, seed: 32)
        check.checkAll()
    }

    @Test(
        "a gradient pass recomputes x̂ and gives the gradients of a pass with tangents exactly",
        arguments: BatchNormMode.allCases)
    func gradientWithoutKeptNormalized(mode: BatchNormMode) {
        // 15 positions per plane: vector lanes and a scalar tail; and a BatchNorm1d.
        for (shape, batch) in [([3, 3, 5], 3), ([4], 5)] {
            let layout = LayoutBuilder()
            let layer = BatchNorm("bn", shape: shape, layout: layout)
            var check = LayerCheck(layer: layer, layout: layout, batch: batch, mode: mode, seed: 33)
            var generator = SeededGenerator(seed: 34)
            let withTangents = check.run(
                direction: LayerCheck.gaussian(check.parameters.count, &generator),
                inputDirection: LayerCheck.gaussian(check.input.count, &generator))
            let gradientOnly = check.runGradient()
            let bits = { (values: [Float]) in values.map(\.bitPattern) }
            #expect(bits(gradientOnly.output) == bits(withTangents.output))
            #expect(bits(gradientOnly.parameterGradient) == bits(withTangents.parameterGradient))
            #expect(bits(gradientOnly.inputGradient) == bits(withTangents.inputGradient))
        }
    }

    @Test("names its tensors like PyTorch, parameters before buffers")
    func names() {
        let layout = LayoutBuilder()
        _ = layout.scoped("layer2.0") {
            layout.scoped("shortcut") { BatchNorm("1", shape: [32, 2, 2], layout: layout) }
        }
        #expect(
            layout.stateEntries.map(\.name) == [
                "layer2.0.shortcut.1.weight", "layer2.0.shortcut.1.bias",
                "layer2.0.shortcut.1.running_mean", "layer2.0.shortcut.1.running_var",
                "layer2.0.shortcut.1.num_batches_tracked",
            ])
        #expect(layout.stateEntries.map(\.shape) == [[32], [32], [32], [32], []])
        #expect(layout.parameterSlices.map(\.role) == [.batchNormWeight, .batchNormBias])
    }

    /// Runs `batches` through a fresh BatchNorm1d over 2 features in batch mode and
    /// returns the running statistics, the count, and each batch's mean and unbiased
    /// variance computed here in Double.
    func track(_ update: RunningStatisticsUpdate, batches: Int)
        -> (statistics: [Float], tracked: Int64, means: [[Double]], variances: [[Double]])
    {
        let layout = LayoutBuilder()
        let layer = BatchNorm("bn", shape: [2], layout: layout)
        var check = LayerCheck(layer: layer, layout: layout, batch: 4, mode: .batch, seed: 33)
        check.runningStatistics = [0, 0, 1, 1]
        var generator = SeededGenerator(seed: 34)
        var means: [[Double]] = []
        var variances: [[Double]] = []
        for _ in 0..<batches {
            check.input = (0..<8).map { _ in Float(2 + 3 * generator.nextGaussian()) }
            let x = check.input.map(Double.init)
            var mean = [0.0, 0.0]
            var variance = [0.0, 0.0]
            for c in 0..<2 {
                let values = (0..<4).map { x[$0 * 2 + c] }
                mean[c] = values.reduce(0, +) / 4
                let deviations = values.map { ($0 - mean[c]) * ($0 - mean[c]) }
                variance[c] = deviations.reduce(0, +) / 3
            }
            means.append(mean)
            variances.append(variance)
            _ = check.run(
                direction: [0, 0, 0, 0], inputDirection: [Float](repeating: 0, count: 8),
                update: update)
        }
        return (check.runningStatistics, check.batchesTracked[0], means, variances)
    }

    @Test("exponential update: r ← 0.9·r + 0.1·b with the unbiased variance")
    func exponential() {
        let (statistics, tracked, means, variances) = track(.exponential, batches: 3)
        var mean = [0.0, 0.0]
        var variance = [1.0, 1.0]
        for batch in 0..<3 {
            for c in 0..<2 {
                mean[c] = 0.9 * mean[c] + 0.1 * means[batch][c]
                variance[c] = 0.9 * variance[c] + 0.1 * variances[batch][c]
            }
        }
        expectClose(statistics.map(Double.init), mean + variance, absoluteTolerance: 1e-5)
        #expect(tracked == 3)
    }

    @Test("cumulative update: the plain average of every batch since the reset")
    func cumulative() {
        let (statistics, tracked, means, variances) = track(.cumulative, batches: 3)
        let mean = (0..<2).map { c in means.reduce(0) { $0 + $1[c] } / 3 }
        let variance = (0..<2).map { c in variances.reduce(0) { $0 + $1[c] } / 3 }
        expectClose(statistics.map(Double.init), mean + variance, absoluteTolerance: 1e-5)
        #expect(tracked == 3)
    }

    @Test("no update leaves statistics and count alone")
    func none() {
        let (statistics, tracked, _, _) = track(.none, batches: 2)
        #expect(statistics == [0, 0, 1, 1])
        #expect(tracked == 0)
    }

    @Test("normalises a constant-plus-ramp channel to zero mean and unit variance")
    func normalization() {
        // x = [1, 2, 3, 4] in one channel: μ = 2.5, σ² = 1.25, so
        // y = (x − 2.5)/√(1.25 + 1e-5) with γ = 1, β = 0.
        let layout = LayoutBuilder()
        let layer = BatchNorm("bn", shape: [1], layout: layout)
        var check = LayerCheck(layer: layer, layout: layout, batch: 4, mode: .batch, seed: 1)
        check.parameters = [1, 0]
        check.input = [1, 2, 3, 4]
        let pass = check.run(direction: [0, 0], inputDirection: [0, 0, 0, 0])
        let s = 1 / (1.25 + 1e-5).squareRoot()
        expectClose(
            pass.output.map(Double.init), [-1.5 * s, -0.5 * s, 0.5 * s, 1.5 * s],
            absoluteTolerance: 1e-6)
    }
}
