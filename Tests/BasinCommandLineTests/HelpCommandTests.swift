import Testing

@testable import BasinCommandLine

@Suite("help command")
struct HelpCommandTests {
    @Test("'help' alone prints the program's help on stdout")
    func programHelp() {
        let result = run(["help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("basin 9.9.9: a test program\n"))
        #expect(result.standardError == "")
    }

    @Test("'help GROUP SUBCOMMAND' walks down the groups")
    func nested() {
        let result = run(["help", "group", "merge"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("usage: basin group merge [options] TABLE...\n"))
    }

    @Test("an unknown subcommand of a group is named with its parent")
    func unknownNested() {
        let result = run(["help", "group", "mrege"])
        #expect(result.status == 2)
        #expect(
            result.standardError.hasPrefix(
                "basin: error: unknown command 'mrege' for 'basin group'; did you mean 'merge'?\n"
            ))
    }
}
