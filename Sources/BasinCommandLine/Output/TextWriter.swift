import Foundation

/// A destination for text: standard output, standard error, or a buffer that tests read.
///
/// Writes are serialized by a lock, so progress from a worker thread and a result from
/// the main thread never interleave within one `write`.
public final class TextWriter {
    private enum Destination {
        case fileHandle(FileHandle)
        case buffer
    }

    private let destination: Destination
    private let lock = NSLock()
    private var buffer = ""

    /// Whether the destination is an interactive terminal, where progress is drawn as a
    /// bar that redraws in place; elsewhere it is written as plain lines.
    public let isTerminal: Bool

    private init(destination: Destination, isTerminal: Bool) {
        self.destination = destination
        self.isTerminal = isTerminal
    }

    /// The process's standard output.
    public static let standardOutput = TextWriter(
        destination: .fileHandle(.standardOutput), isTerminal: isatty(STDOUT_FILENO) != 0)

    /// The process's standard error. A terminal whose `TERM` is `dumb` cannot redraw a
    /// line in place, so it counts as no terminal.
    public static let standardError = TextWriter(
        destination: .fileHandle(.standardError),
        isTerminal: isatty(STDERR_FILENO) != 0
            && ProcessInfo.processInfo.environment["TERM"] != "dumb")

    /// A writer that keeps what is written in `capturedText`, for tests. `isTerminal`
    /// pretends a terminal, to test the progress bar.
    public static func capturing(isTerminal: Bool = false) -> TextWriter {
        TextWriter(destination: .buffer, isTerminal: isTerminal)
    }

    /// Everything written so far to a capturing writer; empty for the standard streams.
    public var capturedText: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer
    }

    /// Writes `text` as UTF-8, as is (add the newline yourself).
    public func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        switch destination {
        case .fileHandle(let handle):
            handle.write(Data(text.utf8))
        case .buffer:
            buffer += text
        }
    }

    /// Writes `line` followed by a newline.
    public func writeLine(_ line: String) {
        write(line + "\n")
    }
}
