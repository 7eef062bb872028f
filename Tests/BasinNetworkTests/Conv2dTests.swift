import BasinKernels
import BasinNetwork
import BasinTestSupport
import Testing

@Suite("Conv2d")
struct Conv2dTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var channels, height, width, outputs, kernel, stride, padding: Int
        var bias: Bool
        var testDescription: String {
            "\(channels)×\(height)×\(width)→\(outputs), k\(kernel) s\(stride) p\(padding)"
                + (bias ? " bias" : "")
        }
    }

    @Test(
        "forward, gradients and tangents match the Double reference",
        arguments: [
            Case(
                channels: 2, height: 5, width: 4, outputs: 3, kernel: 3, stride: 1, padding: 1,
                bias: false),
            Case(
                channels: 3, height: 6, width: 5, outputs: 2, kernel: 3, stride: 2, padding: 1,
                bias: true),
            Case(
                channels: 2, height: 4, width: 4, outputs: 3, kernel: 1, stride: 2, padding: 0,
                bias: false),
        ])
    func derivatives(_ shape: Case) {
        let layout = LayoutBuilder()
        let layer = Conv2d(
            "conv", inputShape: [shape.channels, shape.height, shape.width],
            outputChannels: shape.outputs, kernelSize: shape.kernel, stride: shape.stride,
            padding: shape.padding, bias: shape.bias, layout: layout)
        var check = LayerCheck(layer: layer, layout: layout, batch: 2, mode: .batch, seed: 21)
        check.checkAll()
    }

    @Test("output shape follows ⌊(H + 2p − k)/s⌋ + 1 and names follow PyTorch")
    func shapes() {
        let layout = LayoutBuilder()
        let layer = Conv2d(
            "shortcut.0", inputShape: [16, 28, 28], outputChannels: 32, kernelSize: 1, stride: 2,
            bias: false, layout: layout)
        #expect(layer.outputShape == [32, 14, 14])
        #expect(layout.parameterSlices.map(\.name) == ["shortcut.0.weight"])
        #expect(layout.parameterSlices.map(\.shape) == [[32, 16, 1, 1]])
        let padded = Conv2d(
            "conv", inputShape: [3, 32, 32], outputChannels: 8, kernelSize: 3, stride: 2,
            padding: 1, bias: true, layout: layout)
        #expect(padded.outputShape == [8, 16, 16])
        #expect(layout.parameterSlices.map(\.role) == [.weight, .weight, .bias])
    }

    @Test("Kaiming-normal weights have variance 2/fan_out")
    func initialization() {
        // 64×32×3×3 = 18,432 draws: the sample variance of N(0, 2/576) is within 5 % of
        // 2/576 with probability far above 0.999 (standard error √(2/18432) ≈ 1 %).
        var generator = SeededGenerator(seed: 3)
        let model = Model(
            architecture: .cnn, inputShape: InputShape(channels: 1, height: 8, width: 8),
            classCount: 10, generator: &generator)
        let slice = model.parameterSlice(named: "conv2.weight")!
        let values = model.parameters[slice.range].map(Double.init)
        let variance = values.reduce(0) { $0 + $1 * $1 } / Double(values.count)
        expectClose(variance, 2.0 / 576, absoluteTolerance: 0, relativeTolerance: 0.05)
    }
}
