import BasinNetwork
import BasinTestSupport
import Testing

@Suite("BasicBlock")
struct BasicBlockTests {
    @Test(
        "identity shortcut: forward, gradients and tangents match the Double reference",
        arguments: BatchNormMode.allCases)
    func identity(mode: BatchNormMode) {
        let layout = LayoutBuilder()
        let block = BasicBlock("0", inputShape: [2, 4, 3], planes: 2, stride: 1, layout: layout)
        #expect(!block.hasProjectionShortcut)
        var check = LayerCheck(layer: block, layout: layout, batch: 2, mode: mode, seed: 51)
        check.checkAll()
    }

    @Test(
        "projection shortcut: forward, gradients and tangents match the Double reference",
        arguments: BatchNormMode.allCases)
    func projection(mode: BatchNormMode) {
        let layout = LayoutBuilder()
        let block = BasicBlock("0", inputShape: [2, 5, 4], planes: 3, stride: 2, layout: layout)
        #expect(block.hasProjectionShortcut)
        #expect(block.outputShape == [3, 3, 2])
        var check = LayerCheck(layer: block, layout: layout, batch: 3, mode: mode, seed: 52)
        check.checkAll()
    }

    @Test("names follow PyTorch: conv1, bn1, conv2, bn2, shortcut.0, shortcut.1")
    func names() {
        let layout = LayoutBuilder()
        _ = layout.scoped("layer2") {
            BasicBlock("0", inputShape: [16, 8, 8], planes: 32, stride: 2, layout: layout)
        }
        #expect(
            layout.parameterSlices.map(\.name) == [
                "layer2.0.conv1.weight", "layer2.0.bn1.weight", "layer2.0.bn1.bias",
                "layer2.0.conv2.weight", "layer2.0.bn2.weight", "layer2.0.bn2.bias",
                "layer2.0.shortcut.0.weight", "layer2.0.shortcut.1.weight",
                "layer2.0.shortcut.1.bias",
            ])
        #expect(layout.parameterSlices[6].shape == [32, 16, 1, 1])
    }
}
