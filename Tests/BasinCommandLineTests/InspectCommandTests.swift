import Foundation
import Testing

@testable import BasinCommandLine

@Suite("basin inspect")
struct InspectCommandTests {
    @Test("inspect prints the metadata, the tensor table and the model it loads into")
    func table() throws {
        let folder = try trainingTestFolder().appendingPathComponent("run")
        #expect(shortTrainingRun(folder, ["--iterations", "1"]).status == 0)
        let file = folder.appendingPathComponent("final.safetensors").path
        let result = run(["inspect", file], program: .basin)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("metadata  architecture = mlp"))
        #expect(result.standardOutput.contains("fc1.weight  F32    [512, 784]"))
        #expect(
            result.standardOutput.hasSuffix(
                "loads as  mlp (1×28×28, 10 classes, 669706 parameters)\n"))
        let json = run(["inspect", file, "--json"], program: .basin)
        let object =
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8))
            as! [String: Any]
        #expect((object["tensors"] as? [Any])?.count == 6)
        #expect((object["loads_as"] as? String)?.hasPrefix("mlp") == true)
    }

    @Test("a file that is not safetensors is an error naming it")
    func notSafetensors() throws {
        let file = try trainingTestFolder().appendingPathComponent("x.safetensors")
        try Data("hello".utf8).write(to: file)
        let result = run(["inspect", file.path], program: .basin)
        #expect(result.status == 1)
        #expect(result.standardError.contains(file.path))
    }
}
