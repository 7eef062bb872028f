/// Word wrapping and two-column lists for help text, at a fixed width so that help reads
/// the same in every terminal and in snapshot tests.
enum TextLayout {
    /// Help is laid out for 80 columns.
    static let width = 80
    /// The widest left column; a longer label puts its description on the next line.
    static let maximumLabelWidth = 28

    /// `text` broken at spaces into lines of at most `width` characters (a single word
    /// longer than that stays whole). The first line starts with `firstIndent`, the others
    /// with `indent` spaces. Newlines in `text` are kept.
    static func wrap(_ text: String, width: Int, indent: Int, firstIndent: String) -> [String] {
        var lines: [String] = []
        for (paragraphIndex, paragraph) in text.split(
            separator: "\n", omittingEmptySubsequences: false
        ).enumerated() {
            var line = paragraphIndex == 0 ? firstIndent : String(repeating: " ", count: indent)
            var lineHasWord = false
            for word in paragraph.split(separator: " ") {
                if lineHasWord && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = String(repeating: " ", count: indent)
                    lineHasWord = false
                }
                line += (lineHasWord ? " " : "") + word
                lineHasWord = true
            }
            lines.append(line)
        }
        return lines
    }

    /// Rows of `label  description`, descriptions aligned in one column and wrapped.
    static func twoColumns(_ rows: [(label: String, description: String)]) -> [String] {
        let labelWidth = min(
            maximumLabelWidth,
            rows.map { $0.label.count }.filter { $0 <= maximumLabelWidth }
                .max() ?? 0)
        let column = 2 + labelWidth + 2
        var lines: [String] = []
        for row in rows {
            let label = "  " + row.label
            if row.label.count > labelWidth {
                lines.append(label)
                lines += wrap(
                    row.description, width: width, indent: column,
                    firstIndent: String(repeating: " ", count: column))
            } else {
                let padded = label + String(repeating: " ", count: column - label.count)
                lines += wrap(row.description, width: width, indent: column, firstIndent: padded)
            }
        }
        return lines.map { $0.trimmingTrailingSpaces() }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
