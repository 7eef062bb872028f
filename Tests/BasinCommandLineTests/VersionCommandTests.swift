import Testing

@testable import BasinCommandLine

@Suite("version command")
struct VersionCommandTests {
    @Test("'basin version' and 'basin --version' print the same line")
    func sameAsFlag() {
        let command = run(["version"], program: .basin)
        let flag = run(["--version"], program: .basin)
        #expect(command.status == 0)
        #expect(command.standardOutput == "basin \(BasinCommandLine.version)\n")
        #expect(command.standardOutput == flag.standardOutput)
    }

    @Test("the version takes no arguments")
    func noArguments() {
        #expect(run(["version", "2"], program: .basin).status == 2)
    }
}
