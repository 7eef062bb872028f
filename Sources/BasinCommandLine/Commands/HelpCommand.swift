/// `basin help [COMMAND...]`: the help of the program or of one command.
struct HelpCommand: Command {
    static let configuration = CommandConfiguration(
        name: "help",
        abstract: "Show help for basin or for one of its commands.",
        discussion: """
            Without a command, lists the commands and the global options. With one, shows
            its usage, what it does, every option with its default, and examples. Name a
            subcommand after its group. 'basin COMMAND --help' shows the same text.
            """,
        examples: ["basin help", "basin help help"])

    let command = VariadicArgument<String>(
        "COMMAND", minimumCount: 0, help: "The command to explain, a subcommand after its group.")

    func run(_ context: CommandContext) throws {
        var path: [any Command.Type] = []
        var level = context.program.commands
        let parser = CommandLineParser(program: context.program)
        for name in context[command] {
            guard let found = level.first(where: { $0.configuration.name == name }) else {
                throw UsageError.unknownCommand(
                    name, parent: parser.commandName(path),
                    suggestion: closestMatch(to: name, among: level.map { $0.configuration.name }))
            }
            path.append(found)
            level = found.configuration.subcommands
        }
        context.standardOutput.write(HelpFormatter(program: context.program).help(for: path))
    }
}
