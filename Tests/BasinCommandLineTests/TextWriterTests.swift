import Dispatch
import Testing

@testable import BasinCommandLine

@Suite("Text writers")
struct TextWriterTests {
    @Test("a capturing writer keeps everything written, in order")
    func capture() {
        let writer = TextWriter.capturing()
        writer.write("a")
        writer.writeLine("b")
        #expect(writer.capturedText == "ab\n")
        #expect(!writer.isTerminal)
        #expect(TextWriter.capturing(isTerminal: true).isTerminal)
    }

    @Test("writes from many threads are never torn")
    func concurrentWrites() {
        let writer = TextWriter.capturing()
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            writer.writeLine("line \(index) " + String(repeating: "x", count: 50))
        }
        let lines = writer.capturedText.split(separator: "\n")
        #expect(lines.count == 200)
        #expect(lines.allSatisfy { $0.hasSuffix(String(repeating: "x", count: 50)) })
    }
}
