import Foundation
import Testing

@testable import BasinCommandLine

/// The value lines `ExampleCommand` prints, as a dictionary.
private func values(_ words: [String]) -> [String: String] {
    let result = run(words)
    #expect(result.status == 0, "\(words): \(result.standardError)")
    var values: [String: String] = [:]
    for line in result.standardOutput.split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1)
        values[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
    }
    return values
}

/// The usage error that parsing `words` throws, or nil.
private func usageError(_ words: [String]) -> UsageError? {
    do {
        _ = try CommandLineParser(program: exampleProgram).parse(words)
        return nil
    } catch let failure as ParseFailure {
        return failure.error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite("Command-line parser: values")
struct CommandLineParserValueTests {
    @Test("absent options take their defaults and the required ones are given")
    func defaults() {
        let parsed = values(["example", "--data", "fashion", "a.safetensors"])
        #expect(parsed["data"] == "fashion")
        #expect(parsed["lr"] == "0.1")
        #expect(parsed["epochs"] == "30")
        #expect(parsed["optimizer"] == "sgd")
        #expect(parsed["alpha"] == "-0.5:1.5:41")
        #expect(parsed["seed"] == "0")
        #expect(parsed["label"] == "none")
        #expect(parsed["batch-size"] == "128")
        #expect(parsed["vary"] == "[]")
        #expect(parsed["tag"] == "[]")
        #expect(parsed["json"] == "false")
        #expect(parsed["verbose"] == "false")
        #expect(parsed["first"] == "a.safetensors")
        #expect(parsed["scale"] == "1.0")
        #expect(parsed["extras"] == "[]")
        #expect(parsed["quiet"] == "false")
        #expect(parsed["lr given"] == "false")
    }

    @Test("an option takes its value from the next word or after '='")
    func separateAndInlineValues() {
        let separate = values(["example", "--data", "d", "--lr", "0.3", "a"])
        let inline = values(["example", "--data=d", "--lr=0.3", "a"])
        #expect(separate["lr"] == "0.3")
        #expect(inline["lr"] == "0.3")
        #expect(inline["data"] == "d")
        #expect(separate["lr given"] == "true")
    }

    @Test("an inline value may be empty or contain '='")
    func inlineEdgeCases() {
        #expect(values(["example", "--data", "d", "--label=", "a"])["label"] == "")
        #expect(values(["example", "--data", "d", "--label=a=b", "a"])["label"] == "a=b")
    }

    @Test("short names work for options and flags")
    func shortNames() {
        let parsed = values(["example", "--data", "d", "-e", "5", "-v", "a"])
        #expect(parsed["epochs"] == "5")
        #expect(parsed["verbose"] == "true")
    }

    @Test("typed values: integers, seeds, enumerations by raw value, optional text")
    func typedValues() {
        let parsed = values([
            "example", "--data", "d", "--epochs", "-2", "--seed", "18446744073709551615",
            "--optimizer", "adamw", "--label", "run one", "a",
        ])
        #expect(parsed["epochs"] == "-2")
        #expect(parsed["seed"] == "18446744073709551615")
        #expect(parsed["optimizer"] == "adamw")
        #expect(parsed["label"] == "run one")
    }

    @Test("a custom parser reads START:END:COUNT even when it starts with '-'")
    func customParser() {
        #expect(
            values(["example", "--data", "d", "--alpha", "-1:2:4", "a"])["alpha"] == "-1.0:2.0:4")
    }

    @Test("a repeated option keeps every value in the order given")
    func repeatedOption() {
        let parsed = values([
            "example", "--data", "d", "--vary", "wd=1e-4,5e-4", "--tag", "x", "--vary=lr=0.1",
            "a",
        ])
        #expect(parsed["vary"] == #"["wd:[0.0001, 0.0005]", "lr:[0.1]"]"#)
        #expect(parsed["tag"] == #"["x"]"#)
    }

    @Test("positionals fill in order: required, optional, then the variadic rest")
    func positionals() {
        let one = values(["example", "--data", "d", "a"])
        let two = values(["example", "--data", "d", "a", "2.5"])
        let many = values(["example", "a", "2.5", "x", "--data", "d", "y"])
        #expect(one["scale"] == "1.0")
        #expect(two["scale"] == "2.5")
        #expect(two["extras"] == "[]")
        #expect(many["first"] == "a")
        #expect(many["extras"] == #"["x", "y"]"#)
    }

    @Test("a negative number is a positional value, not an option")
    func negativePositional() {
        #expect(values(["example", "--data", "d", "a", "-2"])["scale"] == "-2.0")
        #expect(values(["example", "--data", "d", "a", "-.5"])["scale"] == "-0.5")
    }

    @Test("'--' ends the options; '-' alone is a value")
    func doubleDash() {
        let parsed = values(["example", "--data", "d", "a", "1", "-", "--", "--json", "-v"])
        #expect(parsed["json"] == "false")
        #expect(parsed["extras"] == #"["-", "--json", "-v"]"#)
    }

    @Test("--quiet is accepted before and after the command name")
    func quiet() {
        #expect(values(["--quiet", "example", "--data", "d", "a"])["quiet"] == "true")
        #expect(values(["example", "-q", "--data", "d", "a"])["quiet"] == "true")
    }

    @Test("a subcommand of a group parses its own options")
    func nestedSubcommand() {
        let result = run(["group", "merge", "a.csv", "b.csv", "-o", "all.csv"])
        #expect(result.status == 0)
        #expect(result.standardOutput == "merge a.csv b.csv -> all.csv\n")
    }

    @Test("--help anywhere before '--' asks for help, whatever else is wrong")
    func helpAnywhere() throws {
        let parser = CommandLineParser(program: exampleProgram)
        for words in [
            ["example", "--lr", "fast", "--help"], ["-h", "example"], ["group", "--help"],
            ["group", "merge", "-h"], ["--help"],
        ] {
            let invocation = try parser.parse(words)
            guard case .help = invocation.action else {
                Issue.record("\(words) did not ask for help")
                continue
            }
        }
        let invocation = try parser.parse(["example", "--data", "d", "a", "1", "--", "--help"])
        guard case .run = invocation.action else {
            Issue.record("--help after '--' is a positional value")
            return
        }
    }
}

@Suite("Command-line parser: errors")
struct CommandLineParserErrorTests {
    @Test("a misspelt option is named with the closest declared one")
    func unknownOptionWithSuggestion() {
        #expect(
            usageError(["example", "--data", "d", "--lrr", "0.1", "a"])
                == .unknownOption("--lrr", command: "basin example", suggestion: "--lr"))
        #expect(
            usageError(["example", "--optimiser", "sgd"])
                == .unknownOption(
                    "--optimiser", command: "basin example", suggestion: "--optimizer"))
        #expect(
            usageError(["example", "--zzz"])
                == .unknownOption("--zzz", command: "basin example", suggestion: nil))
        #expect(
            usageError(["example", "-x"])
                == .unknownOption("-x", command: "basin example", suggestion: nil))
        #expect(
            usageError(["--verison"])
                == .unknownOption("--verison", command: "basin", suggestion: "--version"))
    }

    @Test("a misspelt command is named with the closest one")
    func unknownCommand() {
        #expect(
            usageError(["exampel"])
                == .unknownCommand("exampel", parent: "basin", suggestion: "example"))
        #expect(
            usageError(["group", "merg"])
                == .unknownCommand("merg", parent: "basin group", suggestion: "merge"))
        #expect(
            usageError(["train"]) == .unknownCommand("train", parent: "basin", suggestion: nil))
    }

    @Test("a group or the program without a command is a usage error")
    func missingSubcommand() {
        #expect(
            usageError([])
                == .missingSubcommand(
                    command: "basin", available: ["help", "example", "group", "fail", "progress"]))
        #expect(
            usageError(["group"])
                == .missingSubcommand(command: "basin group", available: ["merge"]))
    }

    @Test("an option without its value says what it expected")
    func missingValue() {
        #expect(
            usageError(["example", "a", "--lr"])
                == .missingValue(option: "--lr", expected: "a number"))
        #expect(
            usageError(["example", "a", "--lr", "--json"])
                == .missingValue(option: "--lr", expected: "a number"))
    }

    @Test("a value that does not parse names the flag, the expectation and the text")
    func invalidValues() {
        #expect(
            usageError(["example", "--lr", "fast"])
                == .invalidValue(option: "--lr", expected: "a number", found: "fast", reason: nil))
        #expect(
            usageError(["example", "--lr", "nan"])
                == .invalidValue(option: "--lr", expected: "a number", found: "nan", reason: nil))
        #expect(
            usageError(["example", "-e", "2.5"])
                == .invalidValue(
                    option: "--epochs", expected: "an integer", found: "2.5", reason: nil))
        #expect(
            usageError(["example", "--seed", "-1"])
                == .invalidValue(
                    option: "--seed", expected: "a non-negative integer", found: "-1", reason: nil))
        #expect(
            usageError(["example", "--optimizer", "adam"])
                == .invalidValue(
                    option: "--optimizer", expected: "one of sgd, adamw", found: "adam", reason: nil
                ))
        #expect(
            usageError(["example", "--data", ""])
                == .invalidValue(
                    option: "--data", expected: "a path", found: "", reason: "the path is empty"))
    }

    @Test("custom parsers give their expectation and their reason")
    func customParserErrors() {
        let grid = usageError(["example", "--alpha", "3"])
        #expect(grid?.description == "--alpha expects START:END:COUNT, e.g. -0.5:1.5:41; got '3'")
        #expect(
            usageError(["example", "--alpha", "0:1:1"])?.description
                == "--alpha expects START:END:COUNT, e.g. -0.5:1.5:41; got '0:1:1' "
                + "(COUNT must be at least 2)")
        #expect(
            usageError(["example", "--vary", "wd=1,x"])
                == .invalidValue(
                    option: "--vary", expected: "KEY=VALUES, e.g. wd=1e-4,5e-4", found: "wd=1,x",
                    reason: "'x' is not a number"))
        #expect(
            usageError(["example", "--batch-size", "0"])
                == .invalidValue(
                    option: "--batch-size", expected: "a positive integer", found: "0",
                    reason: "must be at least 1"))
    }

    @Test("a positional that does not parse is named by its value name")
    func invalidPositional() {
        #expect(
            usageError(["example", "--data", "d", "a", "big"])
                == .invalidValue(option: "SCALE", expected: "a number", found: "big", reason: nil))
    }

    @Test("a flag given a value is an error")
    func flagWithValue() {
        #expect(
            usageError(["example", "--json=yes"])
                == .flagWithValue(flag: "--json", found: "--json=yes"))
        #expect(
            usageError(["example", "--quiet=1"])
                == .flagWithValue(flag: "--quiet", found: "--quiet=1"))
    }

    @Test("a single-valued option given twice is an error that quotes both values")
    func repeatedOption() {
        #expect(
            usageError(["example", "--lr", "0.1", "--lr=0.2"])
                == .repeatedOption(option: "--lr", first: "0.1", second: "0.2"))
    }

    @Test("missing required options and positionals are named")
    func missingRequired() {
        #expect(usageError(["example", "a"]) == .missingOption(synopsis: "--data PATH"))
        #expect(usageError(["example", "--data", "d"]) == .missingArgument(valueName: "FIRST"))
        #expect(
            usageError(["group", "merge", "a.csv"])
                == .tooFewArguments(valueName: "TABLE", minimumCount: 2, found: 1))
    }

    @Test("a positional the command has no place for is an error")
    func unexpectedArgument() {
        #expect(
            usageError(["fail", "extra"]) == .unexpectedArgument("extra", command: "basin fail"))
    }
}
