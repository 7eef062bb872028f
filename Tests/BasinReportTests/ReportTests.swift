import BasinTestSupport
import Foundation
import Testing

@testable import BasinReport

@Suite("Reports")
struct ReportTests {
    @Test("the sample report renders to HTML matching its snapshot")
    func htmlSnapshot() throws {
        let html = SampleFigures.report().html()
        try expectSnapshot(html, named: "report.html", in: snapshotDirectory())
        if let path = ProcessInfo.processInfo.environment["BASIN_REPORT_PREVIEW"] {
            try Data(html.utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test("the sample report renders to Markdown matching its snapshot, with its figures")
    func markdownSnapshot() throws {
        let rendered = SampleFigures.report().markdown(figureDirectory: "figures")
        try expectSnapshot(rendered.text, named: "report.md", in: snapshotDirectory())
        #expect(
            rendered.files.map(\.relativePath)
                == [
                    "figures/range-test.svg", "figures/seeds.svg", "figures/interpolation.svg",
                    "figures/barriers.svg", "figures/plane.svg", "figures/spectrum.svg",
                ])
        // The figure files are the charts themselves (their snapshots are in the chart
        // tests and inside report.html).
        let figures = SampleFigures.report().numberedFigures
        for (file, (number, figure)) in zip(rendered.files, figures) {
            #expect(rendered.text.contains("](\(file.relativePath))"))
            #expect(file.contents == figure.chart.svg(idPrefix: "figure\(number)"))
            expectWellFormedXML(file.contents)
        }
    }
}

@Suite("Report rendering details")
struct ReportDetailTests {
    @Test("the HTML page is self-contained: no scripts, nothing fetched, unique ids")
    func selfContained() {
        let html = SampleFigures.report().html()
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("@import") && !html.contains("url(http"))
        #expect(!html.contains("href=\"http"))
        let ids = attributeValues("id", in: html)
        #expect(Set(ids).count == ids.count, "duplicate ids in \(ids)")
        #expect(occurrences(of: "<svg ", in: html) == 6 + 4)
    }

    @Test("report text is escaped in HTML")
    func htmlEscaping() {
        let html = SampleFigures.report().html()
        #expect(html.contains("the loss &lt;diverged&gt; past η ≈ 1"))
        #expect(
            html.contains("<title>Basin sample report: cycles, barriers &amp; curvature</title>"))
        #expect(html.contains("<td class=\"number\">NaN</td>"))
    }

    @Test("Markdown escaping keeps text literal")
    func markdownEscaping() {
        #expect(Report.escapeMarkdown("*a* _b_ [c](d) <e>") == "\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\>")
        #expect(Report.escapeMarkdown("# not a heading") == "\\# not a heading")
        #expect(Report.escapeMarkdown("1. not a list") == "1\\. not a list")
        #expect(Report.escapeMarkdown("two\nlines") == "two lines")
        #expect(Report.codeSpan("a `b` c") == "``a `b` c``")
        #expect(Report.escapeLink("my figures/a (1).svg") == "my%20figures/a%20%281%29.svg")
    }

    @Test("numeric columns are right-aligned in Markdown")
    func markdownTable() {
        let table = ReportTable(
            columns: ["pair", "barrier"], rows: [["c1|c2", "0.13"], ["c2–c3", "NaN"]])
        #expect(
            Report.tableLines(table)
                == [
                    "| pair | barrier |", "| --- | ---: |", "| c1\\|c2 | 0.13 |", "| c2–c3 | NaN |",
                ])
    }

    @Test("figures go beside the report when no directory is given")
    func figuresBeside() {
        let rendered = SampleFigures.report().markdown()
        #expect(rendered.files.first?.relativePath == "range-test.svg")
        #expect(rendered.text.contains("![LR range test](range-test.svg)"))
    }
}

@Suite("Report readability")
struct ReportReadabilityTests {
    @Test("every font size in every figure of the sample report is at least 11 px")
    func readableText() {
        let html = SampleFigures.report().html()
        let sizes = attributeValues("font-size", in: html).compactMap(Double.init)
        #expect(sizes.count > 50)
        #expect(sizes.allSatisfy { $0 >= 11 }, "sizes \(Set(sizes).sorted())")
    }
}

@Suite("Figure layout")
struct FigureLayoutTests {
    static let figures: [(String, any SVGChart, Double)] = [
        ("range test", SampleFigures.rangeTest(), 640),
        ("interpolation", SampleFigures.interpolation(), 640),
        ("spectrum", SampleFigures.spectrum(), 640), ("line chart", sampleLineChart(), 640),
        ("plane", SampleFigures.plane(), 560),
    ]

    @Test("no horizontal text of the sample figures runs off the canvas")
    func textInsideCanvas() {
        for (name, chart, width) in Self.figures {
            let extents = textExtents(in: chart.svg())
            #expect(extents.count > 5, "\(name)")
            for (text, left, right) in extents {
                #expect(left >= 0 && right <= width, "\(name): “\(text)” spans \(left)…\(right)")
            }
        }
    }
}
