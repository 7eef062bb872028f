import BasinCommandLine
import Testing

@Suite("Usage error messages")
struct UsageErrorTests {
    @Test(
        "each message names the culprit, the expectation and what was found",
        arguments: [
            (
                UsageError.unknownCommand("trian", parent: "basin", suggestion: "train"),
                "unknown command 'trian' for 'basin'; did you mean 'train'?"
            ),
            (
                .missingSubcommand(command: "basin sweep", available: ["run", "merge"]),
                "'basin sweep' needs a command: run, merge"
            ),
            (
                .unknownOption("--lrr", command: "basin train", suggestion: nil),
                "unknown option '--lrr' for 'basin train'"
            ),
            (
                .missingValue(option: "--lr", expected: "a number"),
                "--lr expects a number; got nothing"
            ),
            (
                .invalidValue(option: "--lr", expected: "a number", found: "x", reason: "why"),
                "--lr expects a number; got 'x' (why)"
            ),
            (
                .flagWithValue(flag: "--json", found: "--json=1"),
                "--json is a flag and takes no value; got '--json=1'"
            ),
            (
                .repeatedOption(option: "--lr", first: "1", second: "2"),
                "--lr is given twice ('1', then '2'); give it once"
            ),
            (.missingOption(synopsis: "--data PATH"), "missing required option --data PATH"),
            (.missingArgument(valueName: "CHECKPOINT"), "missing CHECKPOINT"),
            (
                .tooFewArguments(valueName: "CHECKPOINT", minimumCount: 2, found: 1),
                "CHECKPOINT... needs at least 2 values; got 1"
            ),
            (
                .unexpectedArgument("x", command: "basin version"),
                "unexpected argument 'x' for 'basin version'"
            ),
            (.conflict("--a and --b exclude each other"), "--a and --b exclude each other"),
        ])
    func messages(error: UsageError, message: String) {
        #expect(error.description == message)
    }
}
