import Testing

@testable import BasinCheckpoint

@Suite("The header's JSON parser")
struct HeaderJSONTests {
    func parse(_ text: String) throws -> HeaderJSON {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { try HeaderJSON.parse($0) }
    }

    @Test("objects keep members in order, duplicates included")
    func objectOrder() throws {
        #expect(
            try parse(#"{"b": 1, "a": [true, false, null], "b": "x"}"#)
                == .object([
                    .init(key: "b", value: .integer(1)),
                    .init(key: "a", value: .array([.bool(true), .bool(false), .null])),
                    .init(key: "b", value: .string("x")),
                ]))
    }

    @Test("integers stay exact beyond 2^53; fractions and exponents are kept as text")
    func numbers() throws {
        #expect(try parse("9007199254740993") == .integer(9_007_199_254_740_993))
        #expect(try parse("-0") == .integer(0))
        #expect(try parse("1.5e-3") == .number("1.5e-3"))
        #expect(try parse("[-12, 2E+2]") == .array([.integer(-12), .number("2E+2")]))
    }

    @Test("escapes decode, surrogate pairs included")
    func escapes() throws {
        #expect(try parse(#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\né😀"))
    }

    @Test(
        "invalid documents are rejected",
        arguments: [
            "", "{", "[1 2]", "01", "1.", "-", "\"unterminated", "\"\\ud800\"", "tru", "{1:2}",
            "\"tab\there\"", "{\"a\":1,}",
        ])
    func invalid(text: String) {
        #expect(throws: HeaderJSONError.self) { try parse(text) }
    }
}
