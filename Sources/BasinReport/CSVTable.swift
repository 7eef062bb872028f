import Foundation

/// One field of a CSV row.
public enum CSVValue: Sendable, Equatable {
    /// Text, quoted when it needs to be.
    case text(String)
    /// A number written with full precision (the shortest text that reads back to the
    /// same `Double`): `0.1`, `1e-05`. NaN is written `nan`, infinities `inf` and `-inf`.
    case number(Double)
    /// An integer.
    case integer(Int)
    /// An empty field (a missing value).
    case empty

    var text: String {
        switch self {
        case .text(let text): return CSVTable.quoted(text)
        case .number(let value): return TextFormatting.roundTrip(value)
        case .integer(let value): return String(value)
        case .empty: return ""
        }
    }
}

/// A CSV table in the format of RFC 4180: comma-separated fields, CRLF-free (lines end in
/// `\n`, which every CSV reader accepts), a header row, and fields containing a comma,
/// double quote, carriage return or newline (or leading/trailing spaces) enclosed in
/// double quotes with inner quotes doubled.
///
/// Numbers are written at full precision so that a value read back is the value computed.
/// A missing value is best written `.empty`; a NaN that is a result (a diverged loss) is
/// written `nan`, which NumPy, pandas and R all read as NaN.
public struct CSVTable: Sendable, Equatable {
    public let columns: [String]
    public private(set) var rows: [[CSVValue]] = []

    public init(columns: [String]) {
        self.columns = columns
    }

    /// Appends a row.
    /// - Precondition: one value per column.
    public mutating func append(_ row: [CSVValue]) {
        precondition(
            row.count == columns.count,
            "CSV row has \(row.count) fields, the header has \(columns.count): \(columns)")
        rows.append(row)
    }

    /// Appends a row of numbers.
    public mutating func append(numbers: [Double]) {
        append(numbers.map(CSVValue.number))
    }

    /// A table whose columns are the given named arrays of numbers.
    /// - Precondition: all arrays have the same count.
    public static func columns(_ named: [(String, [Double])]) -> CSVTable {
        let count = named.first?.1.count ?? 0
        precondition(
            named.allSatisfy { $0.1.count == count },
            "CSV columns have different lengths: \(named.map { "\($0.0)=\($0.1.count)" })")
        var table = CSVTable(columns: named.map(\.0))
        for row in 0..<count { table.append(numbers: named.map { $0.1[row] }) }
        return table
    }

    /// The CSV text, header first, each line ending in `\n`.
    public var text: String {
        var lines = [columns.map(Self.quoted).joined(separator: ",")]
        for row in rows { lines.append(row.map(\.text).joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `field` enclosed in double quotes (inner ones doubled) when RFC 4180 requires it or
    /// when leading or trailing spaces would otherwise be trimmed by some readers.
    static func quoted(_ field: String) -> String {
        let needsQuotes =
            field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || field.hasPrefix(" ") || field.hasSuffix(" ")
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
