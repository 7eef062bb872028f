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

private struct DuplicateNameCommand: Command {
    static let configuration = CommandConfiguration(name: "duplicate", abstract: "Broken.")
    let first = Flag("--json", help: "One.")
    let second = Option<Int>("--json", default: 1, help: "Two.")
    func run(_ context: CommandContext) throws {}
}

private struct PositionalAfterVariadicCommand: Command {
    static let configuration = CommandConfiguration(name: "broken", abstract: "Broken.")
    let many = VariadicArgument<String>("MANY", help: "Many.")
    let one = Argument<String>("ONE", help: "One.")
    func run(_ context: CommandContext) throws {}
}

@Suite("Command signatures: programmer mistakes")
struct CommandSignatureMistakeTests {
    @Test("two declarations with one name stop at a precondition")
    func duplicateName() async {
        await #expect(processExitsWith: .failure) {
            _ = CommandSignature(of: DuplicateNameCommand.self)
        }
    }

    @Test("a positional after a variadic one stops at a precondition")
    func positionalAfterVariadic() async {
        await #expect(processExitsWith: .failure) {
            _ = CommandSignature(of: PositionalAfterVariadicCommand.self)
        }
    }

    @Test("a command may not take a global option's name")
    func globalName() async {
        await #expect(processExitsWith: .failure) {
            _ = CommandSignature(
                declarations: [Flag("--quiet", help: "Mine.").erased], commandName: "x")
        }
    }

    @Test("a short name must be a letter, so that '-3' stays a number")
    func digitShortName() async {
        await #expect(processExitsWith: .failure) {
            _ = Flag("--three", short: "3", help: "No.")
        }
    }
}
