import BasinCheckpoint
import Foundation

/// An error from writing JSON.
public enum JSONOutputError: Error, Equatable, CustomStringConvertible {
    /// A `JSONSerialization` object held a value JSON has no form for (NaN, infinity, a
    /// date, a custom type).
    case notRepresentable(String)

    public var description: String {
        switch self {
        case .notRepresentable(let what):
            return "cannot write \(what) as JSON: it holds NaN, an infinity or a value that "
                + "is not a string, number, bool, null, array or string-keyed object"
        }
    }
}

/// JSON as Basin writes it: pretty-printed, keys sorted (so the same value always gives
/// the same bytes and diffs stay small), slashes not escaped, ending with a newline.
///
/// `Encodable` values go through `JSONEncoder`, which writes NaN and the infinities as the
/// strings `"NaN"`, `"Infinity"` and `"-Infinity"` (a diverged loss must not make a report
/// unwritable). Untyped objects go through `JSONSerialization`, which has no such
/// escape, so they are checked first.
public enum JSONOutput {
    /// The encoding of `value`.
    public static func data<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(value) + Data("\n".utf8)
    }

    /// The encoding of `value` as text.
    public static func text<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try data(value), as: UTF8.self)
    }

    /// The encoding of a `JSONSerialization` object: dictionaries with string keys,
    /// arrays, strings, numbers, booleans and `NSNull`.
    public static func data(jsonObject: Any) throws -> Data {
        guard JSONSerialization.isValidJSONObject(jsonObject) else {
            throw JSONOutputError.notRepresentable("\(type(of: jsonObject))")
        }
        let options: JSONSerialization.WritingOptions = [
            .prettyPrinted, .sortedKeys, .withoutEscapingSlashes,
        ]
        return try JSONSerialization.data(withJSONObject: jsonObject, options: options)
            + Data("\n".utf8)
    }

    /// Writes the encoding of `value` to `url` atomically.
    public static func write<Value: Encodable>(_ value: Value, to url: URL) throws {
        try writeAtomically(data(value), to: url)
    }

    /// Writes the encoding of a `JSONSerialization` object to `url` atomically.
    public static func write(jsonObject: Any, to url: URL) throws {
        try writeAtomically(data(jsonObject: jsonObject), to: url)
    }
}
