import BasinCheckpoint
import BasinTraining
import Foundation
import Testing

@Suite("Metrics log")
struct MetricsLogTests {
    @Test("rows read back, and truncation keeps what a resumed run will not rewrite")
    func readBackAndTruncate() throws {
        let trainer = try TinyRun.trainer()
        var log = MetricsLog()
        try trainer.run(until: 14) { event in
            switch event {
            case .iterationCompleted(let record): log.append(record)
            case .evaluated(let record): log.append(record)
            default: break
            }
        }
        #expect(log.rowCount == 15)
        let url = try temporaryFolder().appendingPathComponent("metrics.csv")
        try log.write(to: url)
        var read = try MetricsLog(contentsOf: url)
        #expect(read == log)
        // Resuming after 12 steps keeps steps 0…11 and the evaluation after 12.
        read.truncate(toCompletedIterations: 12)
        #expect(read.rowCount == 13)
        #expect(read.text.hasSuffix("\r\n"))
        #expect(
            read.text.components(separatedBy: "\r\n").last(where: { !$0.isEmpty })!
                .hasPrefix("evaluation,12,1,,,,,"))
    }

    @Test("a file of another layout is refused with its line")
    func malformed() throws {
        let url = try temporaryFolder().appendingPathComponent("metrics.csv")
        try (MetricsLog.columns.joined(separator: ",") + "\nbogus,1\n").write(
            to: url, atomically: true, encoding: .utf8)
        #expect(throws: RunError.malformedMetrics(path: url.path, line: 2, text: "bogus,1")) {
            try MetricsLog(contentsOf: url)
        }
    }
}
