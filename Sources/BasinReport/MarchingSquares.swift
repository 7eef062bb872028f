import Foundation

/// Level sets of a function sampled on a grid, by marching squares.
///
/// The grid is `values[row][column]`; positions are returned in index space, `x` the
/// (fractional) column and `y` the (fractional) row. Along cell edges the function is taken
/// as linear, so a crossing of level L between corner values a and b lies at the fraction
/// t = (L − a)/(b − a) of the edge. A cell with two diagonally opposite corners above the
/// level (a saddle) is resolved by the mean of its four corners: when the mean is at least
/// L the two high corners are joined through the middle, otherwise they are separate. Line
/// segments and filled regions use the same rule, so they agree. A cell with a NaN or
/// infinite corner is left out of both.
public enum MarchingSquares {
    /// A point in index space: `x` along columns, `y` along rows.
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double

        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// The segments of the contour line f = `level`, one or two per cell it crosses.
    /// A point is above the level when f ≥ level.
    public static func segments(values: [[Double]], level: Double) -> [(Point, Point)] {
        var result: [(Point, Point)] = []
        forEachCell(values) { corners, positions in
            let inside = corners.map { $0 >= level }
            let insideCount = inside.filter { $0 }.count
            guard insideCount > 0 && insideCount < 4 else { return }
            // crossings[e] is the crossing on edge e (from corner e to corner e + 1), if any.
            let crossings = (0..<4).map { edge -> Point? in
                let next = (edge + 1) % 4
                guard inside[edge] != inside[next] else { return nil }
                return crossing(
                    positions[edge], corners[edge], positions[next], corners[next], level)
            }
            if insideCount == 2 && inside[0] == inside[2] {
                // Saddle: cut off the corners on the side that is not joined.
                let joinedInside = corners.reduce(0, +) / 4 >= level
                for corner in 0..<4 where inside[corner] != joinedInside {
                    let before = (corner + 3) % 4
                    result.append((crossings[before]!, crossings[corner]!))
                }
            } else {
                let found = crossings.compactMap { $0 }
                result.append((found[0], found[1]))
            }
        }
        return result
    }

    /// The region f ≥ `level` as polygons (each a list of vertices, not repeated at the
    /// end) covering it cell by cell. Runs of whole cells along a row are merged into one
    /// rectangle to keep the output small. Pass `-.infinity` for every finite cell.
    public static func superlevelPolygons(values: [[Double]], level: Double) -> [[Point]] {
        var polygons: [[Point]] = []
        var runStart: (row: Int, column: Int)?
        var runEnd = 0

        func flushRun() {
            guard let start = runStart else { return }
            let top = Double(start.row)
            polygons.append([
                Point(x: Double(start.column), y: top), Point(x: Double(runEnd + 1), y: top),
                Point(x: Double(runEnd + 1), y: top + 1),
                Point(x: Double(start.column), y: top + 1),
            ])
            runStart = nil
        }

        forEachCell(values) { corners, positions in
            let row = Int(positions[0].y)
            let column = Int(positions[0].x)
            let inside = corners.map { $0 >= level }
            let insideCount = inside.filter { $0 }.count

            // Whole cells extend the current run; anything else ends it.
            if insideCount == 4 {
                if let start = runStart, start.row == row, runEnd == column - 1 {
                    runEnd = column
                } else {
                    flushRun()
                    runStart = (row, column)
                    runEnd = column
                }
                return
            }
            flushRun()
            guard insideCount > 0 else { return }

            let isSaddle = insideCount == 2 && inside[0] == inside[2]
            if isSaddle && corners.reduce(0, +) / 4 < level {
                // Separate high corners: a triangle at each.
                for corner in 0..<4 where inside[corner] {
                    let before = (corner + 3) % 4
                    let after = (corner + 1) % 4
                    polygons.append([
                        positions[corner],
                        crossing(
                            positions[corner], corners[corner], positions[after], corners[after],
                            level),
                        crossing(
                            positions[before], corners[before], positions[corner], corners[corner],
                            level),
                    ])
                }
                return
            }
            // Clip the square to f ≥ level (Sutherland–Hodgman against one boundary).
            var polygon: [Point] = []
            for edge in 0..<4 {
                let next = (edge + 1) % 4
                if inside[edge] { polygon.append(positions[edge]) }
                if inside[edge] != inside[next] {
                    polygon.append(
                        crossing(
                            positions[edge], corners[edge], positions[next], corners[next], level))
                }
            }
            polygons.append(polygon)
        }
        flushRun()
        return polygons
    }

    // MARK: - Steps

    /// Calls `body` for every cell whose four corners are finite, in row-major order, with
    /// the corner values and positions in the order (c, r), (c+1, r), (c+1, r+1), (c, r+1).
    static func forEachCell(_ values: [[Double]], _ body: ([Double], [Point]) -> Void) {
        guard values.count >= 2 else { return }
        let columns = values[0].count
        precondition(
            values.allSatisfy { $0.count == columns },
            "grid rows have different lengths: \(values.map(\.count))")
        guard columns >= 2 else { return }
        for row in 0..<(values.count - 1) {
            for column in 0..<(columns - 1) {
                let corners = [
                    values[row][column], values[row][column + 1], values[row + 1][column + 1],
                    values[row + 1][column],
                ]
                guard corners.allSatisfy(\.isFinite) else { continue }
                let x = Double(column)
                let y = Double(row)
                body(
                    corners,
                    [
                        Point(x: x, y: y), Point(x: x + 1, y: y), Point(x: x + 1, y: y + 1),
                        Point(x: x, y: y + 1),
                    ])
            }
        }
    }

    /// The point on segment p → q where the linearly interpolated value equals `level`.
    static func crossing(_ p: Point, _ a: Double, _ q: Point, _ b: Double, _ level: Double) -> Point
    {
        let t = (level - a) / (b - a)
        return Point(x: p.x + t * (q.x - p.x), y: p.y + t * (q.y - p.y))
    }
}
