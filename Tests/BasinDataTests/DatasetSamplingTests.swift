import BasinData
import BasinKernels
import Testing

@Suite("validation split and fixed subsets")
struct DatasetSamplingTests {
    /// 4 classes of unequal size (40, 30, 20, 10 examples); each image's bytes hold its
    /// index so that examples can be traced.
    var dataset: Dataset {
        let shape = ImageShape(channels: 1, height: 1, width: 2)
        var labels = [Int32]()
        for (label, size) in [40, 30, 20, 10].enumerated() {
            labels += [Int32](repeating: Int32(label), count: size)
        }
        let images: [UInt8] = (0..<100).flatMap { [UInt8($0), UInt8(0)] }
        let train = DataSplit(shape: shape, images: images, labels: labels)
        return Dataset(
            name: "t", source: "memory", classCount: 4, classNames: nil, train: train,
            test: train)
    }

    func traced(_ split: DataSplit) -> [Int] {
        (0..<split.count).map { Int(split.image(at: $0).first!) }
    }

    @Test("a stratified hold-out keeps the class proportions and partitions the examples")
    func stratified() throws {
        var generator = SeededGenerator(seed: 1)
        let result = try dataset.holdingOutValidation(count: 15, generator: &generator)
        let validation = try #require(result.validation)
        // 15 × (40, 30, 20, 10)/100 = 6, 4.5, 3, 1.5: floors 6, 4, 3, 1 sum to 14; the one
        // left goes to the larger fraction 0.5, tied between classes 1 and 3, so class 1.
        #expect(validation.classCounts(classCount: 4) == [6, 5, 3, 1])
        #expect(result.train.count == 85)
        let all = traced(result.train) + traced(validation)
        #expect(all.sorted() == Array(0..<100))
        #expect(traced(result.train) == traced(result.train).sorted())
    }

    @Test("an unstratified hold-out takes the first examples of a permutation")
    func unstratified() throws {
        var generator = SeededGenerator(seed: 2)
        let result = try dataset.holdingOutValidation(
            count: 10, stratified: false, generator: &generator)
        var replay = SeededGenerator(seed: 2)
        let expected = seededPermutation(count: 100, generator: &replay).prefix(10).sorted()
        #expect(traced(try #require(result.validation)) == expected)
    }

    @Test("the same seed holds out the same examples")
    func seeded() throws {
        var first = SeededGenerator(seed: 3)
        var second = SeededGenerator(seed: 3)
        let a = try dataset.holdingOutValidation(count: 20, generator: &first)
        let b = try dataset.holdingOutValidation(count: 20, generator: &second)
        #expect(a == b)
    }

    @Test("holding out none or all throws invalidValidationCount", arguments: [0, 100, -1])
    func invalid(count: Int) {
        var generator = SeededGenerator(seed: 4)
        #expect(
            throwsError(.invalidValidationCount(requested: count, trainingCount: 100)) {
                _ = try dataset.holdingOutValidation(count: count, generator: &generator)
            })
    }

    @Test("a fixed subset is the first K of a seeded permutation, in that order")
    func fixedSubset() {
        var generator = SeededGenerator(seed: 8)
        let subset = dataset.train.fixedSubset(count: 12, generator: &generator)
        var replay = SeededGenerator(seed: 8)
        let expected = Array(seededPermutation(count: 100, generator: &replay).prefix(12))
        #expect(traced(subset) == expected)
        var again = SeededGenerator(seed: 8)
        #expect(dataset.train.fixedSubset(count: 12, generator: &again) == subset)
        var whole = SeededGenerator(seed: 8)
        #expect(dataset.train.fixedSubset(count: 500, generator: &whole).count == 100)
    }
}
