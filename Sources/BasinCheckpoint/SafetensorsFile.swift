import BasinNetwork
import Foundation

/// One tensor as a safetensors header describes it.
public struct SafetensorsEntry: Sendable, Equatable {
    public var name: String
    public var dtype: SafetensorsDType
    /// The dimensions, outermost first; `[]` is a scalar.
    public var shape: [Int]
    /// The tensor's bytes, relative to the start of the data area (`data_offsets`).
    public var byteRange: Range<Int>

    /// The number of elements, the product of the shape (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A safetensors file read into memory and validated: its metadata, its tensor entries in
/// header order, and the bytes to convert them from.
///
/// Layout: `[u64 little-endian N][N bytes of JSON header][data area]`. The header maps each
/// tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets into the data
/// area) and may hold `"__metadata__"`, a map of strings to strings.
///
/// Validation happens in the initializer, before any tensor is touched, and follows the
/// reference implementation: the header length is checked against the file size (and a cap)
/// before the header is read; every entry needs a known dtype, a shape of non-negative
/// integers whose byte size equals its range, and a range inside the data area; ranges may not
/// overlap, and together they must cover the data area exactly (no gaps, no trailing bytes),
/// which a truncated or spliced file rarely satisfies by accident. Nothing is allocated in
/// proportion to a number from the file before it has been checked against the file's size.
public struct SafetensorsFile: Sendable {
    /// The path the bytes came from, used in every error message.
    public let path: String
    /// The `__metadata__` map (empty when absent).
    public let metadata: [String: String]
    /// The tensors in the order the header lists them.
    public let entries: [SafetensorsEntry]
    /// N, the length of the JSON header in bytes.
    public let headerByteCount: Int
    /// The whole file.
    public let bytes: Data
    /// Positions in `entries` by name.
    private let entryIndex: [String: Int]

    /// Where the data area starts in the file: 8 + N.
    public var dataOffset: Int { 8 + headerByteCount }

    /// Reads and validates the file at `url`.
    /// - Throws: `CheckpointError` naming the file and, where it applies, the tensor.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CheckpointError.unreadableFile(
                path: url.path, reason: (error as NSError).localizedDescription)
        }
        try self.init(bytes: data, path: url.path)
    }

    /// Validates `bytes` as a safetensors file; `path` only labels errors.
    public init(bytes: Data, path: String = "<memory>") throws {
        let bytes = bytes.startIndex == 0 ? bytes : Data(bytes)
        let headerByteCount = try Self.headerByteCount(of: bytes, path: path)
        let header = try bytes.withUnsafeBytes { raw in
            try Self.parseHeader(
                UnsafeBufferPointer(
                    rebasing: raw.bindMemory(to: UInt8.self)[8..<8 + headerByteCount]),
                path: path)
        }
        let dataByteCount = bytes.count - 8 - headerByteCount
        var metadata: [String: String] = [:]
        var entries: [SafetensorsEntry] = []
        var seenNames = Set<String>()
        for member in header {
            guard seenNames.insert(member.key).inserted else {
                throw CheckpointError.duplicateTensor(path: path, tensor: member.key)
            }
            if member.key == "__metadata__" {
                metadata = try Self.parseMetadata(member.value, path: path)
            } else {
                entries.append(
                    try Self.parseEntry(
                        member, dataByteCount: dataByteCount, path: path))
            }
        }
        try Self.checkCoverage(entries, dataByteCount: dataByteCount, path: path)
        self.path = path
        self.metadata = metadata
        self.entries = entries
        self.headerByteCount = headerByteCount
        self.bytes = bytes
        self.entryIndex = Dictionary(
            uniqueKeysWithValues: entries.enumerated().map { ($0.element.name, $0.offset) })
    }

    /// The entry called `name`, if the file has one.
    public func entry(named name: String) -> SafetensorsEntry? {
        entryIndex[name].map { entries[$0] }
    }

    /// The values of `entry` converted to Basin's element types.
    /// - Throws: `CheckpointError.unsupportedDType` for a dtype Basin does not convert.
    public func tensor(_ entry: SafetensorsEntry) throws -> NamedTensor {
        let values = bytes.withUnsafeBytes { raw in
            entry.dtype.decode(
                UnsafeRawBufferPointer(
                    rebasing: raw[
                        dataOffset + entry.byteRange.lowerBound..<dataOffset
                            + entry.byteRange.upperBound]),
                count: entry.elementCount)
        }
        guard let values else {
            throw CheckpointError.unsupportedDType(
                path: path, tensor: entry.name, dtype: entry.dtype.rawValue)
        }
        return NamedTensor(name: entry.name, shape: entry.shape, values: values)
    }

    /// The tensor called `name`, or `CheckpointError.missingStateEntry` when there is none.
    public func tensor(named name: String) throws -> NamedTensor {
        guard let entry = entry(named: name) else {
            throw CheckpointError.missingStateEntry(path: path, name: name, expected: "tensor")
        }
        return try tensor(entry)
    }

    /// Every tensor, in header order, converted.
    public func tensors() throws -> [NamedTensor] {
        try entries.map(tensor)
    }
}

/// Bounds on what a reader accepts.
public enum SafetensorsLimits {
    /// The largest header accepted, in bytes: 100 MB, the reference implementation's cap.
    public static let maximumHeaderByteCount = 100_000_000
}

