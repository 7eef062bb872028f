import BasinKernels
import BasinTestSupport
import Testing

@testable import BasinNetwork

@Suite("inference passes that fold BatchNorm and ReLU into the convolution before them")
struct InferenceFusionTests {
    @Test(
        "give the bits of the layer-by-layer pass",
        arguments: [Architecture.cnn, .resnet20], [1, 2])
    func sameBits(_ architecture: Architecture, threads: Int) {
        var generator = SeededGenerator(seed: 31)
        let shape = InputShape(channels: 1, height: 12, width: 12)
        let model = Model(
            architecture: architecture, inputShape: shape, classCount: 4, generator: &generator)
        for index in model.runningStatistics.indices {
            model.runningStatistics[index] = 0.5 + Float(generator.nextUnitDouble())
        }
        model.parameters = model.parameters.map { $0 + 0.1 * Float(generator.nextUnitDouble()) }
        let images = LayerCheck.gaussian(6 * shape.elementCount, &generator)
        let previousThreadCount = Parallelism.threadCount
        defer { Parallelism.threadCount = previousThreadCount }
        Parallelism.threadCount = threads
        let expected = model.logits(images: images, mode: .running)
        var statistics = model.runningStatistics
        var tracked = model.batchesTracked
        let fused = images.withUnsafeBufferPointer { x in
            model.parameters.withUnsafeBufferPointer { theta in
                statistics.withUnsafeMutableBufferPointer { statistics in
                    tracked.withUnsafeMutableBufferPointer { tracked in
                        var context = PassContext(
                            batch: 6, mode: .running, parameters: theta.baseAddress!,
                            runningStatistics: statistics.baseAddress!,
                            batchesTracked: tracked.baseAddress!)
                        context.fusesInference = true
                        let logits = forwardFusing(model.layers, x.baseAddress!, context)
                        return Array(UnsafeBufferPointer(start: logits, count: 6 * 4))
                    }
                }
            }
        }
        #expect(fused.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(fused.contains { $0 != 0 })
    }
}

@Suite("gradient passes that run each BatchNorm with the ReLU after it as one layer")
struct RectifyingBatchNormTests {
    @Test(
        "give the bits of the layer-by-layer pass of an H·v",
        arguments: [Architecture.cnn, .resnet20], BatchNormMode.allCases)
    func sameBits(_ architecture: Architecture, mode: BatchNormMode) {
        var generator = SeededGenerator(seed: 41)
        let shape = InputShape(channels: 1, height: 12, width: 12)
        let model = Model(
            architecture: architecture, inputShape: shape, classCount: 4, generator: &generator)
        for index in model.runningStatistics.indices {
            model.runningStatistics[index] = 0.5 + Float(generator.nextUnitDouble())
        }
        let images = LayerCheck.gaussian(5 * shape.elementCount, &generator)
        let labels: [Int32] = [0, 3, 1, 2, 3]
        // The pass of an H·v runs every layer on its own (tangents follow); a gradient
        // pass fuses.
        var fused: [Float] = []
        let fusedResult = model.gradient(images: images, labels: labels, mode: mode, into: &fused)
        var product: [Float] = []
        var separate: [Float] = []
        let separateResult = model.hessianVectorProduct(
            images: images, labels: labels, mode: mode,
            direction: LayerCheck.gaussian(model.parameterCount, &generator), into: &product,
            gradient: &separate)
        let firstDifference = fused.indices.first { index in
            index >= separate.count || fused[index].bitPattern != separate[index].bitPattern
        }
        #expect(fused.count == separate.count)
        #expect(firstDifference == nil, "gradients differ from index \(firstDifference ?? -1)")
        #expect(fusedResult.loss.bitPattern == separateResult.loss.bitPattern)
        #expect(fused.contains { $0 != 0 })
    }
}
