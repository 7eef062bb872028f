/// A JSON value as it appears in a safetensors header, parsed by a small strict parser.
///
/// Foundation's `JSONSerialization` keeps one of two equal keys silently and turns integers
/// into doubles; a header needs both seen: a duplicated tensor name is an error, and a byte
/// offset above 2⁵³ must not round. So objects keep their members in order, duplicates
/// included, and integers stay integers. Numbers with a fraction or an exponent are kept as
/// their text (`number`), since nothing in a header needs their value.
enum HeaderJSON: Equatable {
    case object([Member])
    case array([HeaderJSON])
    case string(String)
    case integer(Int)
    case number(String)
    case bool(Bool)
    case null

    struct Member: Equatable {
        var key: String
        var value: HeaderJSON
    }

    /// A short name of the value's kind, for error messages.
    var kindName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .integer, .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// A syntax error at a byte offset of the header.
struct HeaderJSONError: Error, Equatable {
    var offset: Int
    var message: String

    var description: String { "\(message) at header byte \(offset)" }
}

extension HeaderJSON {
    /// The deepest nesting accepted; a header needs 3 levels, and a hostile one must not
    /// overflow the stack.
    static let maximumDepth = 64

    /// Parses `bytes` (UTF-8, already validated) as one JSON value surrounded by optional
    /// whitespace (the writer's space padding).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> HeaderJSON {
        var parser = HeaderJSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw parser.error("unexpected text after the JSON value")
        }
        return value
    }
}

/// A recursive-descent parser over the header bytes (RFC 8259 grammar).
private struct HeaderJSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ message: String) -> HeaderJSONError {
        HeaderJSONError(offset: position, message: message)
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            position += 1
        }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard current == byte else { throw error("expected \(what)") }
        position += 1
    }

    mutating func parseValue(depth: Int) throws -> HeaderJSON {
        guard depth < HeaderJSON.maximumDepth else {
            throw error("nesting deeper than \(HeaderJSON.maximumDepth)")
        }
        guard let byte = current else { throw error("unexpected end of header") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character")
        }
    }

    mutating func parseLiteral(_ word: String, _ value: HeaderJSON) throws -> HeaderJSON {
        for byte in word.utf8 {
            guard current == byte else { throw error("expected \(word)") }
            position += 1
        }
        return value
    }

    mutating func parseObject(depth: Int) throws -> HeaderJSON {
        position += 1
        var members: [HeaderJSON.Member] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            members.append(HeaderJSON.Member(key: key, value: try parseValue(depth: depth + 1)))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return .object(members)
        }
    }

    mutating func parseArray(depth: Int) throws -> HeaderJSON {
        position += 1
        var elements: [HeaderJSON] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return .array(elements)
        }
    }

    /// A string from its opening quote through its closing quote, escapes decoded
    /// (`\uXXXX` with surrogate pairs). Raw control characters are rejected as JSON demands.
    mutating func parseString() throws -> String {
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unterminated string") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try appendEscape(to: &utf8)
            case 0x00..<0x20:
                position -= 1
                throw error("control character in a string")
            default:
                utf8.append(byte)
            }
        }
    }

    mutating func appendEscape(to utf8: inout [UInt8]) throws {
        guard let byte = current else { throw error("unterminated escape") }
        position += 1
        if let decoded = simpleEscape(byte) {
            utf8.append(decoded)
            return
        }
        guard byte == UInt8(ascii: "u") else { throw error("unknown escape") }
        var scalarValue = try parseHexQuad()
        if (0xD800..<0xDC00).contains(scalarValue) {
            // A high surrogate must be followed by an escaped low surrogate.
            guard current == UInt8(ascii: "\\") else { throw error("unpaired surrogate") }
            position += 1
            guard current == UInt8(ascii: "u") else { throw error("unpaired surrogate") }
            position += 1
            let low = try parseHexQuad()
            guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
            scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw error("unpaired surrogate") }
        utf8.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    /// The byte that a one-letter escape such as `\n` stands for.
    func simpleEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    mutating func parseHexQuad() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = hexValue(byte) else {
                throw error("expected four hexadecimal digits")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; an integer that does not fit `Int`
    /// is an error rather than a rounded value.
    mutating func parseNumber() throws -> HeaderJSON {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, isDigit(first) else { throw error("expected a digit") }
        if first == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard let byte = current, isDigit(byte) else { throw error("expected a digit") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let byte = current, isDigit(byte) else { throw error("expected a digit") }
            skipDigits()
        }
        let text = String(
            decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]),
            as: UTF8.self)
        guard isInteger else { return .number(text) }
        guard let value = Int(text) else {
            position = start
            throw error("integer \(text) out of range")
        }
        return .integer(value)
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    mutating func skipDigits() {
        while let byte = current, isDigit(byte) { position += 1 }
    }
}
