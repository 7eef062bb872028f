/// The commands of `basin`, in the order `basin help` lists them. Adding a command is
/// adding its type here, one line.
public enum CommandRegistry {
    public static let commands: [any Command.Type] = [
        HelpCommand.self,
        VersionCommand.self,
        BenchCommand.self,
    ]
}
