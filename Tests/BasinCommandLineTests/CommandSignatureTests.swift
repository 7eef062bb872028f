import Testing

@testable import BasinCommandLine

@Suite("Command signatures")
struct CommandSignatureTests {
    @Test("declarations are found in the order written, those of a group in its place")
    func order() {
        let signature = CommandSignature(of: ExampleCommand.self)
        #expect(
            signature.options.map(\.synopsis) == [
                "--data PATH", "--lr RATE", "-e, --epochs N", "--optimizer NAME",
                "--alpha START:END:COUNT", "--seed SEED", "--label TEXT", "--batch-size N",
                "--vary KEY=VALUES", "--tag TAG", "--json", "-v, --verbose",
            ])
        #expect(signature.positionals.map(\.synopsis) == ["FIRST", "SCALE", "EXTRA..."])
    }

    @Test("required, defaulted and optional declarations are told apart")
    func requiredness() {
        let signature = CommandSignature(of: ExampleCommand.self)
        let required = signature.declarations.filter(\.isRequired).map(\.displayName)
        #expect(required == ["--data", "FIRST"])
    }

    @Test("every command of every program builds a valid signature and help")
    func everyCommand() {
        for program in [Program.basin, exampleProgram] {
            var pending = program.commands
            while let command = pending.popLast() {
                _ = CommandSignature(of: command)
                #expect(!HelpFormatter(program: program).help(for: [command]).isEmpty)
                #expect(command.configuration.abstract.hasSuffix("."))
                pending += command.configuration.subcommands
            }
        }
    }

    @Test("options are found by long and by short name")
    func lookup() {
        let signature = CommandSignature(of: ExampleCommand.self)
        #expect(signature.option(named: "--epochs")?.key == "--epochs")
        #expect(signature.option(named: "-e")?.key == "--epochs")
        #expect(signature.option(named: "--nothing") == nil)
    }
}
