import Foundation

/// The state of one task as a progress display shows it, and its text in both styles.
///
/// Rate is the mean since the task started, `completed / elapsedSeconds`; the estimate of
/// the time left is `(total − completed) / rate`. Both are absent until time has passed
/// and something has been completed.
struct ProgressSnapshot {
    var label: String
    var completed: Int
    /// Nil when the amount of work is not known in advance.
    var total: Int?
    /// What is counted, singular: `step`, `batch`, `point`.
    var unit: String
    var elapsedSeconds: Double
    /// Free text about the latest state, such as `loss 0.532`.
    var detail: String?

    var ratePerSecond: Double? {
        guard elapsedSeconds > 0, completed > 0 else { return nil }
        return Double(completed) / elapsedSeconds
    }

    var remainingSeconds: Double? {
        guard let total, let rate = ratePerSecond else { return nil }
        return Double(max(0, total - completed)) / rate
    }

    /// The part done, from 0 to 1, or nil without a total. An empty task counts as done.
    var fraction: Double? {
        guard let total else { return nil }
        return total == 0 ? 1 : min(1, max(0, Double(completed) / Double(total)))
    }

    /// `412/1000 41%` with a total, `412 step` without.
    private var count: String {
        guard let total, let fraction else { return "\(completed) \(unit)" }
        return "\(completed)/\(total) \(Int((fraction * 100).rounded(.down)))%"
    }

    /// The bar style: `label [#####-----] 412/1000 41% 38.2 step/s ETA 0:15 loss 0.53`,
    /// or with `finished`, the elapsed time in place of the estimate.
    func barText(barWidth: Int, finished: Bool) -> String {
        var parts = [label]
        if let fraction {
            let filled = Int((fraction * Double(barWidth)).rounded(.down))
            parts.append(
                "[" + String(repeating: "#", count: filled)
                    + String(repeating: "-", count: barWidth - filled) + "]")
        }
        parts.append(count)
        parts.append(contentsOf: timing(finished: finished))
        if let detail { parts.append(detail) }
        return parts.joined(separator: " ")
    }

    /// The line style: `label: 412/1000 41%, 38.2 step/s, ETA 0:15, loss 0.53`.
    func plainText(finished: Bool) -> String {
        let parts = [count] + timing(finished: finished) + (detail.map { [$0] } ?? [])
        return label + ": " + parts.joined(separator: ", ")
    }

    private func timing(finished: Bool) -> [String] {
        var parts: [String] = []
        if let rate = ratePerSecond { parts.append(formatRate(rate) + " \(unit)/s") }
        if finished {
            parts.append("done in " + formatDuration(elapsedSeconds))
        } else if let remaining = remainingSeconds {
            parts.append("ETA " + formatDuration(remaining))
        }
        return parts
    }
}

/// A rate with three significant figures or more: `0.523`, `38.2`, `412`, `12345`.
func formatRate(_ rate: Double) -> String {
    if rate >= 100 { return String(format: "%.0f", rate) }
    if rate >= 10 { return String(format: "%.1f", rate) }
    if rate >= 1 { return String(format: "%.2f", rate) }
    return String(format: "%.3g", rate)
}

/// A duration as a clock reads: `0:07`, `12:34`, `1:02:03`; seconds rounded up so that an
/// estimate never shows 0:00 while work remains.
func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let total = Int(max(0, seconds).rounded(.up))
    let (hours, minutes, remainder) = (total / 3600, (total / 60) % 60, total % 60)
    let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
    if hours > 0 { return "\(hours):\(twoDigits(minutes)):\(twoDigits(remainder))" }
    return "\(minutes):\(twoDigits(remainder))"
}
