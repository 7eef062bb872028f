import BasinData
import Testing

@Suite("data errors")
struct DataErrorTests {
    @Test(
        "every message names the file or argument, what was expected and what was found",
        arguments: [
            (
                DataError.sizeMismatch(
                    path: "/d/x", expectedByteCount: 76, foundByteCount: 69, detail: "a header"),
                ["/d/x", "76", "69"]
            ),
            (
                .labelOutOfRange(path: "/d/l", index: 3, label: 12, classCount: 10),
                ["/d/l", "12", "0..<10", "example 3"]
            ),
            (
                .countMismatch(
                    imagesPath: "/d/i", imageCount: 5, labelsPath: "/d/l", labelCount: 4),
                ["/d/i", "/d/l", "5 images", "4 labels"]
            ),
            (
                .absurdDimensions(path: "/d/i", dimensions: [0, 28, 28], limit: "N ≥ 1"),
                ["/d/i", "0 × 28 × 28", "N ≥ 1"]
            ),
            (
                .invalidValidationCount(requested: 100, trainingCount: 100),
                ["100 validation", "0 < count < 100"]
            ),
            (.unknownAugmentation(text: "flop"), ["'flop'", "crop+flip"]),
        ])
    func messages(error: DataError, fragments: [String]) {
        let message = error.description
        for fragment in fragments {
            #expect(message.contains(fragment), "\(message) lacks \(fragment)")
        }
    }
}
