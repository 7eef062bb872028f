/// Writes the help of the program and of its commands from their declarations.
///
/// Everything shown comes from `CommandConfiguration` and from the declarations the
/// parser uses, so help cannot promise an option the parser does not know or show a
/// default that is not the one in force.
struct HelpFormatter {
    let program: Program

    /// The help of the command at `path`, or of the program when `path` is empty.
    func help(for path: [any Command.Type]) -> String {
        guard let command = path.last else { return programHelp() }
        let configuration = command.configuration
        var sections: [[String]] = [usageLines(for: path), [configuration.abstract]]
        if !configuration.discussion.isEmpty {
            sections.append(
                configuration.discussion.split(
                    separator: "\n", omittingEmptySubsequences: false
                ).map(String.init))
        }
        if configuration.subcommands.isEmpty {
            let signature = CommandSignature(of: command)
            if !signature.positionals.isEmpty {
                sections.append(
                    ["arguments:"]
                        + TextLayout.twoColumns(
                            signature.positionals.map { ($0.synopsis, annotatedHelp($0)) }))
            }
            if !signature.options.isEmpty {
                sections.append(["options:"] + optionRows(signature.options))
            }
        } else {
            sections.append(["commands:"] + commandRows(configuration.subcommands))
        }
        sections.append(["global options:"] + optionRows(GlobalOptions.everywhere))
        if !configuration.examples.isEmpty {
            sections.append(["examples:"] + configuration.examples.map { "  " + $0 })
        }
        if !configuration.subcommands.isEmpty {
            let name = commandName(path)
            sections.append([
                "Run '\(program.name) help \(name.dropProgram) COMMAND' "
                    + "for the options of a command."
            ])
        }
        return render(sections)
    }

    /// The program's help: what it is, its commands and the global options.
    func programHelp() -> String {
        render([
            ["\(program.name) \(program.version): \(program.summary)"],
            usageLines(for: []),
            ["commands:"] + commandRows(program.commands),
            ["global options:"] + optionRows(GlobalOptions.atTop),
            ["Run '\(program.name) help COMMAND' for the options of a command."],
        ])
    }

    /// `usage: basin train [options] --data PATH CHECKPOINT`, wrapped under its start.
    func usageLines(for path: [any Command.Type]) -> [String] {
        let prefix = "usage: " + commandName(path)
        var words: [String] = []
        if let command = path.last, command.configuration.subcommands.isEmpty {
            let signature = CommandSignature(of: command)
            words.append("[options]")
            words += signature.options.filter(\.isRequired).map(\.synopsis)
            words += signature.positionals.map { positional in
                positional.isRequired ? positional.synopsis : "[\(positional.synopsis)]"
            }
        } else {
            words += ["COMMAND", "[options]"]
        }
        return TextLayout.wrap(
            words.joined(separator: " "), width: TextLayout.width, indent: prefix.count + 1,
            firstIndent: prefix + " ")
    }

    private func commandName(_ path: [any Command.Type]) -> String {
        CommandLineParser(program: program).commandName(path)
    }

    private func commandRows(_ commands: [any Command.Type]) -> [String] {
        TextLayout.twoColumns(
            commands.map { ($0.configuration.name, $0.configuration.abstract) })
    }

    /// Option rows, long-only names indented to line up with those that have a short one.
    private func optionRows(_ options: [ErasedDeclaration]) -> [String] {
        let anyShort = options.contains { $0.shortName != nil }
        return TextLayout.twoColumns(
            options.map { option in
                let indent = anyShort && option.shortName == nil ? "    " : ""
                return (indent + option.synopsis, annotatedHelp(option))
            })
    }

    /// The help text followed by what a reader needs to type it: the choices, the
    /// default, whether it is required or repeatable.
    private func annotatedHelp(_ declaration: ErasedDeclaration) -> String {
        var notes: [String] = []
        if let choices = declaration.choices {
            notes.append("one of: " + choices.joined(separator: ", "))
        }
        if let shown = declaration.defaultDescription {
            notes.append("default: " + (shown.isEmpty ? "\"\"" : shown))
        }
        switch declaration.kind {
        case .option where declaration.isRequired:
            notes.append("required")
        case .repeatedOption:
            notes.append("repeatable")
        case .variadicArgument where declaration.minimumCount > 1:
            notes.append("at least \(declaration.minimumCount)")
        default:
            break
        }
        guard !notes.isEmpty else { return declaration.help }
        return declaration.help + " (" + notes.joined(separator: "; ") + ")"
    }

    private func render(_ sections: [[String]]) -> String {
        sections.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }
}

extension String {
    /// `basin sweep` → `sweep`: the command name without the program's.
    fileprivate var dropProgram: Substring {
        guard let space = firstIndex(of: " ") else { return "" }
        return self[index(after: space)...]
    }
}
