import BasinKernels
import BasinNetwork
import BasinTestSupport
import Testing

@Suite("Model")
struct ModelTests {
    static let shape = InputShape(channels: 1, height: 6, width: 6)

    func model(_ architecture: Architecture = .cnn, seed: UInt64 = 1) -> Model {
        var generator = SeededGenerator(seed: seed)
        return Model(
            architecture: architecture, inputShape: Self.shape, classCount: 3,
            generator: &generator)
    }

    func batch(_ count: Int, seed: UInt64) -> ([Float], [Int32]) {
        var generator = SeededGenerator(seed: seed)
        let images = LayerCheck.gaussian(count * Self.shape.elementCount, &generator)
        return (images, (0..<count).map { _ in Int32(generator.nextIndex(below: 3)) })
    }

    @Test("changing the flat parameter vector changes the model's outputs")
    func flatParametersAreLive() {
        let model = model()
        let (images, _) = batch(2, seed: 2)
        let before = model.logits(images: images, mode: .running)
        let bias = model.parameterSlice(named: "fc.bias")!
        model.parameters[bias.range.lowerBound] += 1
        let after = model.logits(images: images, mode: .running)
        // Adding 1 to the bias of class 0 adds exactly 1 to logit 0 of every image.
        expectClose(Double(after[0] - before[0]), 1, absoluteTolerance: 1e-5)
        expectClose(Double(after[3] - before[3]), 1, absoluteTolerance: 1e-5)
        #expect(after[1] == before[1])
    }

    @Test("copy() has the same outputs and independent storage")
    func copies() {
        let model = model()
        let (images, labels) = batch(4, seed: 3)
        model.evaluate(images: images, labels: labels, mode: .batch, statisticsUpdate: .exponential)
        let twin = model.copy()
        #expect(twin.parameters == model.parameters)
        #expect(twin.runningStatistics == model.runningStatistics)
        #expect(twin.batchesTracked == model.batchesTracked)
        #expect(
            twin.logits(images: images, mode: .running)
                == model.logits(images: images, mode: .running))
        twin.parameters[0] += 1
        #expect(twin.parameters[0] != model.parameters[0])
    }

    @Test("evaluate updates running statistics only in batch mode with an update")
    func statisticsUpdates() {
        let model = model()
        let (images, labels) = batch(4, seed: 4)
        let fresh = model.runningStatistics
        model.evaluate(
            images: images, labels: labels, mode: .running, statisticsUpdate: .exponential)
        model.evaluate(images: images, labels: labels, mode: .batch)
        #expect(model.runningStatistics == fresh && model.batchesTracked == [0, 0, 0])
        var gradient: [Float] = []
        model.gradient(
            images: images, labels: labels, mode: .batch, statisticsUpdate: .cumulative,
            into: &gradient)
        #expect(model.runningStatistics != fresh && model.batchesTracked == [1, 1, 1])
        model.resetRunningStatistics()
        #expect(model.runningStatistics == fresh && model.batchesTracked == [0, 0, 0])
    }

    @Test("a cumulative pass after a reset sets the running mean to the batch mean")
    func cumulativeAfterReset() {
        // With t = 1 the factor is 1/t = 1, so bn1.running_mean is the mean of conv1's
        // output per channel, which the running-mode pass then reproduces: with
        // γ = 1, β = 0 and the unbiased variance, BatchNorm output of channel c has mean 0.
        let model = model()
        let (images, labels) = batch(5, seed: 5)
        model.evaluate(images: images, labels: labels, mode: .batch, statisticsUpdate: .cumulative)
        let once = model.runningStatistics
        model.evaluate(images: images, labels: labels, mode: .batch, statisticsUpdate: .cumulative)
        // The same batch again: the average of two equal batches is that batch.
        expectClose(model.runningStatistics, once, absoluteTolerance: 1e-6, relativeTolerance: 1e-5)
        #expect(model.batchesTracked == [2, 2, 2])
    }

    @Test("accuracy counts the images whose largest logit is the label")
    func accuracy() {
        let model = model(.mlp)
        let (images, _) = batch(6, seed: 6)
        let logits = model.logits(images: images, mode: .running)
        var predicted: [Int32] = []
        for n in 0..<6 {
            let row = Array(logits[n * 3..<n * 3 + 3])
            predicted.append(Int32(row.firstIndex(of: row.max()!)!))
        }
        var labels = predicted
        for n in 4..<6 { labels[n] = (predicted[n] + 1) % 3 }
        let result = model.evaluate(images: images, labels: labels, mode: .running)
        #expect(result.correctCount == 4 && result.count == 6)
        expectClose(result.accuracy, 4.0 / 6, absoluteTolerance: 1e-12)
    }

    @Test(
        "evaluation with running statistics in parts equals one pass over the whole batch",
        arguments: [Architecture.mlp, .cnn, .resnet20])
    func evaluationInParts(_ architecture: Architecture) {
        let model = model(architecture, seed: 7)
        // Past three parts of 128 images, the last one short.
        let (images, labels) = batch(300, seed: 8)
        let previousThreadCount = Parallelism.threadCount
        defer { Parallelism.threadCount = previousThreadCount }
        for step in 0..<2 {
            // Statistics and weights change between rounds; the parts' layer copies must
            // follow (they read the model's parameters, not their own).
            model.evaluate(
                images: images, labels: labels, mode: .batch, statisticsUpdate: .exponential)
            if step == 1 { model.parameters = model.parameters.map { $0 * 0.9 } }
            // `logits` runs the whole batch at once; the loss sums its rows in the same order.
            let logits = model.logits(images: images, mode: .running)
            let expected = SoftmaxCrossEntropy(classCount: 3).forward(
                logits: logits, labels: labels, batch: 300)
            // One thread, two sharing the parts unevenly, one part per thread.
            for threads in [1, 2, 3] {
                Parallelism.threadCount = threads
                let result = model.evaluate(images: images, labels: labels, mode: .running)
                #expect(result.count == 300)
                #expect(result.correctCount == expected.correctCount)
                #expect(
                    result.loss.bitPattern == expected.loss.bitPattern,
                    "\(threads) threads, round \(step)")
            }
        }
    }

    @Test(
        "a forward-only pass, which keeps no state for later passes, gives the same logits",
        arguments: [Architecture.cnn, .resnet20], [BatchNormMode.batch, .running])
    func forwardOnlyLogits(_ architecture: Architecture, mode: BatchNormMode) {
        let model = model(architecture, seed: 9)
        let (images, labels) = batch(5, seed: 10)
        model.evaluate(images: images, labels: labels, mode: .batch, statisticsUpdate: .exponential)
        let direction = [Float](repeating: 0.01, count: model.parameterCount)
        let forwardOnly = model.logits(images: images, mode: mode)
        let withTangent = model.logitsTangent(images: images, mode: mode, direction: direction)
        #expect(forwardOnly.map(\.bitPattern) == withTangent.logits.map(\.bitPattern))
    }
}
