import Foundation

extension Report {
    /// The report as one self-contained HTML5 page: figures are inline SVG, the style
    /// sheet is inline, there are no scripts and nothing is fetched. It reads at laptop
    /// width (text column of at most 60 em, figures scaled down to fit) and prints cleanly
    /// (figures and tables are not split across pages; link targets are printed).
    /// - Precondition: figure file names are distinct plain names ending in `.svg`.
    public func html() -> String {
        validateFigureNames()
        var lines: [String] = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>\(Self.escapeHTML(title))</title>",
            "<style>",
            Self.styleSheet,
            "</style>",
            "</head>",
            "<body>",
            "<main>",
            "<h1>\(Self.escapeHTML(title))</h1>",
        ]
        if !provenance.fields.isEmpty {
            lines.append("<dl class=\"provenance\">")
            for field in provenance.fields {
                let value = Self.escapeHTML(field.value)
                lines.append(
                    "<dt>\(Self.escapeHTML(field.label))</dt><dd>"
                        + (field.isCode ? "<code>\(value)</code>" : value) + "</dd>")
            }
            lines.append("</dl>")
        }

        var figureNumber = 0
        var tableNumber = 0
        for section in sections {
            lines.append("<section>")
            lines.append("<h2>\(Self.escapeHTML(section.title))</h2>")
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    lines.append("<p>\(Self.escapeHTML(text))</p>")
                case .figure(let figure):
                    figureNumber += 1
                    lines.append("<figure id=\"figure-\(figureNumber)\">")
                    lines.append(figure.chart.svg(idPrefix: "figure\(figureNumber)"))
                    lines.append(
                        "<figcaption><strong>Figure \(figureNumber).</strong> "
                            + Self.escapeHTML(figure.caption) + "</figcaption>")
                    lines.append("</figure>")
                case .table(let table):
                    tableNumber += 1
                    lines += Self.tableLines(table, number: tableNumber)
                case .links(let links):
                    lines.append("<ul class=\"files\">")
                    for link in links {
                        let text = Self.escapeHTML(link.title.isEmpty ? link.path : link.title)
                        var item = "<li><a href=\"\(Self.escapeHTML(link.path))\">\(text)</a>"
                        if !link.description.isEmpty {
                            item += ": " + Self.escapeHTML(link.description)
                        }
                        lines.append(item + "</li>")
                    }
                    lines.append("</ul>")
                case .list(let items):
                    lines.append("<ul>")
                    lines += items.map { "<li>\(Self.escapeHTML($0))</li>" }
                    lines.append("</ul>")
                case .caveat(let text):
                    lines.append(
                        "<p class=\"caveat\"><strong>Caveat:</strong> \(Self.escapeHTML(text))</p>")
                }
            }
            lines.append("</section>")
        }
        lines += ["</main>", "</body>", "</html>"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func tableLines(_ table: ReportTable, number: Int) -> [String] {
        let numeric = table.columns.indices.map { table.isNumeric(column: $0) }
        func cell(_ tag: String, _ text: String, _ column: Int) -> String {
            let attribute = numeric[column] ? " class=\"number\"" : ""
            return "<\(tag)\(attribute)>\(escapeHTML(text))</\(tag)>"
        }
        var lines = ["<div class=\"table\">", "<table>"]
        if !table.caption.isEmpty {
            lines.append(
                "<caption><strong>Table \(number).</strong> \(escapeHTML(table.caption))</caption>")
        }
        lines.append(
            "<thead><tr>"
                + table.columns.enumerated().map { cell("th", $1, $0) }.joined() + "</tr></thead>")
        lines.append("<tbody>")
        for row in table.rows {
            lines.append("<tr>" + row.enumerated().map { cell("td", $1, $0) }.joined() + "</tr>")
        }
        lines += ["</tbody>", "</table>", "</div>"]
        return lines
    }

    /// Text for HTML content or a double-quoted attribute.
    static func escapeHTML(_ text: String) -> String {
        TextFormatting.xmlEscaped(text)
    }

    static let styleSheet = """
        :root { color-scheme: light; }
        body { margin: 0; background: #ffffff; color: #222222; font-size: 16px; line-height: 1.5;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
        main { max-width: 60em; margin: 0 auto; padding: 1.5em 1.25em 3em; }
        h1 { font-size: 1.7em; line-height: 1.2; margin: 0 0 0.6em; }
        h2 { font-size: 1.3em; margin: 2em 0 0.6em; padding-bottom: 0.2em;
          border-bottom: 1px solid #dddddd; }
        p, ul { max-width: 45em; }
        a { color: #0062a0; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
          font-size: 0.875em; }
        dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em;
          margin: 0 0 1.5em; padding: 0.75em 1em; background: #f5f5f5; border-radius: 6px;
          font-size: 0.9em; }
        dl.provenance dt { font-weight: 600; }
        dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
        figure { margin: 1.5em 0; }
        figure svg { display: block; max-width: 100%; height: auto; }
        figcaption { margin-top: 0.4em; font-size: 0.9em; color: #444444; max-width: 45em; }
        div.table { overflow-x: auto; margin: 1em 0; }
        table { border-collapse: collapse; font-size: 0.9em; }
        caption { caption-side: top; text-align: left; padding-bottom: 0.4em; color: #444444; }
        th, td { padding: 0.3em 0.75em; border-bottom: 1px solid #dddddd; text-align: left; }
        thead th { border-bottom: 2px solid #999999; }
        th.number, td.number { text-align: right; font-variant-numeric: tabular-nums; }
        p.caveat { padding: 0.5em 0.8em; border-left: 4px solid #E69F00; background: #fff8e8; }
        @media print {
          body { font-size: 11pt; }
          main { max-width: none; padding: 0; }
          figure, div.table, dl.provenance { break-inside: avoid; }
          h2 { break-after: avoid; }
          a { color: inherit; }
          ul.files a[href]::after { content: " (" attr(href) ")"; font-size: 0.85em; }
        }
        """
}
