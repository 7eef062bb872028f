import Foundation
import Testing

@testable import BasinCheckpoint

@Suite("Run folders")
struct RunFolderTests {
    func touch(_ folder: URL, _ names: [String]) throws {
        for name in names {
            try Data().write(to: folder.appendingPathComponent(name))
        }
    }

    @Test("file names follow the run folder convention")
    func names() {
        #expect(RunFileName.checkpoint(kind: .initial) == "init.safetensors")
        #expect(RunFileName.checkpoint(kind: .cycle, cycle: 3) == "cycle-003.safetensors")
        #expect(RunFileName.checkpoint(kind: .cycle, cycle: 1234) == "cycle-1234.safetensors")
        #expect(
            RunFileName.checkpoint(kind: .snapshot, iteration: 500) == "snapshot-000500.safetensors"
        )
        #expect(
            RunFileName.optimizerState(besideCheckpoint: "final.safetensors")
                == "final.optimizer.safetensors")
        #expect(RunFileName.cycle(ofCheckpoint: "cycle-010.safetensors") == 10)
        #expect(RunFileName.cycle(ofCheckpoint: "cycle-001.optimizer.safetensors") == nil)
        #expect(RunFileName.cycle(ofCheckpoint: "cycle-.safetensors") == nil)
    }

    @Test("without run.json the cycle files are found and ordered by number")
    func scan() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try touch(
            folder,
            [
                "cycle-010.safetensors", "cycle-002.safetensors", "cycle-1000.safetensors",
                "cycle-002.optimizer.safetensors", "init.safetensors", "metrics.csv",
            ])
        let found = try cycleCheckpointFiles(in: folder)
        #expect(found.map(\.cycle) == [2, 10, 1000])
        #expect(
            found.map(\.url.lastPathComponent) == [
                "cycle-002.safetensors", "cycle-010.safetensors", "cycle-1000.safetensors",
            ])
    }

    @Test("two files for one cycle are an error naming both")
    func duplicate() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try touch(folder, ["cycle-1.safetensors", "cycle-001.safetensors"])
        #expect(
            throws: CheckpointError.duplicateCycle(
                path: folder.path, cycle: 1,
                files: ["cycle-001.safetensors", "cycle-1.safetensors"])
        ) { try cycleCheckpointFiles(in: folder) }
    }

    @Test("with run.json its cycle records are the list, and a missing file is named")
    func manifest() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try RunManifestTests.manifest.write(to: folder.appendingPathComponent("run.json"))
        try touch(folder, ["cycle-002.safetensors"])
        let missing = folder.appendingPathComponent("cycle-001.safetensors")
        #expect(throws: CheckpointError.missingCheckpoint(path: missing.path)) {
            try cycleCheckpointFiles(in: folder)
        }
        try touch(folder, ["cycle-001.safetensors"])
        #expect(
            try cycleCheckpointFiles(in: folder) == [CycleCheckpointFile(cycle: 1, url: missing)])
    }

    @Test("a folder that does not exist is named")
    func missingFolder() {
        let folder = URL(fileURLWithPath: "/nonexistent/basin-run")
        #expect(throws: CheckpointError.self) { try cycleCheckpointFiles(in: folder) }
    }
}
