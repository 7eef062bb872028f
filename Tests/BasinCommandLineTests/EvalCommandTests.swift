import BasinCheckpoint
import Foundation
import Testing

@testable import BasinCommandLine

@Suite("basin eval")
struct EvalCommandTests {
    @Test("eval reproduces the trainer's final test metrics exactly")
    func matchesTraining() throws {
        let folder = try trainingTestFolder().appendingPathComponent("run")
        #expect(shortTrainingRun(folder, ["--iterations", "6", "--val", "500"]).status == 0)
        let final = folder.appendingPathComponent("final.safetensors")
        let metadata = try Checkpoint(contentsOf: final).metadata
        let result = run(["eval", final.path, "--json", "--batch-size", "300"], program: .basin)
        #expect(result.status == 0, "\(result.standardError)")
        let object =
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
            as! [String: Any]
        // Running statistics: the batch size does not change the numbers beyond rounding.
        #expect(abs((object["loss"] as! Double) - metadata.testLoss!) < 1e-6)
        #expect(object["accuracy"] as? Double == metadata.testAccuracy)
        #expect(object["examples"] as? Int == 2000)
        #expect(object["bn_mode"] as? String == "running")

        let validation = run(["eval", final.path, "--split", "validation"], program: .basin)
        #expect(validation.status == 0, "\(validation.standardError)")
        #expect(validation.standardOutput.contains("(500 images of embedded"))
    }

    @Test("a file without metadata needs --model")
    func needsModel() throws {
        let folder = try trainingTestFolder()
        let bare = folder.appendingPathComponent("bare.safetensors")
        #expect(
            shortTrainingRun(folder.appendingPathComponent("run"), ["--iterations", "1"])
                .status == 0)
        var checkpoint = try Checkpoint(
            contentsOf: folder.appendingPathComponent("run/final.safetensors"))
        checkpoint.metadata = CheckpointMetadata()
        checkpoint.metadata.formatVersion = nil
        try checkpoint.write(to: bare)
        let refused = run(["eval", bare.path], program: .basin)
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("--model"))
        let accepted = run(["eval", bare.path, "--model", "mlp", "--bn", "batch"], program: .basin)
        #expect(accepted.status == 0, "\(accepted.standardError)")
        #expect(accepted.standardOutput.hasPrefix("test loss "))
    }
}
