import BasinNetwork
import BasinTestSupport
import Testing

@Suite("ReLU")
struct ReLUTests {
    @Test("forward, gradients and tangents match the Double reference")
    func derivatives() {
        let layout = LayoutBuilder()
        var check = LayerCheck(
            layer: ReLU(shape: [2, 3, 3]), layout: layout, batch: 2, mode: .batch, seed: 2)
        check.checkAll()
    }

    @Test("zeroes negative inputs and their gradients, zero included")
    func mask() {
        let layout = LayoutBuilder()
        var check = LayerCheck(
            layer: ReLU(shape: [4]), layout: layout, batch: 1, mode: .batch, seed: 2)
        check.input = [-1, 0, 2, -0.5]
        check.headQuadratic = [0, 0, 0, 0]
        check.headLinear = [1, 1, 1, 1]
        let pass = check.run(direction: [], inputDirection: [3, 3, 3, 3])
        #expect(pass.output == [0, 0, 2, 0])
        #expect(pass.outputTangent == [0, 0, 3, 0])
        #expect(pass.inputGradient == [0, 0, 1, 0])
    }
}
