import Foundation
import Testing

@testable import BasinCommandLine

@Suite("basin lr-find")
struct LRFindCommandTests {
    @Test("the exponential test stops on the blow-up and writes its files and suggestions")
    func exponential() throws {
        let folder = try trainingTestFolder()
        let result = run(
            [
                "lr-find", "--batch-size", "50", "--start", "1e-4", "--end", "1e4",
                "--iterations", "60", "--threads", "1", "--out", folder.path, "--quiet",
            ], program: .basin)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("stopped:"))
        #expect(result.standardOutput.contains("steepest"))
        for name in ["lr-find.csv", "lr-find.json", "lr-find.svg"] {
            #expect(
                FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
        }
        let object =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent("lr-find.json")))
            as! [String: Any]
        let suggestions = object["suggestions"] as! [[String: Any]]
        #expect(suggestions.map { $0["name"] as! String } == ["steepest", "valley", "minimum/10"])
        #expect((object["points"] as! [Any]).count < 60)
    }

    @Test("the linear test measures the held-out split and adds Smith's bounds")
    func linear() throws {
        let folder = try trainingTestFolder()
        let result = run(
            [
                "lr-find", "--shape", "linear", "--end", "0.5", "--iterations", "20",
                "--eval-every", "5", "--batch-size", "50", "--val", "400", "--out", folder.path,
                "--quiet",
            ], program: .basin)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("smith-onecycle-min"))
        let heldOut = try String(
            contentsOf: folder.appendingPathComponent("lr-find-heldout.csv"), encoding: .utf8)
        #expect(heldOut.split(separator: "\r\n").count == 1 + 5)
    }

    @Test("an exponential sweep cannot start at 0")
    func startAtZero() {
        let result = run(["lr-find", "--start", "0"], program: .basin)
        #expect(result.status == 2)
        #expect(result.standardError.contains("--start expects a rate above 0"))
    }
}
