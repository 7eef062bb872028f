import BasinData
import Testing

@Suite("data split")
struct DataSplitTests {
    let split = DataSplit(
        shape: ImageShape(channels: 2, height: 1, width: 2),
        images: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], labels: [2, 0, 2])

    @Test("an image is its C·H·W bytes")
    func image() {
        #expect(split.count == 3)
        #expect(Array(split.image(at: 1)) == [5, 6, 7, 8])
        #expect(split.shape.elementCount == 4 && split.shape.planeCount == 2)
        #expect(split.shape.description == "2×1×2")
    }

    @Test("selecting takes examples in the given order, repeats allowed")
    func selecting() {
        let selected = split.selecting([2, 0, 2])
        #expect(selected.images == [9, 10, 11, 12, 1, 2, 3, 4, 9, 10, 11, 12])
        #expect(selected.labels == [2, 2, 2])
    }

    @Test("class counts count each label")
    func classCounts() {
        #expect(split.classCounts(classCount: 4) == [1, 0, 2, 0])
    }
}
