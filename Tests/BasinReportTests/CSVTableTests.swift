import Foundation
import Testing

@testable import BasinReport

@Suite("CSV tables")
struct CSVTableTests {
    @Test("fields are quoted as RFC 4180 requires")
    func quoting() {
        var table = CSVTable(columns: ["name", "note, with comma"])
        table.append([.text("plain"), .text("say \"hi\"")])
        table.append([.text("line\nbreak"), .text(" padded ")])
        table.append([.text("crlf\r\n"), .empty])
        #expect(
            table.text
                == "name,\"note, with comma\"\n" + "plain,\"say \"\"hi\"\"\"\n"
                + "\"line\nbreak\",\" padded \"\n" + "\"crlf\r\n\",\n")
    }

    @Test("numbers are written at full precision, NaN as nan, infinities as inf")
    func numbers() {
        let table = CSVTable.columns([
            ("alpha", [0.1, 1.0 / 3.0]), ("loss", [.nan, .infinity]), ("lr", [1e-5, -.infinity]),
        ])
        #expect(table.text == "alpha,loss,lr\n0.1,nan,1e-05\n0.3333333333333333,inf,-inf\n")
        #expect(Double("0.3333333333333333") == 1.0 / 3.0)
    }

    @Test("integers and empty fields")
    func integersAndEmpty() {
        var table = CSVTable(columns: ["step", "value"])
        table.append([.integer(-12), .empty])
        #expect(table.text == "step,value\n-12,\n")
    }
}
