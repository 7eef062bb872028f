import BasinCheckpoint
import Foundation

/// One cell of a CSV table. Literals work: `["sgd", 3, 0.1]` is a row.
public enum CSVField: Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral
{
    case text(String)
    case integer(Int)
    case number(Double)
    /// A single-precision value, written with the digits that identify it as a Float.
    case float(Float)
    /// An empty cell: a value that does not exist (no test loss at this iteration).
    case empty

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }

    /// The cell as written, before any quoting.
    ///
    /// Numbers use Swift's shortest round-trip form: the fewest digits that read back as
    /// exactly the same value (`0.1`, `1e-05`, `0.30000000000000004`, `2.0`), the same on
    /// every platform. Non-finite values are written `nan`, `inf` and `-inf`, which
    /// Python's `float`, NumPy and pandas read back.
    public var unquotedText: String {
        switch self {
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .number(let value): return value.description
        case .float(let value): return value.description
        case .empty: return ""
        }
    }
}

/// A table written as CSV following RFC 4180: a header row, then one row per record;
/// records end with CRLF; a field that holds a comma, a double quote, CR or LF is
/// enclosed in double quotes, with each double quote inside doubled.
///
///     var table = CSVTable(columns: ["alpha", "train_loss"])
///     table.append([0.0, 0.231])
///     try table.write(to: folder.appendingPathComponent("interpolation.csv"))
public struct CSVTable: Equatable {
    public let columns: [String]
    public private(set) var rows: [[CSVField]] = []

    public init(columns: [String]) {
        self.columns = columns
    }

    /// Adds one record.
    /// - Precondition: `row.count == columns.count`.
    public mutating func append(_ row: [CSVField]) {
        precondition(
            row.count == columns.count,
            "a row has \(row.count) fields, the table has \(columns.count) columns \(columns)")
        rows.append(row)
    }

    /// The whole table as RFC 4180 text, ending with a CRLF.
    public var text: String {
        var lines = [columns.map(Self.quoted).joined(separator: ",")]
        for row in rows {
            lines.append(row.map { Self.quoted($0.unquotedText) }.joined(separator: ","))
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// Writes the table to `url` atomically (a temporary file renamed into place).
    public func write(to url: URL) throws {
        try writeAtomically(text, to: url)
    }

    /// `field` as it appears in the file: as is, or quoted when it must be.
    static func quoted(_ field: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        let needsQuotes = field.unicodeScalars.contains {
            $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n"
        }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
