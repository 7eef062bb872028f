import BasinTestSupport
import Foundation
import Testing

@testable import BasinCommandLine

@Suite("Help text")
struct HelpFormatterTests {
    @Test("basin help lists the registered commands and the global options")
    func programHelp() throws {
        let result = run(["help"], program: .basin)
        #expect(result.status == 0)
        #expect(result.standardError == "")
        try expectSnapshot(result.standardOutput, named: "basin-help.txt", in: snapshotDirectory())
    }

    @Test("a command's --help shows every declaration with its default")
    func commandHelp() throws {
        let result = run(["example", "--help"])
        #expect(result.status == 0)
        try expectSnapshot(
            result.standardOutput, named: "example-help.txt", in: snapshotDirectory())
    }

    @Test("a group's help lists its subcommands; a subcommand's help has its own usage")
    func groupHelp() throws {
        let group = run(["group", "--help"])
        let merge = run(["help", "group", "merge"])
        #expect(group.status == 0)
        #expect(merge.status == 0)
        try expectSnapshot(group.standardOutput, named: "group-help.txt", in: snapshotDirectory())
        try expectSnapshot(
            merge.standardOutput, named: "group-merge-help.txt", in: snapshotDirectory())
    }

    @Test("the help of every registered command is recorded")
    func registeredCommands() throws {
        for command in CommandRegistry.commands {
            let name = command.configuration.name
            let result = run([name, "--help"], program: .basin)
            #expect(result.status == 0)
            try expectSnapshot(
                result.standardOutput, named: "basin-\(name)-help.txt", in: snapshotDirectory())
        }
    }

    @Test("'basin help CMD', 'basin CMD --help' and 'basin CMD -h' print the same text")
    func helpSpellingsAgree() {
        let spellings = [["help", "example"], ["example", "--help"], ["example", "-h"]]
        let texts = spellings.map { run($0).standardOutput }
        #expect(Set(texts).count == 1)
        #expect(run(["--help"]).standardOutput == run(["help"]).standardOutput)
    }

    @Test("no help line is wider than 80 columns")
    func width() {
        for words in [["help"], ["example", "--help"], ["group", "--help"]] {
            for line in run(words).standardOutput.split(separator: "\n") {
                #expect(line.count <= 80, "\(line)")
            }
        }
    }

    @Test("the usage line names required options and brackets optional positionals")
    func usageLine() {
        let formatter = HelpFormatter(program: exampleProgram)
        #expect(
            formatter.usageLines(for: [ExampleCommand.self])
                == ["usage: basin example [options] --data PATH FIRST [SCALE] [EXTRA...]"])
        #expect(
            formatter.usageLines(for: [GroupExampleCommand.self, MergeExampleCommand.self])
                == ["usage: basin group merge [options] TABLE..."])
        #expect(formatter.usageLines(for: []) == ["usage: basin COMMAND [options]"])
    }
}
