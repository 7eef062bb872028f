import Foundation

/// An error from writing a file.
public struct FileWriteError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

/// Writes `data` to `url` through a temporary file in the same folder that is renamed into
/// place, so a crash or a full disk never leaves half a file under the final name. Creates
/// the folder when it is missing.
public func writeAtomically(_ data: Data, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    } catch {
        throw FileWriteError(path: url.path, reason: error.localizedDescription)
    }
}

/// Writes `text` as UTF-8 through `writeAtomically`.
public func writeAtomically(_ text: String, to url: URL) throws {
    try writeAtomically(Data(text.utf8), to: url)
}
