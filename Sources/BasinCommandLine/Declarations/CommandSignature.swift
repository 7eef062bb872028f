/// The declarations of one command, read from its stored properties by reflection, in
/// the order they are written.
///
/// Reading the declarations from the command itself is what keeps help and parsing in
/// step: there is no second list to forget. The checks here catch a programmer's mistakes
/// (two options with one name, a positional after a variadic one) the first time the
/// command's help or parser is built, which the tests do for every registered command.
struct CommandSignature {
    /// Every declaration, in declaration order.
    let declarations: [ErasedDeclaration]

    /// Options, repeated options and flags, in declaration order.
    var options: [ErasedDeclaration] { declarations.filter { !$0.isPositional } }
    /// Positionals, in declaration order.
    var positionals: [ErasedDeclaration] { declarations.filter(\.isPositional) }

    init(of command: any Command.Type) {
        let declarations = Self.declarations(in: command.init())
        self.init(declarations: declarations, commandName: command.configuration.name)
        precondition(
            command.configuration.subcommands.isEmpty || declarations.isEmpty,
            "'\(command.configuration.name)' has subcommands, so it declares no options")
    }

    /// The declarations among the stored properties of `value`, in order, those of an
    /// `OptionGroup` property taking its place.
    private static func declarations(in value: Any) -> [ErasedDeclaration] {
        Mirror(reflecting: value).children.flatMap { child -> [ErasedDeclaration] in
            if let declaration = child.value as? ArgumentDeclaration {
                return [declaration.erased]
            }
            if child.value is OptionGroup {
                return declarations(in: child.value)
            }
            return []
        }
    }

    init(declarations: [ErasedDeclaration], commandName: String) {
        self.declarations = declarations
        checkNames(commandName: commandName)
        checkPositionalOrder(commandName: commandName)
    }

    /// Names are unique and do not take the global options' names.
    private func checkNames(commandName: String) {
        var seen = Set(GlobalOptions.reservedNames)
        for declaration in declarations {
            let names =
                declaration.isPositional
                ? [declaration.valueName]
                : [declaration.longName, declaration.shortName.map { "-\($0)" }].compactMap { $0 }
            for name in names {
                precondition(
                    seen.insert(name).inserted,
                    "'\(commandName)' declares '\(name)' twice or reuses a global option")
            }
        }
    }

    /// Required positionals come first, then optional ones, then at most one variadic.
    private func checkPositionalOrder(commandName: String) {
        var sawOptional = false
        var sawVariadic = false
        for positional in positionals {
            precondition(
                !sawVariadic,
                "'\(commandName)': \(positional.valueName) follows a variadic positional")
            if positional.kind == .variadicArgument {
                sawVariadic = true
            } else if positional.isRequired {
                precondition(
                    !sawOptional,
                    "'\(commandName)': required \(positional.valueName) follows an optional one")
            } else {
                sawOptional = true
            }
        }
    }

    /// The option whose long name is `name` (`--lr`) or whose short name is `name` (`-o`).
    func option(named name: String) -> ErasedDeclaration? {
        options.first { $0.longName == name || $0.shortName.map { "-\($0)" } == name }
    }
}
