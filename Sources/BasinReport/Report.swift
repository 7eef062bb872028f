import Foundation

/// A report of one analysis: a title, what was analysed and how, then sections of
/// paragraphs, figures, tables and links to the data files beside it.
///
/// Every value is given by the caller, the date and machine included, so the same inputs
/// render to the same bytes. Render it with `markdown(figureDirectory:)` (a Markdown file
/// plus the SVG files it links) or `html()` (one self-contained page).
///
/// ```swift
/// let report = Report(
///     title: "Interpolation between cycle ends",
///     provenance: Provenance(
///         toolVersion: "basin 0.1.0", commandLine: "basin interpolate checkpoints/run1",
///         seed: "42", dataSet: "embedded Fashion-MNIST (10 000 / 2 000)", model: "mlp",
///         date: "2026-12-03 17:00 UTC", machine: "AMD EPYC, 2 cores"))
///     .adding(
///         ReportSection("Loss along the line")
///             .paragraph("The loss rises by 0.41 between cycles 1 and 2.")
///             .figure(chart, fileName: "interpolation.svg", caption: "Loss against α.")
///             .links([ReportLink("interpolation.csv", description: "α, train and test loss")]))
/// ```
public struct Report: Sendable {
    public var title: String
    public var provenance: Provenance
    public var sections: [ReportSection]

    public init(title: String, provenance: Provenance, sections: [ReportSection] = []) {
        self.title = title
        self.provenance = provenance
        self.sections = sections
    }

    /// The report with `section` appended.
    public func adding(_ section: ReportSection) -> Report {
        var copy = self
        copy.sections.append(section)
        return copy
    }

    /// Every figure in order, numbered from 1.
    var numberedFigures: [(number: Int, figure: ReportFigure)] {
        var figures: [(Int, ReportFigure)] = []
        for section in sections {
            for case .figure(let figure) in section.blocks {
                figures.append((figures.count + 1, figure))
            }
        }
        return figures
    }

    /// Checks that figure file names are distinct, safe relative names ending in `.svg`.
    func validateFigureNames() {
        var seen = Set<String>()
        for (_, figure) in numberedFigures {
            let name = figure.fileName
            precondition(
                name.hasSuffix(".svg") && !name.contains("/") && !name.contains("\\")
                    && !name.hasPrefix("."),
                "figure file name must be a plain name ending in .svg, got \(name)")
            precondition(seen.insert(name).inserted, "two figures are named \(name)")
        }
    }
}

/// What was analysed and how: shown at the top of every report.
public struct Provenance: Sendable, Equatable {
    /// Label and value pairs in display order.
    public var fields: [ReportField]

    public init(fields: [ReportField]) {
        self.fields = fields
    }

    /// The standard fields, in this order, followed by `extra` ones (e.g. "BatchNorm mode").
    /// Empty values are left out.
    public init(
        toolVersion: String, commandLine: String, seed: String, dataSet: String, model: String,
        date: String, machine: String, extra: [ReportField] = []
    ) {
        let standard = [
            ReportField("Tool", toolVersion), ReportField("Command", commandLine, isCode: true),
            ReportField("Seed", seed), ReportField("Data set", dataSet),
            ReportField("Model", model),
            ReportField("Date", date), ReportField("Machine", machine),
        ]
        fields = (standard + extra).filter { !$0.value.isEmpty }
    }
}

/// One labelled value of the provenance block.
public struct ReportField: Sendable, Equatable {
    public var label: String
    public var value: String
    /// Whether the value is shown in a monospace font (a command line, a path).
    public var isCode: Bool

    public init(_ label: String, _ value: String, isCode: Bool = false) {
        self.label = label
        self.value = value
        self.isCode = isCode
    }
}

/// A titled part of a report; its blocks are added by chaining.
public struct ReportSection: Sendable {
    public var title: String
    public var blocks: [ReportBlock]

