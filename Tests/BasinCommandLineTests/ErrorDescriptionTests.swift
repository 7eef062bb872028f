import Foundation
import Testing

@testable import BasinCommandLine

private enum PlainError: Error {
    case broken(code: Int)
}

private struct DescribedError: Error, CustomStringConvertible {
    var description: String { "cycle-002.safetensors: header claims 900 bytes, file has 12" }
}

private struct LocalizedFailure: LocalizedError {
    var errorDescription: String? { "localized message" }
}

@Suite("Error descriptions")
struct ErrorDescriptionTests {
    @Test("an error's own description is printed as it is")
    func described() {
        #expect(
            describe(DescribedError())
                == "cycle-002.safetensors: header claims 900 bytes, file has 12")
        #expect(describe(LocalizedFailure()) == "localized message")
    }

    @Test("Foundation's file errors name the path")
    func foundationFileError() {
        do {
            _ = try Data(contentsOf: URL(fileURLWithPath: "/nonexistent/basin/file.bin"))
            Issue.record("reading a missing file succeeded")
        } catch {
            let message = describe(error)
            #expect(message.hasPrefix("/nonexistent/basin/file.bin: "), "\(message)")
        }
    }

    @Test("an error without a description still says which case it is")
    func plain() {
        #expect(describe(PlainError.broken(code: 3)) == "broken(code: 3)")
    }
}
