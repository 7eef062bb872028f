import Foundation

extension Report {
    /// The report as CommonMark (with GitHub pipe tables) and the SVG files it links.
    ///
    /// Each figure becomes an image link `figureDirectory/fileName` followed by its
    /// numbered caption; the caller writes every file of `files` at that path relative to
    /// the Markdown file. Text is escaped so that it reads as written: `*`, `_`, backticks,
    /// brackets and angle brackets never turn into markup.
    /// - Precondition: figure file names are distinct plain names ending in `.svg`.
    public func markdown(figureDirectory: String = "") -> RenderedMarkdown {
        validateFigureNames()
        let prefix = figureDirectory.isEmpty ? "" : figureDirectory + "/"
        var lines: [String] = ["# " + Self.escapeMarkdown(title), ""]
        for field in provenance.fields {
            let value = field.isCode ? Self.codeSpan(field.value) : Self.escapeMarkdown(field.value)
            lines.append("- **\(Self.escapeMarkdown(field.label)):** \(value)")
        }

        var figureNumber = 0
        var tableNumber = 0
        var files: [ReportFile] = []
        for section in sections {
            lines += ["", "## " + Self.escapeMarkdown(section.title)]
            for block in section.blocks {
                lines.append("")
                switch block {
                case .paragraph(let text):
                    lines.append(Self.escapeMarkdown(text))
                case .figure(let figure):
                    figureNumber += 1
                    let path = prefix + figure.fileName
                    files.append(
                        ReportFile(
                            relativePath: path,
                            contents: figure.chart.svg(idPrefix: "figure\(figureNumber)")))
                    lines.append(
                        "![\(Self.escapeMarkdown(figure.chart.title))](\(Self.escapeLink(path)))")
                    lines.append("")
                    lines.append("*Figure \(figureNumber).* " + Self.escapeMarkdown(figure.caption))
                case .table(let table):
                    tableNumber += 1
                    if !table.caption.isEmpty {
                        lines.append(
                            "*Table \(tableNumber).* " + Self.escapeMarkdown(table.caption))
                        lines.append("")
                    }
                    lines += Self.tableLines(table)
                case .links(let links):
                    for link in links {
                        let text = Self.escapeMarkdown(link.title.isEmpty ? link.path : link.title)
                        var line = "- [\(text)](\(Self.escapeLink(link.path)))"
                        if !link.description.isEmpty {
                            line += ": " + Self.escapeMarkdown(link.description)
                        }
                        lines.append(line)
                    }
                case .list(let items):
                    lines += items.map { "- " + Self.escapeMarkdown($0) }
                case .caveat(let text):
                    lines.append("> **Caveat:** " + Self.escapeMarkdown(text))
                }
            }
        }
        return RenderedMarkdown(text: lines.joined(separator: "\n") + "\n", files: files)
    }

    static func tableLines(_ table: ReportTable) -> [String] {
        func row(_ cells: [String]) -> String {
            "| "
                + cells.map { escapeMarkdown($0).replacingOccurrences(of: "|", with: "\\|") }
                .joined(separator: " | ") + " |"
        }
        let rule = table.columns.indices.map { table.isNumeric(column: $0) ? "---:" : "---" }
        return [row(table.columns), "| " + rule.joined(separator: " | ") + " |"]
            + table.rows.map(row)
    }

    /// Escapes the characters that would otherwise start emphasis, code, links, HTML or,
    /// at the start of a line, a heading, list or quote. Newlines become spaces.
    static func escapeMarkdown(_ text: String) -> String {
        var result = ""
        for character in text.replacingOccurrences(of: "\n", with: " ") {
            if "\\`*_[]<>".contains(character) { result.append("\\") }
            result.append(character)
        }
        if let first = result.first, "#+->".contains(first) { result = "\\" + result }
        // "1. " or "1) " at the start would begin an ordered list.
        let digits = result.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty {
            let rest = result.dropFirst(digits.count)
            if rest.hasPrefix(". ") || rest.hasPrefix(") ") {
                result = digits + "\\" + rest
            }
        }
        return result
    }

    /// A code span that contains `text` verbatim, with enough backticks around it.
    static func codeSpan(_ text: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padding = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + padding + text.replacingOccurrences(of: "\n", with: " ") + padding + fence
    }

    /// A link destination: spaces and parentheses percent-encoded.
    static func escapeLink(_ path: String) -> String {
        path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: " ", with: "%20")
            .replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")
    }
}
