import Foundation

/// The message printed for an error that reaches the command line.
///
/// In order: a `LocalizedError`'s description; for Foundation's file errors, the path
/// followed by Foundation's explanation (`/data/x.bin: The file doesn’t exist.`); a
/// `CustomStringConvertible` description (errors of Basin's modules conform, with a
/// message that names the file or tensor); else the value as Swift prints it.
func describe(_ error: Error) -> String {
    if let localized = error as? LocalizedError, let message = localized.errorDescription {
        return message
    }
    if let cocoa = error as? CocoaError {
        let path = cocoa.filePath ?? cocoa.url?.path
        return (path.map { "\($0): " } ?? "") + cocoa.localizedDescription
    }
    if let printable = error as Any as? CustomStringConvertible {
        return printable.description
    }
    return String(describing: error)
}
