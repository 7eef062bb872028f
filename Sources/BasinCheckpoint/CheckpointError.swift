/// Everything that can be wrong with a checkpoint, a state file or a run folder on disk.
///
/// Each case carries the path of the file (or `<memory>` for bytes that never had one) and,
/// where there is one, the tensor or metadata key at fault, with what was expected and what
/// was found. None of these is a programmer's mistake: they come from files.
public enum CheckpointError: Error, Equatable, Sendable {
    /// The file could not be read at all (missing, a folder, no permission).
    case unreadableFile(path: String, reason: String)
    /// The file could not be written.
    case unwritableFile(path: String, reason: String)

    // The frame: header length and header bytes.

    /// Fewer than the 8 bytes of the header length.
    case fileTooShort(path: String, byteCount: Int)
    /// The header length is larger than `SafetensorsLimits.maximumHeaderByteCount`.
    case headerTooLarge(path: String, headerByteCount: UInt64, limit: Int)
    /// The header length claims more bytes than follow it in the file.
    case headerBeyondFile(path: String, headerByteCount: UInt64, availableByteCount: Int)
    /// The header bytes are not UTF-8.
    case headerNotUTF8(path: String)
    /// The header is not valid JSON; `reason` names the byte offset in the header.
    case headerNotJSON(path: String, reason: String)
    /// The header is JSON but not an object.
    case headerNotObject(path: String)

    // Entries of the header.

    /// A key appears twice in the header.
    case duplicateTensor(path: String, tensor: String)
    /// A tensor entry lacks `dtype`, `shape` or `data_offsets`, or one has the wrong form.
    case malformedEntry(path: String, tensor: String, field: String, expected: String)
    /// A `dtype` that the safetensors format does not define.
    case unknownDType(path: String, tensor: String, dtype: String)
    /// A dtype the format defines but Basin cannot convert (for example `F8_E4M3`).
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// A negative dimension in a shape.
    case negativeDimension(path: String, tensor: String, shape: [Int])
    /// The shape times the dtype's size differs from the length of the byte range.
    case shapeMismatchesByteRange(
        path: String, tensor: String, shape: [Int], dtype: String, expectedByteCount: Int,
        foundByteCount: Int)
    /// `data_offsets` reach past the data area, or end before they begin.
    case byteRangeOutOfBounds(
        path: String, tensor: String, begin: Int, end: Int, dataByteCount: Int)
    /// Two tensors share bytes.
    case overlappingByteRanges(
        path: String, tensor: String, otherTensor: String, begin: Int, otherEnd: Int)
    /// Bytes of the data area that belong to no tensor (a gap or a tail).
    case uncoveredBytes(path: String, begin: Int, end: Int)
    /// `__metadata__` is not an object of strings; `key` is the first offending key.
    case metadataNotStrings(path: String, key: String)

    // Meaning: metadata values, layouts, state files, run folders.

    /// A metadata value that does not parse as the type its key calls for.
    case malformedMetadataValue(path: String, key: String, value: String, expected: String)
    /// A metadata key needed for the task is absent (a file saved without Basin's metadata).
    case missingMetadata(path: String, key: String, purpose: String)
    /// The tensors do not match the layout a model expects; every difference is listed.
    case layoutMismatch(path: String, problems: [LayoutProblem])
    /// A state file lacks an entry the reader asked for, or holds it as another kind.
    case missingStateEntry(path: String, name: String, expected: String)
    /// `run.json` is not a run manifest.
    case malformedManifest(path: String, reason: String)
    /// A checkpoint that a manifest lists, or that was asked for, is not there.
    case missingCheckpoint(path: String)
    /// Two files of a run folder claim the same cycle (`cycle-1` and `cycle-001`).
    case duplicateCycle(path: String, cycle: Int, files: [String])
}

