/// A switch that is on when given and off otherwise: `--json`. It takes no value;
/// `--json=yes` is a usage error.
///
///     let json = Flag("--json", help: "Print the result as JSON.")
///     …
///     if context[json] { … }
public struct Flag: ArgumentDeclaration {
    let erased: ErasedDeclaration

    public init(_ name: String, short: Character? = nil, help: String) {
        erased = ErasedDeclaration(
            kind: .flag, longName: checkedLongName(name), shortName: checkedShortName(short),
            valueName: "", help: help, expectation: "no value", choices: nil,
            valueWhenAbsent: false, defaultDescription: nil, parse: { _ in true })
    }
}
