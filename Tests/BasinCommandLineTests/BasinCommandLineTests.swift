import Foundation
import Testing

@testable import BasinCommandLine

@Suite("Program: exit statuses and error output")
struct BasinCommandLineTests {
    @Test("success exits 0 with results on stdout and nothing on stderr")
    func success() {
        let result = run(["example", "--data", "d", "a"])
        #expect(result.status == ExitStatus.success.rawValue)
        #expect(result.standardError == "")
        #expect(result.standardOutput.hasPrefix("data=d\n"))
    }

    @Test("bad usage exits 2 with the message, the usage line and where to read more")
    func usageError() {
        let result = run(["example", "--data", "d", "--lrr", "0.1", "a"])
        #expect(result.status == ExitStatus.usage.rawValue)
        #expect(result.standardOutput == "")
        #expect(
            result.standardError == """
                basin: error: unknown option '--lrr' for 'basin example'; did you mean '--lr'?
                usage: basin example [options] --data PATH FIRST [SCALE] [EXTRA...]
                Run 'basin help example' for more.

                """)
    }

    @Test("the flag's expectation reaches stderr verbatim")
    func invalidValueMessage() {
        let result = run(["example", "--data", "d", "--alpha", "3", "a"])
        #expect(result.status == 2)
        #expect(
            result.standardError.hasPrefix(
                "basin: error: --alpha expects START:END:COUNT, e.g. -0.5:1.5:41; got '3'\n"))
    }

    @Test("a misspelt command gets a suggestion and the program's usage")
    func unknownCommand() {
        let result = run(["exmaple"])
        #expect(result.status == 2)
        #expect(
            result.standardError == """
                basin: error: unknown command 'exmaple' for 'basin'; did you mean 'example'?
                usage: basin COMMAND [options]
                Run 'basin help' for more.

                """)
    }

    @Test("a runtime failure exits 1 and prints 'basin: error:' with the error's message")
    func runtimeFailure() {
        let result = run(["fail"])
        #expect(result.status == ExitStatus.failure.rawValue)
        #expect(
            result.standardError
                == "basin: error: cannot open checkpoints/run/cycle-001.safetensors: no such file\n"
        )
    }

    @Test("a usage error thrown by a running command exits 2 with that command's usage")
    func usageErrorFromRun() {
        let result = run(["fail", "--usage"])
        #expect(result.status == 2)
        #expect(
            result.standardError == """
                basin: error: --usage cannot be combined with itself
                usage: basin fail [options]
                Run 'basin help fail' for more.

                """)
    }

    @Test("the program without a command exits 2 and lists the commands")
    func noCommand() {
        let result = run([])
        #expect(result.status == 2)
        #expect(
            result.standardError.hasPrefix(
                "basin: error: 'basin' needs a command: help, example, group, fail, progress\n"))
    }

    @Test("--version prints the program's version and exits 0")
    func version() {
        let result = run(["--version"])
        #expect(result.status == 0)
        #expect(result.standardOutput == "basin 9.9.9\n")
        #expect(run(["--version"], program: .basin).standardOutput == "basin 0.1.0\n")
    }

    @Test("progress goes to stderr as plain lines when it is not a terminal")
    func progressOnStandardError() {
        let result = run(["progress"])
        #expect(result.status == 0)
        #expect(result.standardOutput == "done\n")
        #expect(result.standardError.contains("work: 3/3 100%"))
        #expect(!result.standardError.contains("\u{1B}"))
        #expect(run(["--quiet", "progress"]).standardError == "")
    }

    @Test("an error during progress on a terminal starts on a line of its own")
    func errorAfterBar() {
        let result = run(["progress", "--fail"], terminal: true)
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("\rwork ["))
        #expect(
            result.standardError.hasSuffix(
                "\u{1B}[K\nbasin: error: cannot open data: no such file\n"))
    }

    @Test("help of an unknown command is a usage error of 'help'")
    func helpOfUnknownCommand() {
        let result = run(["help", "exampel"])
        #expect(result.status == 2)
        #expect(
            result.standardError.hasPrefix(
                "basin: error: unknown command 'exampel' for 'basin'; did you mean 'example'?\n"
                    + "usage: basin help [options] [COMMAND...]\n"))
    }

    @Test("the basin program offers its registered commands and nothing that does not exist yet")
    func registry() {
        #expect(
            CommandRegistry.commands.map { $0.configuration.name } == [
                "help", "version", "train", "lr-find", "eval", "inspect", "schedule",
                "interpolate", "barriers", "curvature", "hvp", "trajectory", "bench", "sweep",
                "demo",
            ])
        #expect(run(["version"], program: .basin).standardOutput == "basin 0.1.0\n")
    }
}