extension CheckpointError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .unwritableFile(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .fileTooShort(let path, let byteCount):
            return "\(path): not a safetensors file: \(byteCount) bytes, expected at least 8 "
                + "(the header length)"
        case .headerTooLarge(let path, let headerByteCount, let limit):
            return "\(path): header length \(headerByteCount) bytes exceeds the limit of "
                + "\(limit) bytes; the file is corrupt or not safetensors"
        case .headerBeyondFile(let path, let headerByteCount, let availableByteCount):
            return "\(path): header length \(headerByteCount) bytes but only "
                + "\(availableByteCount) bytes follow; the file is truncated or corrupt"
        case .headerNotUTF8(let path):
            return "\(path): the header is not UTF-8 text"
        case .headerNotJSON(let path, let reason):
            return "\(path): the header is not valid JSON: \(reason)"
        case .headerNotObject(let path):
            return "\(path): the header is JSON but not an object of tensors"
        case .duplicateTensor(let path, let tensor):
            return "\(path): tensor \(tensor) appears twice in the header"
        case .malformedEntry(let path, let tensor, let field, let expected):
            return "\(path): tensor \(tensor): field \(field) missing or malformed, "
                + "expected \(expected)"
        case .unknownDType(let path, let tensor, let dtype):
            return "\(path): tensor \(tensor): unknown dtype \(dtype)"
        case .unsupportedDType(let path, let tensor, let dtype):
            return "\(path): tensor \(tensor): dtype \(dtype) is not supported; Basin reads "
                + "F64, F32, F16, BF16 as floats and I64, I32, I16, I8, U32, U16, U8, BOOL "
                + "as integers"
        case .negativeDimension(let path, let tensor, let shape):
            return "\(path): tensor \(tensor): negative dimension in shape \(shape)"
        case .shapeMismatchesByteRange(
            let path, let tensor, let shape, let dtype, let expected, let found):
            let needed = expected == Int.max ? "more than \(Int.max)" : "\(expected)"
            return "\(path): tensor \(tensor): shape \(shape) of \(dtype) needs \(needed) "
                + "bytes, data_offsets give \(found)"
        case .byteRangeOutOfBounds(let path, let tensor, let begin, let end, let dataByteCount):
            return "\(path): tensor \(tensor): data_offsets [\(begin), \(end)] outside the "
                + "data area of \(dataByteCount) bytes"
        case .overlappingByteRanges(let path, let tensor, let other, let begin, let otherEnd):
            return "\(path): tensor \(tensor) begins at byte \(begin), inside tensor \(other) "
                + "which ends at byte \(otherEnd)"
        case .uncoveredBytes(let path, let begin, let end):
            return "\(path): bytes \(begin)..<\(end) of the data area belong to no tensor"
        case .metadataNotStrings(let path, let key):
            return "\(path): __metadata__ must map strings to strings; key \(key) does not"
        case .malformedMetadataValue(let path, let key, let value, let expected):
            return "\(path): metadata \(key) = \"\(value)\", expected \(expected)"
        case .missingMetadata(let path, let key, let purpose):
            return "\(path): metadata has no \(key), which \(purpose) needs"
        case .layoutMismatch(let path, let problems):
            let shown = problems.prefix(20).map { "  " + $0.description }
            let more = problems.count > 20 ? ["  … and \(problems.count - 20) more"] : []
            return "\(path): tensors do not match the model (\(problems.count) "
                + "difference\(problems.count == 1 ? "" : "s")):\n"
                + (shown + more).joined(separator: "\n")
        case .missingStateEntry(let path, let name, let expected):
            return "\(path): no \(expected) named \(name)"
        case .malformedManifest(let path, let reason):
            return "\(path): not a run manifest: \(reason)"
        case .missingCheckpoint(let path):
            return "checkpoint \(path) does not exist"
        case .duplicateCycle(let path, let cycle, let files):
            return "\(path): cycle \(cycle) has more than one checkpoint: "
                + files.joined(separator: ", ")
        }
    }
}
