import BasinNetwork
import BasinTestSupport
import Testing

@Suite("Global average pooling")
struct GlobalAveragePoolTests {
    @Test("global average pooling: forward, gradients and tangents match the reference")
    func globalAverage() {
        let layout = LayoutBuilder()
        let layer = GlobalAveragePool(shape: [3, 2, 3])
        #expect(layer.outputShape == [3])
        var check = LayerCheck(layer: layer, layout: layout, batch: 2, mode: .batch, seed: 43)
        check.checkAll()
    }

    @Test("averages each plane: [1, 2, 3, 6] → 3")
    func example() {
        let layout = LayoutBuilder()
        var check = LayerCheck(
            layer: GlobalAveragePool(shape: [1, 2, 2]), layout: layout, batch: 1, mode: .batch,
            seed: 1)
        check.input = [1, 2, 3, 6]
        check.headLinear = [4]
        check.headQuadratic = [0]
        let pass = check.run(direction: [], inputDirection: [0, 0, 0, 4])
        #expect(pass.output == [3])
        #expect(pass.outputTangent == [1])
        #expect(pass.inputGradient == [1, 1, 1, 1])
    }
}
