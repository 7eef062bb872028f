import BasinNetwork
import BasinTestSupport
import Testing

@Suite("Flatten")
struct FlattenTests {
    @Test("passes values, gradients and tangents through unchanged")
    func identity() {
        let layout = LayoutBuilder()
        let layer = Flatten(shape: [2, 2, 3])
        #expect(layer.outputShape == [12])
        var check = LayerCheck(layer: layer, layout: layout, batch: 2, mode: .batch, seed: 3)
        let direction = (0..<24).map { Float($0) }
        let pass = check.run(direction: [], inputDirection: direction)
        #expect(pass.output == check.input)
        #expect(pass.outputTangent == direction)
        check.checkAll()
    }
}
