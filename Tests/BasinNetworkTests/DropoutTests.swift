import BasinNetwork
import BasinTestSupport
import Testing

@Suite("Dropout")
struct DropoutTests {
    func outputs(seed: UInt64, step: UInt64, enabled: Bool = true) -> [Float] {
        let layout = LayoutBuilder()
        let layer = Dropout(shape: [50], probability: 0.3, seed: seed)
        layer.step = step
        layer.isEnabled = enabled
        var check = LayerCheck(layer: layer, layout: layout, batch: 4, mode: .batch, seed: 1)
        check.input = [Float](repeating: 1, count: 200)
        return check.run(direction: [], inputDirection: [Float](repeating: 0, count: 200)).output
    }

    @Test("forward, gradients and tangents match the Double reference")
    func derivatives() {
        let layout = LayoutBuilder()
        let layer = Dropout(shape: [3, 4], probability: 0.4, seed: 9)
        layer.step = 5
        var check = LayerCheck(layer: layer, layout: layout, batch: 3, mode: .batch, seed: 61)
        check.checkAll()
    }

    @Test("the mask depends only on seed and step, and keeps about 1 − p")
    func reproducible() {
        let first = outputs(seed: 7, step: 3)
        #expect(first == outputs(seed: 7, step: 3))
        #expect(first != outputs(seed: 7, step: 4))
        #expect(first != outputs(seed: 8, step: 3))
        // Kept values are 1/(1 − 0.3); 200 Bernoulli(0.7) draws keep 140 ± 6.5 (one σ).
        let kept = first.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.7) < 1e-6 })
        #expect((110...170).contains(kept.count))
    }

    @Test("disabled dropout is the identity")
    func disabled() {
        #expect(outputs(seed: 7, step: 3, enabled: false) == [Float](repeating: 1, count: 200))
    }
}
