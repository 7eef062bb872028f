import Testing

@testable import BasinCheckpoint

@Suite("Checkpoint error messages")
struct CheckpointErrorTests {
    @Test(
        "messages name the file, the tensor, what was expected and what was found",
        arguments: [
            (
                CheckpointError.headerBeyondFile(
                    path: "a.safetensors", headerByteCount: 1000, availableByteCount: 12),
                ["a.safetensors", "1000", "12", "truncated"]
            ),
            (
                CheckpointError.shapeMismatchesByteRange(
                    path: "a.safetensors", tensor: "fc.weight", shape: [10, 16], dtype: "F32",
                    expectedByteCount: 640, foundByteCount: 600),
                ["a.safetensors", "fc.weight", "[10, 16]", "640", "600"]
            ),
            (
                CheckpointError.unknownDType(path: "a.safetensors", tensor: "w", dtype: "Q7"),
                ["a.safetensors", "tensor w", "Q7"]
            ),
            (
                CheckpointError.malformedMetadataValue(
                    path: "a.safetensors", key: "epoch", value: "x", expected: "an integer"),
                ["a.safetensors", "epoch", "\"x\"", "an integer"]
            ),
        ])
    func messages(error: CheckpointError, fragments: [String]) {
        let message = "\(error)"
        for fragment in fragments {
            #expect(message.contains(fragment), "\(message) lacks \(fragment)")
        }
    }

    @Test("a layout mismatch lists at most 20 problems and counts the rest")
    func longLayoutMessage() {
        let problems = (0..<25).map { LayoutProblem.missing(name: "t\($0)", expectedShape: [1]) }
        let message = "\(CheckpointError.layoutMismatch(path: "f", problems: problems))"
        #expect(message.contains("(25 differences)"))
        #expect(message.contains("t19"))
        #expect(!message.contains("t20 "))
        #expect(message.contains("… and 5 more"))
    }
}
