import BasinCommandLine
import Foundation
import Testing

private struct Summary: Encodable {
    var name = "run/1"
    var alpha = [0.0, 0.5, 1.0]
    var barrier = 0.1
    var diverged = Double.nan
}

@Suite("JSON output")
struct JSONOutputTests {
    @Test("encodable values are pretty, key-sorted, unescaped and end with a newline")
    func encodable() throws {
        let text = try JSONOutput.text(Summary())
        #expect(
            text == """
                {
                  "alpha" : [
                    0,
                    0.5,
                    1
                  ],
                  "barrier" : 0.1,
                  "diverged" : "NaN",
                  "name" : "run/1"
                }

                """)
    }

    @Test("untyped objects are written the same way")
    func untyped() throws {
        let data = try JSONOutput.data(jsonObject: ["b": 1, "a": ["x/y"]] as [String: Any])
        #expect(
            String(decoding: data, as: UTF8.self)
                == "{\n  \"a\" : [\n    \"x/y\"\n  ],\n  \"b\" : 1\n}\n")
    }

    @Test("an untyped object holding NaN is a typed error, not a crash")
    func notRepresentable() {
        #expect(throws: JSONOutputError.self) {
            try JSONOutput.data(jsonObject: ["loss": Double.nan])
        }
    }

    @Test("the same value gives the same bytes every time")
    func deterministic() throws {
        let object: [String: Any] = Dictionary(
            uniqueKeysWithValues: (0..<50).map { ("key\($0)", $0) })
        #expect(try JSONOutput.data(jsonObject: object) == JSONOutput.data(jsonObject: object))
    }

    @Test("writing goes through an atomic rename into a created folder")
    func write() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("basin-json-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a/analysis.json")
        try JSONOutput.write(["x": 1], to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "{\n  \"x\" : 1\n}\n")
    }
}
