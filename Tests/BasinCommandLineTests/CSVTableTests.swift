import BasinCommandLine
import Foundation
import Testing

@Suite("CSV tables")
struct CSVTableTests {
    @Test("numbers are written in shortest round-trip form")
    func numbers() {
        // Expected spellings: the output of scripts/csv_number_format.py (Python's repr
        // for doubles, numpy's str for float32).
        let doubles: [Double] = [
            0.1, 1e-05, 0.0001, 1e16, 123456789012345.0, 2.0, -0.0, 0.30000000000000004,
            .leastNonzeroMagnitude, 1.7976931348623157e308, 1.0 / 3,
        ]
        let expected = [
            "0.1", "1e-05", "0.0001", "1e+16", "123456789012345.0", "2.0", "-0.0",
            "0.30000000000000004", "5e-324", "1.7976931348623157e+308", "0.3333333333333333",
        ]
        var table = CSVTable(columns: ["value"])
        for value in doubles { table.append([.number(value)]) }
        table.append([.float(0.1)])
        table.append([.float(1.0 / 3)])
        let lines = table.text.components(separatedBy: "\r\n").dropFirst().dropLast()
        #expect(Array(lines) == expected + ["0.1", "0.33333334"])
    }

    @Test("every written number reads back as exactly the same value")
    func roundTrip() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let value = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
            #expect(Double(CSVField.number(value).unquotedText) == value)
        }
    }

    @Test("non-finite values are written as nan, inf and -inf")
    func nonFinite() {
        var table = CSVTable(columns: ["a", "b", "c"])
        table.append([.number(.nan), .number(.infinity), .number(-.infinity)])
        #expect(table.text == "a,b,c\r\nnan,inf,-inf\r\n")
    }

    @Test("fields with commas, quotes or line breaks are quoted with quotes doubled")
    func quoting() {
        var table = CSVTable(columns: ["name", "note"])
        table.append(["a,b", "say \"hi\""])
        table.append(["line\nbreak", "plain"])
        table.append([3, .empty])
        #expect(
            table.text
                == "name,note\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\"line\nbreak\",plain\r\n3,\r\n")
    }

    @Test("reading undoes writing, quotes, line breaks and empty fields included")
    func readBack() throws {
        var table = CSVTable(columns: ["x", "y, z"])
        table.append(["a\r\nb", "\"q\""])
        table.append([.empty, 1.5])
        let read = try CSVTable.read(table.text)
        #expect(read.columns == ["x", "y, z"])
        #expect(read.rows == [["a\r\nb", "\"q\""], ["", "1.5"]])
        #expect(try CSVTable.read("a,b\n1,2").rows == [["1", "2"]])
    }

    @Test("malformed CSV is rejected with the record at fault")
    func malformed() {
        #expect(throws: CSVReadError.empty) { try CSVTable.read("") }
        #expect(throws: CSVReadError.fieldCount(record: 2, expected: 2, found: 3)) {
            try CSVTable.read("a,b\r\n1,2,3\r\n")
        }
        #expect(throws: CSVReadError.unterminatedQuote(record: 2)) {
            try CSVTable.read("a\r\n\"open\r\n")
        }
        #expect(throws: CSVReadError.textAfterQuote(record: 1)) { try CSVTable.read("\"a\"b\r\n") }
    }

    @Test("the table is written to a file through an atomic rename")
    func write() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("basin-csv-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var table = CSVTable(columns: ["a"])
        table.append([1])
        let file = folder.appendingPathComponent("nested/t.csv")
        try table.write(to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "a\r\n1\r\n")
    }
}
