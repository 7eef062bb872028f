import BasinData
import Foundation
import Testing

@Suite("data set")
struct DatasetTests {
    @Test("splits are found by name and the summary records counts and shape")
    func summary() throws {
        let shape = ImageShape(channels: 3, height: 2, width: 2)
        let dataset = Dataset(
            name: "tiny", source: "/data/tiny", classCount: 10, classNames: cifar10ClassNames,
            train: randomSplit(count: 9, shape: shape),
            validation: randomSplit(count: 2, shape: shape),
            test: randomSplit(count: 4, shape: shape))
        #expect(dataset.split(.validation)?.count == 2)
        #expect(dataset.split(.test)?.count == 4)
        let summary = dataset.summary
        #expect(summary.trainCount == 9 && summary.validationCount == 2 && summary.testCount == 4)
        #expect(summary.inputShape == shape)
        let json = try JSONEncoder().encode(summary)
        #expect(try JSONDecoder().decode(DatasetSummary.self, from: json) == summary)
    }
}
