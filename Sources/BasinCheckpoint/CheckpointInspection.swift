import BasinNetwork
import Foundation

/// Statistics of one tensor of a file, for `basin inspect`.
public struct TensorSummary: Codable, Sendable, Equatable {
    public var name: String
    /// The dtype as stored in the file (`F32`, `BF16`, `I64`…).
    public var dtype: String
    public var shape: [Int]
    public var elementCount: Int
    /// `√Σ xᵢ²`, accumulated in Double; NaN if any element is NaN; nil when the dtype is not
    /// converted.
    public var l2Norm: Double?
    /// The smallest and largest elements that are not NaN; nil for an empty tensor, one that is
    /// all NaN, or an unconverted dtype.
    public var minimum: Double?
    public var maximum: Double?
    /// How many elements are NaN or ±infinity (a diverged run shows here first).
    public var nonFiniteCount: Int?

    enum CodingKeys: String, CodingKey {
        case name, dtype, shape
        case elementCount = "element_count"
        case l2Norm = "l2_norm"
        case minimum = "min"
        case maximum = "max"
        case nonFiniteCount = "non_finite_count"
    }
}

/// What `basin inspect` shows of a safetensors file: its size, its metadata and a summary of
/// every tensor, as a plain-text table or as JSON.
public struct CheckpointInspection: Codable, Sendable, Equatable {
    public var path: String
    public var fileByteCount: Int
    public var headerByteCount: Int
    /// The raw `__metadata__` map.
    public var metadata: [String: String]
    /// The tensors sorted by name, numbers in names compared by value (`layer2` before
    /// `layer10`).
    public var tensors: [TensorSummary]

    /// The number of floating-point elements: the model's parameters and running statistics.
    public var floatElementCount: Int {
        tensors.filter { SafetensorsDType(rawValue: $0.dtype)?.isFloatingPoint ?? false }
            .reduce(0) { $0 + $1.elementCount }
    }

    enum CodingKeys: String, CodingKey {
        case path
        case fileByteCount = "file_bytes"
        case headerByteCount = "header_bytes"
        case metadata, tensors
    }

    /// Reads and validates the file at `url` and summarises it.
    /// - Throws: `CheckpointError` for a file that does not validate.
    public init(contentsOf url: URL) throws {
        self.init(try SafetensorsFile(contentsOf: url))
    }

    /// Summarises a validated file; tensors of unconverted dtypes get no statistics.
    public init(_ file: SafetensorsFile) {
        path = file.path
        fileByteCount = file.bytes.count
        headerByteCount = file.headerByteCount
        metadata = file.metadata
        tensors = file.entries.sorted { naturalPrecedes($0.name, $1.name) }.map { entry in
            var summary = TensorSummary(
                name: entry.name, dtype: entry.dtype.rawValue, shape: entry.shape,
                elementCount: entry.elementCount)
            if let tensor = try? file.tensor(entry) {
                summary.addStatistics(of: tensor.values)
            }
            return summary
        }
    }
}

extension TensorSummary {
    init(name: String, dtype: String, shape: [Int], elementCount: Int) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.elementCount = elementCount
    }

    /// Fills the norm, extremes and non-finite count in one pass.
    mutating func addStatistics(of values: TensorValues) {
        switch values {
        case .float32(let floats): addStatistics(floats.lazy.map(Double.init))
        case .int64(let integers): addStatistics(integers.lazy.map(Double.init))
        }
    }

    private mutating func addStatistics<Values: Sequence<Double>>(_ values: Values) {
        var sumOfSquares = 0.0
        var smallest = Double.infinity
        var largest = -Double.infinity
        var nonFinite = 0
        var anyOrdered = false
        for value in values {
            sumOfSquares += value * value
            if !value.isFinite { nonFinite += 1 }
            if !value.isNaN {
                anyOrdered = true
                smallest = Swift.min(smallest, value)
                largest = Swift.max(largest, value)
            }
        }
        l2Norm = sumOfSquares.squareRoot()
        minimum = anyOrdered ? smallest : nil
        maximum = anyOrdered ? largest : nil
        nonFiniteCount = nonFinite
    }
}

/// Orders names as people read them: runs of digits compare by value, the rest by UTF-8
/// bytes, so `layer2.weight` comes before `layer10.weight`.
func naturalPrecedes(_ left: String, _ right: String) -> Bool {
    let leftParts = naturalParts(left)
    let rightParts = naturalParts(right)
    for (a, b) in zip(leftParts, rightParts) where a != b {
        switch (a, b) {
        case (.number(let x), .number(let y)): if x != y { return x < y }
        case (.number, .text): return true
        case (.text, .number): return false
        case (.text(let x), .text(let y)): return utf8Precedes(x, y)
        }
    }
    if leftParts.count != rightParts.count { return leftParts.count < rightParts.count }
    return utf8Precedes(left, right)
}

private enum NaturalPart: Equatable {
    case text(String)
    case number(Double)
}

private func naturalParts(_ name: String) -> [NaturalPart] {
    var parts: [NaturalPart] = []
    var current = ""
    var currentIsDigits = false
    for character in name {
        let isDigit = character.isASCII && character.isNumber
        if !current.isEmpty, isDigit != currentIsDigits {
            parts.append(currentIsDigits ? .number(Double(current)!) : .text(current))
            current = ""
        }
        current.append(character)
        currentIsDigits = isDigit
    }
    if !current.isEmpty {
        parts.append(currentIsDigits ? .number(Double(current)!) : .text(current))
    }
    return parts
}
