import BasinKernels
import Foundation
import Testing

@testable import BasinCheckpoint

@Suite("State archives")
struct StateArchiveTests {
    @Test("vectors, scalars, generator words, strings and doubles round-trip through a file")
    func roundTrip() throws {
        var archive = StateArchive()
        archive.setFloats([0.5, -1.5, 2, 0.25], named: "state.0.momentum_buffer", shape: [2, 2])
        archive.setFloats([1e-8], named: "state.1.exp_avg_sq")
        archive.setInteger(1234, named: "step")
        let generator = SeededGenerator(seed: 42)
        let words = [generator.state.0, generator.state.1, generator.state.2, generator.state.3]
        archive.setUnsignedIntegers(words, named: "generator.state")
        archive.setString("sgd", named: "optimizer")
        archive.setDouble(0.1 + 0.2, named: "param_groups.0.lr")

        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("final.optimizer.safetensors")
        try archive.write(to: url)
        let read = try StateArchive(contentsOf: url)

        #expect(read == archive)
        #expect(read.path == url.path)
        #expect(try read.floats(named: "state.0.momentum_buffer") == [0.5, -1.5, 2, 0.25])
        #expect(read.tensors["state.0.momentum_buffer"]?.shape == [2, 2])
        #expect(try read.integer(named: "step") == 1234)
        #expect(try read.unsignedIntegers(named: "generator.state") == words)
        #expect(try read.string(named: "optimizer") == "sgd")
        #expect(try read.double(named: "param_groups.0.lr") == 0.1 + 0.2)
        #expect(
            read.tensorNames == [
                "generator.state", "state.0.momentum_buffer", "state.1.exp_avg_sq", "step",
            ])
    }

    @Test("a missing entry or one of the wrong kind is named")
    func missing() throws {
        var archive = StateArchive()
        archive.setFloats([1], named: "buffer")
        archive.setString("x", named: "lr")
        #expect(
            throws: CheckpointError.missingStateEntry(
                path: "<memory>", name: "step", expected: "integer scalar")
        ) { try archive.integer(named: "step") }
        #expect(
            throws: CheckpointError.missingStateEntry(
                path: "<memory>", name: "buffer", expected: "integer tensor")
        ) { try archive.integers(named: "buffer") }
        #expect(
            throws: CheckpointError.malformedMetadataValue(
                path: "<memory>", key: "lr", value: "x", expected: "a number")
        ) { try archive.double(named: "lr") }
    }
}
