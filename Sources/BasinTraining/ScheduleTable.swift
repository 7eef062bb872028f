extension LearningRateSchedule {
    /// The schedule as CSV: the header `iteration,lr,momentum`, then one line per iteration
    /// `0..<iterationCount`, numbers written in their shortest round-trip form. The
    /// `basin schedule` command prints this.
    /// - Precondition: `iterationCount ≥ 0`.
    public func csvTable(iterationCount: Int) -> String {
        precondition(iterationCount >= 0, "iteration count \(iterationCount) is negative")
        var text = "iteration,lr,momentum\n"
        for iteration in 0..<iterationCount {
            let (learningRate, momentum) = value(at: iteration)
            text += "\(iteration),\(learningRate),\(momentum)\n"
        }
        return text
    }
}
