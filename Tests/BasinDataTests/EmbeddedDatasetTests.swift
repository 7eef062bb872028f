import BasinData
import Foundation
import Testing

@Suite("embedded data set")
struct EmbeddedDatasetTests {
    @Test("the embedded subset holds 10,000 + 2,000 balanced 1×28×28 images")
    func load() throws {
        let dataset = try DatasetSpecification(parsing: "embedded").load()
        #expect(dataset.name == "embedded")
        #expect(dataset.train.count == EmbeddedDataset.trainCount)
        #expect(dataset.test.count == EmbeddedDataset.testCount)
        #expect(dataset.inputShape == ImageShape(channels: 1, height: 28, width: 28))
        #expect(dataset.classCount == 10)
        #expect(dataset.classNames == fashionMNISTClassNames)
        #expect(dataset.train.classCounts(classCount: 10) == [Int](repeating: 1000, count: 10))
        #expect(dataset.test.classCounts(classCount: 10) == [Int](repeating: 200, count: 10))
        #expect(dataset.validation == nil)
    }

    @Test("the Fashion-MNIST licence notice ships beside the images")
    func licence() throws {
        let folder = try #require(EmbeddedDataset.folder)
        let notice = try String(
            contentsOf: folder.appendingPathComponent("LICENSE"), encoding: .utf8)
        #expect(notice.contains("Zalando SE"))
        #expect(notice.contains("Permission is hereby granted"))
    }

    @Test("its training statistics match those printed by the script that built it")
    func statistics() throws {
        let dataset = try EmbeddedDataset.load()
        let normalization = ChannelNormalization(statisticsOf: dataset.train)
        // scripts/make-embedded-dataset.py prints "train subset: mean 0.2851793, standard
        // deviation 0.3527306" (exact integer sums in Python); Float rounding allows 1e-6.
        #expect(abs(normalization.mean[0] - 0.285_179_3) < 1e-6)
        #expect(abs(normalization.standardDeviation[0] - 0.352_730_6) < 1e-6)
    }
}
