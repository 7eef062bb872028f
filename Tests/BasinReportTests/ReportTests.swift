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
        for file in rendered.files {
            #expect(rendered.text.contains("](\(file.relativePath))"))
            expectWellFormedXML(file.contents)
            try expectSnapshot(
                file.contents, named: String(file.relativePath.dropFirst("figures/".count)),
                in: snapshotDirectory())
        }
    }
}
