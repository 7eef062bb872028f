/// An error in CSV text, with the record (1 = the header) where it was found.
public enum CSVReadError: Error, Equatable, CustomStringConvertible {
    /// A quoted field is not closed before the end of the text.
    case unterminatedQuote(record: Int)
    /// A quoted field is followed by something other than a comma or a line end.
    case textAfterQuote(record: Int)
    /// A record has a different number of fields than the header.
    case fieldCount(record: Int, expected: Int, found: Int)
    /// The text holds no header.
    case empty

    public var description: String {
        switch self {
        case .unterminatedQuote(let record):
            return "CSV record \(record): a quoted field is not closed"
        case .textAfterQuote(let record):
            return "CSV record \(record): expected ',' or a line end after a closing quote"
        case .fieldCount(let record, let expected, let found):
            return "CSV record \(record): expected \(expected) fields as in the header, "
                + "found \(found)"
        case .empty:
            return "CSV text is empty: expected a header row"
        }
    }
}

extension CSVTable {
    /// Reads RFC 4180 text (CRLF or LF line ends) into its header and records, every
    /// field as a string; the caller converts the columns it needs. The inverse of `text`
    /// up to field types. A final line end is optional.
    public static func read(_ text: String) throws -> (columns: [String], rows: [[String]]) {
        let records = try splitRecords(text)
        guard let header = records.first else { throw CSVReadError.empty }
        for (index, record) in records.enumerated() where record.count != header.count {
            throw CSVReadError.fieldCount(
                record: index + 1, expected: header.count, found: record.count)
        }
        return (header, Array(records.dropFirst()))
    }

    /// Splits text into records of fields, undoing the quoting.
    private static func splitRecords(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var characters = Array(text.unicodeScalars)[...]
        var fieldStarted = false
        while let character = characters.popFirst() {
            switch character {
            case "\"" where field.isEmpty && !fieldStarted:
                // A quoted field: read to the closing quote, "" standing for one quote.
                fieldStarted = true
                var closed = false
                while let inner = characters.popFirst() {
                    if inner == "\"" {
                        if characters.first == "\"" {
                            characters.removeFirst()
                            field.unicodeScalars.append("\"")
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        field.unicodeScalars.append(inner)
                    }
                }
                guard closed else {
                    throw CSVReadError.unterminatedQuote(record: records.count + 1)
                }
                guard let next = characters.first, next != "," && next != "\r" && next != "\n"
                else { continue }
                throw CSVReadError.textAfterQuote(record: records.count + 1)
            case ",":
                record.append(field)
                field = ""
                fieldStarted = false
            case "\r" where characters.first == "\n", "\n":
                if character == "\r" { characters.removeFirst() }
                record.append(field)
                records.append(record)
                (record, field, fieldStarted) = ([], "", false)
            default:
                field.unicodeScalars.append(character)
                fieldStarted = true
            }
        }
        if !record.isEmpty || !field.isEmpty || fieldStarted {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
