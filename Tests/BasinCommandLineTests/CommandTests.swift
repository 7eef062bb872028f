import BasinCommandLine
import Testing

/// The example of the `Command` protocol's documentation, verbatim, so that the pattern
/// other commands copy is known to compile and work.
private struct ScaleCommand: Command {
    static let configuration = CommandConfiguration(
        name: "scale",
        abstract: "Multiply numbers by a factor.",
        discussion: "Prints each NUMBER times --factor, one per line.",
        examples: ["basin scale --factor 2 1 2.5"])

    let factor = Option<Double>("--factor", valueName: "X", default: 1, help: "…")
    let json = Flag("--json", help: "Print a JSON array instead of lines.")
    let numbers = VariadicArgument<Double>("NUMBER", help: "The numbers to scale.")

    func run(_ context: CommandContext) throws {
        let scaled = context[numbers].map { $0 * context[factor] }
        if context[json] {
            context.standardOutput.write(try JSONOutput.text(scaled))
        } else {
            for value in scaled { context.standardOutput.write("\(value)\n") }
        }
    }
}

@Suite("Command protocol")
struct CommandTests {
    private let program = Program(
        name: "basin", version: "0", summary: "s", commands: [ScaleCommand.self])

    @Test("the documented example command runs as documented")
    func documentedExample() {
        let lines = run(["scale", "--factor", "2", "1", "2.5"], program: program)
        #expect(lines.status == 0)
        #expect(lines.standardOutput == "2.0\n5.0\n")
        let json = run(["scale", "--json", "1"], program: program)
        #expect(json.standardOutput == "[\n  1\n]\n")
        #expect(run(["scale"], program: program).status == 2)
    }

    @Test("a group needs no run: without a subcommand it is a usage error naming them")
    func groupWithoutSubcommand() {
        let result = run(["group"])
        #expect(result.status == 2)
        #expect(
            result.standardError.hasPrefix("basin: error: 'basin group' needs a command: merge\n"))
    }
}
