import Foundation

/// A type with one natural spelling on the command line, so that an option of that type
/// needs no explicit parser: `Option<Double>("--lr", default: 0.1, help: …)`.
///
/// Enumerations with `String` raw values conform by declaring it, with no body:
/// `extension Optimizer: ArgumentValue {}` accepts exactly the raw values.
public protocol ArgumentValue {
    /// The parser used when a declaration names no other.
    static var argumentParser: ValueParser<Self> { get }
}

extension ArgumentValue where Self: RawRepresentable & CaseIterable, RawValue == String {
    public static var argumentParser: ValueParser<Self> { .cases }
}

extension Int: ArgumentValue {
    /// Decimal integers with an optional sign: `12`, `-3`. No exponent, no separators.
    public static var argumentParser: ValueParser<Int> {
        ValueParser(expectation: "an integer") { text in
            guard let value = Int(text) else { throw InvalidValue() }
            return value
        }
    }
}

extension UInt64: ArgumentValue {
    /// Decimal integers from 0 to 2⁶⁴ − 1; seeds use this type.
    public static var argumentParser: ValueParser<UInt64> {
        ValueParser(expectation: "a non-negative integer") { text in
            guard let value = UInt64(text) else { throw InvalidValue() }
            return value
        }
    }
}

extension Double: ArgumentValue {
    /// Finite decimal numbers, with or without exponent: `0.1`, `-2`, `3e-4`. NaN and
    /// infinities are rejected: no option of Basin means anything with them.
    public static var argumentParser: ValueParser<Double> {
        ValueParser(expectation: "a number") { text in
            guard let value = Double(text), value.isFinite else { throw InvalidValue() }
            return value
        }
    }
}

extension Float: ArgumentValue {
    /// Finite decimal numbers in single precision; values beyond its range are rejected.
    public static var argumentParser: ValueParser<Float> {
        ValueParser(expectation: "a number") { text in
            guard let value = Float(text), value.isFinite else { throw InvalidValue() }
            return value
        }
    }
}

extension Bool: ArgumentValue {
    /// `true` or `false`, for a switch that is on by default and must be turned off by
    /// name (`--augment false`); a switch that is off by default is a `Flag`.
    public static var argumentParser: ValueParser<Bool> {
        ValueParser(expectation: "true or false", choices: ["true", "false"]) { text in
            guard let value = Bool(text) else { throw InvalidValue() }
            return value
        }
    }
}

extension String: ArgumentValue {
    /// Any text, including the empty string.
    public static var argumentParser: ValueParser<String> {
        ValueParser(expectation: "text", format: { $0 }) { $0 }
    }
}

extension URL: ArgumentValue {
    /// A file or folder path, absolute or relative to the working directory. The path is
    /// not checked for existence here: the command that opens it reports that, naming it.
    /// Defaults are shown as written (`checkpoints`), not resolved.
    public static var argumentParser: ValueParser<URL> {
        ValueParser(expectation: "a path", format: \.relativePath) { text in
            guard !text.isEmpty else { throw InvalidValue("the path is empty") }
            return URL(fileURLWithPath: text)
        }
    }
}
