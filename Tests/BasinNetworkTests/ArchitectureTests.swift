import BasinNetwork
import BasinTestSupport
import Testing

@Suite("Architecture and batch results")
struct ArchitectureTests {
    @Test("ResNet depth 6n + 2 gives n blocks per stage")
    func blocks() {
        for architecture in [Architecture.resnet20, .resnet32, .resnet44, .resnet56] {
            let depth = Int(architecture.rawValue.dropFirst("resnet".count))!
            #expect(architecture.blocksPerStage == (depth - 2) / 6)
        }
        #expect(Architecture.mlp.blocksPerStage == nil && Architecture.cnn.blocksPerStage == nil)
    }

    @Test("input shapes count C·H·W and print as C×H×W")
    func shapes() {
        let shape = InputShape(channels: 3, height: 32, width: 32)
        #expect(shape.elementCount == 3072)
        #expect(shape.description == "3×32×32")
    }

    @Test("accuracy is correct/count, and 0 for an empty batch")
    func accuracy() {
        expectClose(
            BatchResult(loss: 1, correctCount: 3, count: 4).accuracy, 0.75, absoluteTolerance: 0)
        #expect(BatchResult(loss: 0, correctCount: 0, count: 0).accuracy == 0)
    }
}
