import BasinKernels
import BasinNetwork
import BasinTestSupport
import Testing

@Suite("Linear")
struct LinearTests {
    @Test("forward, gradients and tangents match the Double reference")
    func derivatives() {
        let layout = LayoutBuilder()
        let layer = Linear("fc", inputFeatures: 7, outputFeatures: 5, layout: layout)
        var check = LayerCheck(layer: layer, layout: layout, batch: 3, mode: .batch, seed: 1)
        check.checkAll()
    }

    @Test("names its tensors with PyTorch's names and shapes")
    func layout() {
        let layout = LayoutBuilder()
        _ = Linear("fc1", inputFeatures: 784, outputFeatures: 512, layout: layout)
        #expect(layout.parameterSlices.map(\.name) == ["fc1.weight", "fc1.bias"])
        #expect(layout.parameterSlices.map(\.shape) == [[512, 784], [512]])
        #expect(layout.parameterSlices.map(\.role) == [.weight, .bias])
        #expect(layout.parameterCount == 784 * 512 + 512)
    }

    @Test("y = x·Wᵀ + b on a hand-computed example")
    func handExample() {
        // W = [[1, 2], [3, 4], [5, 6]], b = [0.5, −1, 2], x = [1, −1]:
        // y = [1−2+0.5, 3−4−1, 5−6+2] = [−0.5, −2, 1].
        let layout = LayoutBuilder()
        let layer = Linear("fc", inputFeatures: 2, outputFeatures: 3, layout: layout)
        var check = LayerCheck(layer: layer, layout: layout, batch: 1, mode: .batch, seed: 1)
        check.parameters = [1, 2, 3, 4, 5, 6, 0.5, -1, 2]
        check.input = [1, -1]
        let pass = check.run(direction: [Float](repeating: 0, count: 9), inputDirection: [0, 0])
        expectClose(pass.output, [-0.5, -2, 1], absoluteTolerance: 1e-6)
    }
}
