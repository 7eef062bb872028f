import BasinCommandLine
import Foundation
import Testing

private enum Mode: String, CaseIterable, ArgumentValue {
    case batch
    case running
    case recomputed = "recomputed-running"
}

@Suite("Value parsers")
struct ValueParserTests {
    @Test("integers accept a sign and reject fractions, exponents and blanks")
    func integers() throws {
        let parser = Int.argumentParser
        #expect(try parser.parse("42") == 42)
        #expect(try parser.parse("-7") == -7)
        for text in ["2.5", "1e3", "", " 3", "0x10"] {
            #expect(throws: InvalidValue.self) { try parser.parse(text) }
        }
        #expect(parser.expectation == "an integer")
    }

    @Test("numbers accept decimals and exponents and reject NaN and infinities")
    func numbers() throws {
        let parser = Double.argumentParser
        #expect(try parser.parse("0.1") == 0.1)
        #expect(try parser.parse("-3e-4") == -3e-4)
        #expect(try parser.parse(".5") == 0.5)
        for text in ["nan", "inf", "-infinity", "1e400", "fast", ""] {
            #expect(throws: InvalidValue.self) { try parser.parse(text) }
        }
        #expect(try Float.argumentParser.parse("0.25") == 0.25)
        #expect(throws: InvalidValue.self) { try Float.argumentParser.parse("1e39") }
    }

    @Test("seeds take the whole unsigned 64-bit range and nothing negative")
    func seeds() throws {
        #expect(try UInt64.argumentParser.parse("18446744073709551615") == UInt64.max)
        #expect(throws: InvalidValue.self) { try UInt64.argumentParser.parse("-1") }
    }

    @Test("paths are kept as typed for display and resolved against the working folder")
    func paths() throws {
        let url = try URL.argumentParser.parse("checkpoints/run")
        #expect(url.relativePath == "checkpoints/run")
        #expect(url.path.hasSuffix("/checkpoints/run"))
        #expect(url.path.hasPrefix("/"))
        #expect(URL.argumentParser.format(url) == "checkpoints/run")
        #expect(throws: InvalidValue("the path is empty")) { try URL.argumentParser.parse("") }
    }

    @Test("enumerations accept exactly their raw values and list them")
    func enumerations() throws {
        let parser = Mode.argumentParser
        #expect(try parser.parse("recomputed-running") == .recomputed)
        #expect(throws: InvalidValue.self) { try parser.parse("Batch") }
        #expect(parser.choices == ["batch", "running", "recomputed-running"])
        #expect(parser.expectation == "one of batch, running, recomputed-running")
        #expect(parser.format(.recomputed) == "recomputed-running")
    }

    @Test("checked parsers keep the base parse and add a condition with a reason")
    func checked() throws {
        let positive = Double.argumentParser.checked("a positive number", reason: "must be > 0") {
            $0 > 0
        }
        #expect(try positive.parse("0.5") == 0.5)
        #expect(throws: InvalidValue("must be > 0")) { try positive.parse("0") }
        #expect(throws: InvalidValue.self) { try positive.parse("x") }
        #expect(positive.expectation == "a positive number")
    }

    @Test("booleans are spelt true or false and nothing else")
    func booleans() throws {
        #expect(try Bool.argumentParser.parse("false") == false)
        #expect(try Bool.argumentParser.parse("true") == true)
        for text in ["yes", "1", "True", ""] {
            #expect(throws: InvalidValue.self) { try Bool.argumentParser.parse(text) }
        }
    }

    @Test("text is taken as is, including the empty string")
    func text() throws {
        #expect(try String.argumentParser.parse("") == "")
        #expect(try String.argumentParser.parse(" a b ") == " a b ")
    }
}
