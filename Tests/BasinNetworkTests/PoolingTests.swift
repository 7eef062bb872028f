import BasinNetwork
import BasinTestSupport
import Testing

@Suite("Pooling")
struct PoolingTests {
    @Test("MaxPool2d: forward, gradients and tangents match the Double reference")
    func maxPool() {
        let layout = LayoutBuilder()
        let layer = MaxPool2d(shape: [2, 5, 4], window: 2)
        #expect(layer.outputShape == [2, 2, 2])
        var check = LayerCheck(layer: layer, layout: layout, batch: 2, mode: .batch, seed: 41)
        check.checkAll()
    }

    @Test("AvgPool2d: forward, gradients and tangents match the Double reference")
    func averagePool() {
        let layout = LayoutBuilder()
        let layer = AvgPool2d(shape: [2, 5, 5], window: 3, stride: 2, padding: 1)
        #expect(layer.outputShape == [2, 3, 3])
        var check = LayerCheck(layer: layer, layout: layout, batch: 2, mode: .batch, seed: 42)
        check.checkAll()
    }

    @Test("max pooling picks the window maximum and routes the gradient to it")
    func maxPoolExample() {
        let layout = LayoutBuilder()
        var check = LayerCheck(
            layer: MaxPool2d(shape: [1, 2, 2], window: 2), layout: layout, batch: 1,
            mode: .batch, seed: 1)
        check.input = [1, 4, 3, 2]
        check.headLinear = [1]
        check.headQuadratic = [0]
        let pass = check.run(direction: [], inputDirection: [10, 20, 30, 40])
        #expect(pass.output == [4])
        #expect(pass.outputTangent == [20])
        #expect(pass.inputGradient == [0, 1, 0, 0])
    }
}
