import BasinTestSupport
import Foundation
import Testing

@testable import BasinReport

@Suite("Marching squares")
struct MarchingSquaresTests {
    /// f(c, r) = c + 2r sampled at integer points: linear along every cell edge, so the
    /// crossings lie exactly on the line c + 2r = L.
    static let plane: [[Double]] = (0..<5).map { r in (0..<6).map { c in Double(c + 2 * r) } }

    @Test("contour points of a plane lie exactly on its level line")
    func planeLevelSet() {
        let segments = MarchingSquares.segments(values: Self.plane, level: 3.5)
        #expect(!segments.isEmpty)
        for (p, q) in segments {
            expectClose(p.x + 2 * p.y, 3.5, absoluteTolerance: 1e-12)
            expectClose(q.x + 2 * q.y, 3.5, absoluteTolerance: 1e-12)
        }
        // The line c + 2r = 3.5 runs from (3.5, 0) to (0, 1.75): through cells 3, 2, 1 of
        // row 0 and cells 1, 0 of row 1.
        #expect(segments.count == 5)
    }

    @Test("the superlevel region of a plane has the area of the closed form")
    func planeArea() {
        // f = c on a 5 × 6 grid: the region c ≥ 1.5 spans columns 1.5…5 over 4 rows.
        let grid: [[Double]] = (0..<5).map { _ in (0..<6).map(Double.init) }
        let polygons = MarchingSquares.superlevelPolygons(values: grid, level: 1.5)
        expectClose(polygons.map(area).reduce(0, +), 3.5 * 4, absoluteTolerance: 1e-12)
        let all = MarchingSquares.superlevelPolygons(values: grid, level: -.infinity)
        expectClose(all.map(area).reduce(0, +), 20, absoluteTolerance: 1e-12)
        // Whole cells merge into one rectangle per row.
        #expect(all.count == 4)
    }

    @Test("a cone's contour is a closed loop close to the circle")
    func coneLevelSet() {
        // f = distance from (10, 10) on a 21 × 21 grid; the level-6 set is a circle of
        // radius 6, which edge interpolation of a convex function places just inside.
        func distance(_ x: Double, _ y: Double) -> Double {
            ((x - 10) * (x - 10) + (y - 10) * (y - 10)).squareRoot()
        }
        let cone: [[Double]] = (0...20).map { r in
            (0...20).map { c in distance(Double(c), Double(r)) }
        }
        let segments = MarchingSquares.segments(values: cone, level: 6)
        for (p, q) in segments {
            for point in [p, q] {
                let radius = distance(point.x, point.y)
                #expect(radius <= 6 + 1e-12 && radius > 5.9, "radius \(radius)")
            }
        }
        // Closed: every endpoint is shared by exactly two segments.
        var degree: [String: Int] = [:]
        for (p, q) in segments {
            for point in [p, q] { degree["\(point.x),\(point.y)", default: 0] += 1 }
        }
        #expect(degree.values.allSatisfy { $0 == 2 })
        // The enclosed area is close to π·6²: the superlevel area of −f at −6.
        let inside = MarchingSquares.superlevelPolygons(
            values: cone.map { $0.map { -$0 } }, level: -6)
        expectClose(inside.map(area).reduce(0, +), Double.pi * 36, absoluteTolerance: 1.5)
    }

    @Test("a saddle cell is joined or split by the mean of its corners")
    func saddle() {
        // Corners (c, r): (0,0)=1, (1,0)=0, (1,1)=1, (0,1)=0. Mean 0.5.
        let grid: [[Double]] = [[1, 0], [0, 1]]
        let joined = MarchingSquares.segments(values: grid, level: 0.4)
        let split = MarchingSquares.segments(values: grid, level: 0.6)
        #expect(joined.count == 2 && split.count == 2)
        let joinedArea = MarchingSquares.superlevelPolygons(values: grid, level: 0.4).map(area)
        let splitArea = MarchingSquares.superlevelPolygons(values: grid, level: 0.6).map(area)
        // Joined: one hexagon, the square minus two corner triangles with legs 0.4.
        #expect(joinedArea.count == 1)
        expectClose(joinedArea[0], 1 - 2 * 0.5 * 0.4 * 0.4, absoluteTolerance: 1e-12)
        // Split: two corner triangles with legs 0.4.
        #expect(splitArea.count == 2)
        expectClose(splitArea.reduce(0, +), 2 * 0.5 * 0.4 * 0.4, absoluteTolerance: 1e-12)
    }

    @Test("cells with a NaN corner are left out")
    func nanCells() {
        var grid: [[Double]] = (0..<3).map { _ in (0..<3).map(Double.init) }
        grid[1][1] = .nan
        #expect(MarchingSquares.segments(values: grid, level: 0.5).isEmpty)
        #expect(MarchingSquares.superlevelPolygons(values: grid, level: -.infinity).isEmpty)
        grid[1][1] = 1
        #expect(MarchingSquares.segments(values: grid, level: 0.5).count == 2)
    }

    /// Shoelace area of a simple polygon.
    func area(_ polygon: [MarchingSquares.Point]) -> Double {
        var twice = 0.0
        for index in polygon.indices {
            let p = polygon[index]
            let q = polygon[(index + 1) % polygon.count]
            twice += p.x * q.y - q.x * p.y
        }
        return abs(twice) / 2
    }
}
