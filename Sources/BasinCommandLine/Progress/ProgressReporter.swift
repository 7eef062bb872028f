import Foundation

/// Shows how far long-running work has come, on standard error.
///
/// On a terminal it draws one line that redraws in place: a bar, the count, the rate and
/// the estimated time left, at most `1 / minimumRedrawSeconds` times per second. Anywhere
/// else (a log file, a pipe) it writes plain lines with no control codes, one every
/// `lineIntervalSeconds`, and one when the task finishes. With `--quiet` it writes
/// nothing. One task is shown at a time; starting another replaces it.
///
///     let task = context.progress.start("train", total: stepCount, unit: "step")
///     for step in 0..<stepCount {
///         …
///         task.advance(detail: "loss \(loss)")
///     }
///     task.finish()
public final class ProgressReporter {
    /// How progress is shown.
    public enum Style {
        /// A bar redrawn in place with a carriage return (terminals).
        case bar
        /// Plain periodic lines (files, pipes, CI logs).
        case lines
        /// Nothing (`--quiet`).
        case silent
    }

    public let style: Style
    private let writer: TextWriter
    private let clock: () -> Double
    private let minimumRedrawSeconds: Double
    private let lineIntervalSeconds: Double
    private let columns: Int
    private let lock = NSLock()

    // The task on display.
    private var current: ProgressSnapshot?
    private var currentIdentifier = 0
    private var startSeconds = 0.0
    private var lastDrawSeconds = -Double.infinity
    private var barIsShown = false

    /// - Parameters:
    ///   - clock: seconds on a monotonic clock; tests pass a fake one.
    ///   - columns: the terminal width; a bar line is cut to one column less so it never
    ///     wraps (a wrapped line cannot be redrawn in place).
    public init(
        writer: TextWriter, style: Style, clock: @escaping () -> Double = monotonicSeconds,
        minimumRedrawSeconds: Double = 0.1, lineIntervalSeconds: Double = 5, columns: Int = 80
    ) {
        self.writer = writer
        self.style = style
        self.clock = clock
        self.minimumRedrawSeconds = minimumRedrawSeconds
        self.lineIntervalSeconds = lineIntervalSeconds
        self.columns = max(20, columns)
    }

    /// The reporter for `writer`: silent when `quiet`, a bar on a terminal, lines
    /// elsewhere.
    public static func forWriter(
        _ writer: TextWriter, quiet: Bool, clock: @escaping () -> Double = monotonicSeconds
    ) -> ProgressReporter {
        let style: Style = quiet ? .silent : writer.isTerminal ? .bar : .lines
        return ProgressReporter(
            writer: writer, style: style, clock: clock, columns: terminalColumns() ?? 80)
    }

    /// Starts showing a task of `total` units (nil when unknown) and returns its handle.
    public func start(_ label: String, total: Int?, unit: String = "step") -> ProgressTask {
        lock.lock()
        defer { lock.unlock() }
        clearBar()
        currentIdentifier += 1
        startSeconds = clock()
        lastDrawSeconds = style == .lines ? startSeconds : -Double.infinity
        current = ProgressSnapshot(
            label: label, completed: 0, total: total, unit: unit, elapsedSeconds: 0,
            detail: nil)
        return ProgressTask(reporter: self, identifier: currentIdentifier)
    }

    /// Writes one line of information (`epoch 3: test accuracy 0.912`) above the bar, or
    /// as a line of its own. Silent with `--quiet`.
    public func note(_ message: String) {
        lock.lock()
        defer { lock.unlock() }
        guard style != .silent else { return }
        let wasShown = barIsShown
        clearBar()
        writer.write(message + "\n")
        if wasShown { draw(finished: false) }
    }

    /// Ends a bar left on screen with a newline, keeping its last state visible, so that
    /// what is written next (an error above all) starts on a line of its own. The program
    /// calls this when a command returns or throws.
    func endLine() {
        lock.lock()
        defer { lock.unlock() }
        guard barIsShown else { return }
        writer.write("\n")
        barIsShown = false
        current = nil
    }

    // Called by ProgressTask.
    func update(identifier: Int, completed: Int?, advance: Int, detail: String?, finish: Bool) {
        lock.lock()
        defer { lock.unlock() }
        guard identifier == currentIdentifier, var snapshot = current else { return }
        let now = clock()
        snapshot.completed = completed ?? (snapshot.completed + advance)
        snapshot.elapsedSeconds = now - startSeconds
        if let detail { snapshot.detail = detail }
        current = snapshot
        if finish {
            draw(finished: true)
            current = nil
            return
        }
        let interval = style == .bar ? minimumRedrawSeconds : lineIntervalSeconds
        if now - lastDrawSeconds >= interval {
            lastDrawSeconds = now
            draw(finished: false)
        }
    }

    private func draw(finished: Bool) {
        guard let snapshot = current else { return }
        switch style {
        case .silent:
            return
        case .lines:
            writer.write(snapshot.plainText(finished: finished) + "\n")
        case .bar:
            let text = String(
                snapshot.barText(barWidth: 24, finished: finished).prefix(columns - 1))
            // Carriage return, the line, then erase what an older, longer line left.
            writer.write("\r" + text + "\u{1B}[K" + (finished ? "\n" : ""))
            barIsShown = !finished
        }
    }

    private func clearBar() {
        guard barIsShown else { return }
        writer.write("\r\u{1B}[K")
        barIsShown = false
    }
}

/// The handle of one task shown by a `ProgressReporter`. Updates after `finish`, or after
/// another task started, are ignored.
public final class ProgressTask {
    private let reporter: ProgressReporter
    private let identifier: Int

    init(reporter: ProgressReporter, identifier: Int) {
        self.reporter = reporter
        self.identifier = identifier
    }

    /// Sets the number of units done so far; `detail` replaces the free text when given.
    public func update(completed: Int, detail: String? = nil) {
        reporter.update(
            identifier: identifier, completed: completed, advance: 0, detail: detail,
            finish: false)
    }

    /// Adds `count` units to those done.
    public func advance(by count: Int = 1, detail: String? = nil) {
        reporter.update(
            identifier: identifier, completed: nil, advance: count, detail: detail,
            finish: false)
    }

    /// Shows the final state with the elapsed time and ends the task.
    public func finish(detail: String? = nil) {
        reporter.update(
            identifier: identifier, completed: nil, advance: 0, detail: detail, finish: true)
    }
}