extension SafetensorsFile {
    /// Reads N from the first 8 bytes and checks it against the cap and the file size.
    static func headerByteCount(of bytes: Data, path: String) throws -> Int {
        guard bytes.count >= 8 else {
            throw CheckpointError.fileTooShort(path: path, byteCount: bytes.count)
        }
        let claimed = bytes.withUnsafeBytes {
            UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        }
        guard claimed <= UInt64(SafetensorsLimits.maximumHeaderByteCount) else {
            throw CheckpointError.headerTooLarge(
                path: path, headerByteCount: claimed,
                limit: SafetensorsLimits.maximumHeaderByteCount)
        }
        guard claimed <= UInt64(bytes.count - 8) else {
            throw CheckpointError.headerBeyondFile(
                path: path, headerByteCount: claimed, availableByteCount: bytes.count - 8)
        }
        return Int(claimed)
    }

    /// Checks that the header is UTF-8 and parses it as a JSON object.
    static func parseHeader(_ header: UnsafeBufferPointer<UInt8>, path: String) throws
        -> [HeaderJSON.Member]
    {
        // Decoding replaces each invalid sequence with U+FFFD, so a round trip that
        // changes the bytes reveals invalid UTF-8.
        guard String(decoding: header, as: UTF8.self).utf8.elementsEqual(header) else {
            throw CheckpointError.headerNotUTF8(path: path)
        }
        let json: HeaderJSON
        do {
            json = try HeaderJSON.parse(header)
        } catch let error as HeaderJSONError {
            throw CheckpointError.headerNotJSON(path: path, reason: error.description)
        }
        guard case .object(let members) = json else {
            throw CheckpointError.headerNotObject(path: path)
        }
        return members
    }

    /// `__metadata__`: an object of strings (or null, which the reference writes as absent).
    static func parseMetadata(_ value: HeaderJSON, path: String) throws -> [String: String] {
        if value == .null { return [:] }
        guard case .object(let members) = value else {
            throw CheckpointError.metadataNotStrings(path: path, key: "__metadata__")
        }
        var metadata: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else {
                throw CheckpointError.metadataNotStrings(path: path, key: member.key)
            }
            guard metadata.updateValue(text, forKey: member.key) == nil else {
                throw CheckpointError.malformedMetadataValue(
                    path: path, key: member.key, value: text, expected: "one value per key")
            }
        }
        return metadata
    }

    /// One tensor entry, checked on its own: fields, dtype, shape, range, sizes.
    static func parseEntry(_ member: HeaderJSON.Member, dataByteCount: Int, path: String)
        throws -> SafetensorsEntry
    {
        let name = member.key
        func malformed(_ field: String, _ expected: String) -> CheckpointError {
            .malformedEntry(path: path, tensor: name, field: field, expected: expected)
        }
        guard case .object(let fields) = member.value else {
            throw malformed("(entry)", "an object with dtype, shape and data_offsets")
        }
        func field(_ key: String) -> HeaderJSON? { fields.first { $0.key == key }?.value }

        guard case .string(let dtypeName) = field("dtype") else {
            throw malformed("dtype", "a string such as \"F32\"")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw CheckpointError.unknownDType(path: path, tensor: name, dtype: dtypeName)
        }
        guard case .array(let dimensions) = field("shape") else {
            throw malformed("shape", "an array of integers")
        }
        let shape = try dimensions.map { dimension -> Int in
            guard case .integer(let value) = dimension else {
                throw malformed("shape", "an array of integers")
            }
            return value
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw CheckpointError.negativeDimension(path: path, tensor: name, shape: shape)
        }
        guard case .array(let offsets) = field("data_offsets"), offsets.count == 2,
            case .integer(let begin) = offsets[0], case .integer(let end) = offsets[1]
        else {
            throw malformed("data_offsets", "two integers [begin, end]")
        }
        guard 0 <= begin, begin <= end, end <= dataByteCount else {
            throw CheckpointError.byteRangeOutOfBounds(
                path: path, tensor: name, begin: begin, end: end, dataByteCount: dataByteCount)
        }

        // The byte size in overflow-checked arithmetic: a shape like [2⁴⁰, 2⁴⁰] must fail
        // the comparison, not wrap around to a small number.
        var expectedByteCount = dtype.byteCount
        for dimension in shape {
            let (product, overflow) = expectedByteCount.multipliedReportingOverflow(by: dimension)
            expectedByteCount = overflow ? Int.max : product
        }
        guard expectedByteCount == end - begin else {
            throw CheckpointError.shapeMismatchesByteRange(
                path: path, tensor: name, shape: shape, dtype: dtypeName,
                expectedByteCount: expectedByteCount, foundByteCount: end - begin)
        }
        return SafetensorsEntry(name: name, dtype: dtype, shape: shape, byteRange: begin..<end)
    }

    /// Checks that the ranges do not overlap and cover `0..<dataByteCount` without gaps.
    /// Empty tensors take no bytes and may sit anywhere in the data area.
    static func checkCoverage(_ entries: [SafetensorsEntry], dataByteCount: Int, path: String)
        throws
    {
        let ordered = entries.filter { !$0.byteRange.isEmpty }.sorted {
            $0.byteRange.lowerBound < $1.byteRange.lowerBound
        }
        var coveredEnd = 0
        var previous: SafetensorsEntry?
        for entry in ordered {
            if entry.byteRange.lowerBound < coveredEnd, let previous {
                throw CheckpointError.overlappingByteRanges(
                    path: path, tensor: entry.name, otherTensor: previous.name,
                    begin: entry.byteRange.lowerBound, otherEnd: coveredEnd)
            }
            if entry.byteRange.lowerBound > coveredEnd {
                throw CheckpointError.uncoveredBytes(
                    path: path, begin: coveredEnd, end: entry.byteRange.lowerBound)
            }
            coveredEnd = entry.byteRange.upperBound
            previous = entry
        }
        if coveredEnd < dataByteCount {
            throw CheckpointError.uncoveredBytes(path: path, begin: coveredEnd, end: dataByteCount)
        }
    }
}