    public init(_ title: String, blocks: [ReportBlock] = []) {
        self.title = title
        self.blocks = blocks
    }

    /// Appends a paragraph of plain text (no markup; both renderers escape it).
    public func paragraph(_ text: String) -> ReportSection { adding(.paragraph(text)) }

    /// Appends a figure written to `fileName` (a plain name ending in `.svg`).
    public func figure(_ chart: any SVGChart, fileName: String, caption: String)
        -> ReportSection
    {
        adding(.figure(ReportFigure(chart: chart, fileName: fileName, caption: caption)))
    }

    /// Appends a table.
    public func table(_ table: ReportTable) -> ReportSection { adding(.table(table)) }

    /// Appends a bulleted list of links to files beside the report.
    public func links(_ links: [ReportLink]) -> ReportSection { adding(.links(links)) }

    /// Appends a bulleted list of plain-text items.
    public func list(_ items: [String]) -> ReportSection { adding(.list(items)) }

    /// Appends a caveat: a limit of the analysis the reader must keep in mind.
    public func caveat(_ text: String) -> ReportSection { adding(.caveat(text)) }

    /// Appends any block.
    public func adding(_ block: ReportBlock) -> ReportSection {
        var copy = self
        copy.blocks.append(block)
        return copy
    }
}

/// The content of a section.
public enum ReportBlock: Sendable {
    case paragraph(String)
    case figure(ReportFigure)
    case table(ReportTable)
    case links([ReportLink])
    case list([String])
    case caveat(String)
}

/// A chart with its caption and the file name it is written to beside a Markdown report.
public struct ReportFigure: Sendable {
    public var chart: any SVGChart
    public var fileName: String
    public var caption: String

    public init(chart: any SVGChart, fileName: String, caption: String) {
        self.chart = chart
        self.fileName = fileName
        self.caption = caption
    }
}

/// A table of key numbers. Cells are text; format numbers with `TextFormatting.number`.
/// Columns whose cells all read as numbers (or are empty, `NaN`, `∞`) are right-aligned.
public struct ReportTable: Sendable, Equatable {
    public var caption: String
    public var columns: [String]
    public var rows: [[String]]

    /// - Precondition: every row has one cell per column.
    public init(caption: String = "", columns: [String], rows: [[String]]) {
        precondition(
            rows.allSatisfy { $0.count == columns.count },
            "table \(caption): \(columns.count) columns but rows of \(Set(rows.map(\.count)))")
        self.caption = caption
        self.columns = columns
        self.rows = rows
    }

    /// Whether column `index` holds only numbers.
    func isNumeric(column index: Int) -> Bool {
        let cells = rows.map { $0[index].trimmingCharacters(in: .whitespaces) }
        guard cells.contains(where: { !$0.isEmpty }) else { return false }
        return cells.allSatisfy { cell in
            cell.isEmpty || ["NaN", "∞", "−∞", "nan", "inf", "-inf", "—"].contains(cell)
                || Double(cell.replacingOccurrences(of: "−", with: "-")) != nil
                || (cell.hasSuffix("%") && Double(cell.dropLast()) != nil)
        }
    }
}

/// A link to a file beside the report (CSV, JSON, a checkpoint folder).
public struct ReportLink: Sendable, Equatable {
    /// A relative path, as written in the link.
    public var path: String
    /// The link text; the path itself when empty.
    public var title: String
    /// What the file holds.
    public var description: String

    public init(_ path: String, title: String = "", description: String = "") {
        self.path = path
        self.title = title
        self.description = description
    }
}

/// A report rendered as Markdown, with the SVG files its figures link to.
public struct RenderedMarkdown: Sendable, Equatable {
    /// The Markdown document.
    public var text: String
    /// Files to write beside it: relative path (under `figureDirectory`) and content.
    public var files: [ReportFile]
}

/// One file that belongs beside a rendered report.
public struct ReportFile: Sendable, Equatable {
    public var relativePath: String
    public var contents: String
}
