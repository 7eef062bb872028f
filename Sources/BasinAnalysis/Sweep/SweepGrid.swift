import Foundation

/// A hyper-parameter that a sweep can vary, with the name used in `--vary NAME=…`.
public enum SweepParameter: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable,
    Comparable
{
    case weightDecay = "wd"
    case momentum
    case batchSize = "batch"
    case maximumLearningRate = "max_lr"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Whether the values must be whole numbers.
    public var isInteger: Bool { self == .batchSize }
}

/// One point of a sweep: a value for every varied parameter, and its place in the grid.
public struct SweepPoint: Equatable, Codable, Sendable {
    /// Position in the expanded grid, from 0; fixes the point's file name and shard.
    public var index: Int
    public var values: [SweepParameter: Double]

    /// A stable, file-system-safe name such as `p003-wd=0.0001-momentum=0.9`.
    public var name: String {
        let parts = values.keys.sorted().map { "\($0.rawValue)=\(formatSweepValue(values[$0]!))" }
        return ([String(format: "p%03d", index)] + parts).joined(separator: "-")
    }
}

/// The product grid of a sweep, from `--vary` specifications such as
/// `wd=1e-5,3e-5,1e-4` and `momentum=0.95,0.9`.
///
/// Points enumerate the product with the first `--vary` varying slowest, so the order is
/// that of nested loops written in the order of the flags.
public struct SweepGrid: Equatable, Codable, Sendable {
    public var axes: [(parameter: SweepParameter, values: [Double])] {
        zip(parameters, valueLists).map { ($0, $1) }
    }
    private var parameters: [SweepParameter]
    private var valueLists: [[Double]]

    /// Parses one `--vary` value per axis.
    public init(parsing specifications: [String]) throws(AnalysisError) {
        guard !specifications.isEmpty else {
            throw .invalidArgument(
                "basin sweep needs at least one --vary NAME=V1,V2,…, for example --vary wd=1e-4,1e-3"
            )
        }
        parameters = []
        valueLists = []
        for specification in specifications {
            let (parameter, values) = try Self.parseAxis(specification)
            guard !parameters.contains(parameter) else {
                throw .invalidArgument("--vary names '\(parameter.rawValue)' twice")
            }
            parameters.append(parameter)
            valueLists.append(values)
        }
    }

    /// Every point of the product, in order.
    public var points: [SweepPoint] {
        var result: [[SweepParameter: Double]] = [[:]]
        for (parameter, values) in axes {
            result = result.flatMap { partial in
                values.map { value in partial.merging([parameter: value]) { $1 } }
            }
        }
        return result.enumerated().map { SweepPoint(index: $0.offset, values: $0.element) }
    }

    /// The points of shard `index` of `count` (1-based, as `--shard I/N`): every N-th point
    /// starting at the I-th, so shards stay balanced when points are ordered by cost.
    public func points(shard index: Int, of count: Int) -> [SweepPoint] {
        precondition(count >= 1 && index >= 1 && index <= count, "shard \(index)/\(count)")
        return points.filter { $0.index % count == index - 1 }
    }

    public static func == (lhs: SweepGrid, rhs: SweepGrid) -> Bool {
        lhs.parameters == rhs.parameters && lhs.valueLists == rhs.valueLists
    }

    private static func parseAxis(_ text: String) throws(AnalysisError) -> (
        SweepParameter, [Double]
    ) {
        let pieces = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let known = SweepParameter.allCases.map(\.rawValue).joined(separator: ", ")
        guard pieces.count == 2 else {
            throw .invalidArgument(
                "--vary expects NAME=V1,V2,… (NAME one of \(known)); got '\(text)'")
        }
        guard let parameter = SweepParameter(rawValue: String(pieces[0])) else {
            throw .invalidArgument(
                "--vary: unknown parameter '\(pieces[0])'; expected one of \(known)")
        }
        let items = pieces[1].split(separator: ",", omittingEmptySubsequences: false)
        guard !pieces[1].isEmpty, !items.isEmpty else {
            throw .invalidArgument("--vary \(parameter.rawValue)= has no values; give V1,V2,…")
        }
        var values: [Double] = []
        for item in items {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let value = Double(trimmed), value.isFinite else {
                throw .invalidArgument(
                    "--vary \(parameter.rawValue): '\(trimmed)' is not a number")
            }
            if parameter.isInteger, value.rounded() != value || value < 1 {
                throw .invalidArgument(
                    "--vary \(parameter.rawValue): '\(trimmed)' is not a positive whole number")
            }
            if value < 0 {
                throw .invalidArgument("--vary \(parameter.rawValue): '\(trimmed)' is negative")
            }
            guard !values.contains(value) else {
                throw .invalidArgument("--vary \(parameter.rawValue) lists \(trimmed) twice")
            }
            values.append(value)
        }
        return (parameter, values)
    }

    /// The grid as text, `wd=1e-05,0.0001;momentum=0.9`: equal grids give equal text.
    public var canonicalText: String {
        axes.map { axis in
            axis.parameter.rawValue + "="
                + axis.values.map { "\($0)" }.joined(separator: ",")
        }.joined(separator: ";")
    }

    private enum CodingKeys: String, CodingKey { case parameters, valueLists }
}

/// A sweep value as written in names and tables: the shortest form that reads back exactly.
public func formatSweepValue(_ value: Double) -> String {
    value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
}
