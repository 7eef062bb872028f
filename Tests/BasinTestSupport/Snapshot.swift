import Foundation
import Testing

/// Compares `text` with the snapshot file `name` in `directory` (a test target's
/// `Snapshots` folder in the source tree). With the environment variable
/// `BASIN_RECORD_SNAPSHOTS=1` the snapshot is written instead and the test passes, so a
/// deliberate change of output is recorded by one run and reviewed in the diff.
public func expectSnapshot(
    _ text: String, named name: String, in directory: URL,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let file = directory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["BASIN_RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file, options: .atomic)
        return
    }
    guard let recorded = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record(
            "no snapshot \(file.path); run with BASIN_RECORD_SNAPSHOTS=1 to record it",
            sourceLocation: sourceLocation)
        return
    }
    if recorded != text {
        let actualLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = recorded.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference =
            zip(actualLines, expectedLines).enumerated()
            .first { $0.element.0 != $0.element.1 }?.offset
            ?? min(actualLines.count, expectedLines.count)
        let got =
            firstDifference < actualLines.count ? String(actualLines[firstDifference]) : "<end>"
        let want =
            firstDifference < expectedLines.count ? String(expectedLines[firstDifference]) : "<end>"
        Issue.record(
            "snapshot \(name) differs at line \(firstDifference + 1):\n  got:  \(got)\n  want: \(want)",
            sourceLocation: sourceLocation)
    }
}

/// The `Snapshots` folder beside the test file that calls this.
public func snapshotDirectory(filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
}
