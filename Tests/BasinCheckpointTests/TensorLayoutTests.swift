import BasinNetwork
import Testing

@testable import BasinCheckpoint

@Suite("Matching tensors to a model's layout")
struct TensorLayoutTests {
    let expected = [
        TensorLayout(name: "conv1.weight", shape: [16, 1, 3, 3], kind: .float),
        TensorLayout(name: "bn1.running_var", shape: [16], kind: .float),
        TensorLayout(name: "bn1.num_batches_tracked", shape: [], kind: .integer),
        TensorLayout(name: "fc.weight", shape: [10, 16], kind: .float),
    ]

    func tensor(_ layout: TensorLayout) -> NamedTensor {
        let count = layout.shape.reduce(1, *)
        switch layout.kind {
        case .float:
            return NamedTensor(
                name: layout.name, shape: layout.shape,
                values: .float32(Array(repeating: 0, count: count)))
        case .integer:
            return NamedTensor(
                name: layout.name, shape: layout.shape,
                values: .int64(Array(repeating: 0, count: count)))
        }
    }

    @Test("matching tensors come back in the model's order")
    func match() throws {
        let tensors = expected.reversed().map(tensor)
        let matched = try matchLayout(tensors, to: expected, path: "a.safetensors")
        #expect(matched.map(\.name) == expected.map(\.name))
        #expect(layoutProblems(of: tensors, expected: expected).isEmpty)
    }

    @Test("every difference is listed: missing, unexpected, wrong shape, wrong kind")
    func problems() {
        var tensors = expected.map(tensor)
        tensors.remove(at: 0)
        tensors[0] = floatTensor("bn1.running_var", [8], Array(repeating: 0, count: 8))
        tensors[1] = floatTensor("bn1.num_batches_tracked", [], [0])
        tensors.append(floatTensor("module.fc.bias", [10], Array(repeating: 0, count: 10)))
        let problems = layoutProblems(of: tensors, expected: expected)
        #expect(
            problems == [
                .missing(name: "conv1.weight", expectedShape: [16, 1, 3, 3]),
                .shapeMismatch(name: "bn1.running_var", expectedShape: [16], foundShape: [8]),
                .kindMismatch(name: "bn1.num_batches_tracked", expected: .integer, found: .float),
                .unexpected(name: "module.fc.bias", foundShape: [10]),
            ])
        do {
            _ = try matchLayout(tensors, to: expected, path: "run/final.safetensors")
            Issue.record("a mismatching file matched")
        } catch {
            let message = "\(error)"
            #expect(
                message.hasPrefix(
                    "run/final.safetensors: tensors do not match the model (4 differences)"))
            #expect(message.contains("missing tensor conv1.weight (expected shape [16, 1, 3, 3])"))
            #expect(message.contains("tensor bn1.running_var: expected shape [16], found [8]"))
            #expect(message.contains("unexpected tensor module.fc.bias"))
        }
    }

    @Test("an integer scalar stored as [1] fits a model that expects []")
    func scalarCounter() throws {
        var tensors = expected.map(tensor)
        tensors[2] = NamedTensor(name: "bn1.num_batches_tracked", shape: [1], values: .int64([5]))
        #expect(layoutProblems(of: tensors, expected: expected).isEmpty)
        tensors[2] = NamedTensor(
            name: "bn1.num_batches_tracked", shape: [2], values: .int64([5, 6]))
        #expect(
            layoutProblems(of: tensors, expected: expected) == [
                .shapeMismatch(name: "bn1.num_batches_tracked", expectedShape: [], foundShape: [2])
            ])
    }
}
