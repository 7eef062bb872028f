/// One point's summary in a sweep's table.
public struct SweepPointSummary: Codable, Sendable, Equatable {
    public var name: String
    public var values: [SweepParameter: Double]
    public var minimumLoss: Double
    /// Where the minimum occurred (an iteration, or a learning rate for a range test).
    public var positionOfMinimum: Double
    public var finalLoss: Double
    public var flatWidth: Double
    public var signal: SweepSignal

    /// Summarises a curve under `rules`; `learningRates`, one per loss when known, lets the
    /// rules tell a planned warm-up from instability.
    public init(
        name: String, values: [SweepParameter: Double], positions: [Double], losses: [Double],
        learningRates: [Double]? = nil, rules: SweepSignalRules
    ) {
        precondition(
            !losses.isEmpty && positions.count == losses.count,
            "a sweep point needs a non-empty curve; got \(positions.count) positions, \(losses.count) losses"
        )
        self.name = name
        self.values = values
        let finite = losses.indices.filter { losses[$0].isFinite }
        let best = finite.min { losses[$0] < losses[$1] }
        minimumLoss = best.map { losses[$0] } ?? .nan
        positionOfMinimum = best.map { positions[$0] } ?? .nan
        finalLoss = losses.last!
        flatWidth = rules.flatWidth(positions: positions, losses: losses)
        signal = rules.signal(losses: losses, learningRates: learningRates)
    }
}

/// The sweep's verdict: the best point, the runner-up and the margin between them.
public struct SweepRanking: Codable, Sendable, Equatable {
    /// Points in order of preference.
    public var order: [String]
    public var best: String?
    public var runnerUp: String?
    /// Runner-up's minimum loss minus the best's (≥ 0 unless a tie was broken by width).
    public var lossMargin: Double?

    /// Orders points greedily: among the points left, those whose minimum loss is within
    /// `rules.tieFraction` of the lowest are tied, and the one with the widest flat region
    /// comes next (then the lower loss, then the name). Points with no finite loss come last.
    public init(_ summaries: [SweepPointSummary], rules: SweepSignalRules) {
        var remaining = summaries.filter { !$0.minimumLoss.isNaN }
        var ranked: [SweepPointSummary] = []
        while let lowest = remaining.map(\.minimumLoss).min() {
            let limit = lowest + abs(lowest) * rules.tieFraction
            let next = remaining.indices.filter { remaining[$0].minimumLoss <= limit }.min {
                let (a, b) = (remaining[$0], remaining[$1])
                if a.flatWidth != b.flatWidth { return a.flatWidth > b.flatWidth }
                if a.minimumLoss != b.minimumLoss { return a.minimumLoss < b.minimumLoss }
                return a.name < b.name
            }!
            ranked.append(remaining.remove(at: next))
        }
        ranked += summaries.filter { $0.minimumLoss.isNaN }.sorted { $0.name < $1.name }
        order = ranked.map(\.name)
        best = ranked.first?.name
        runnerUp = ranked.count > 1 ? ranked[1].name : nil
        lossMargin = ranked.count > 1 ? ranked[1].minimumLoss - ranked[0].minimumLoss : nil
    }
}
