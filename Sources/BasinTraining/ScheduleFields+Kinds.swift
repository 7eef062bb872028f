/// Building each kind of schedule from its parsed fields. Every value that an initializer
/// checks with a precondition is checked here first, so text never reaches a precondition.
extension ScheduleFields {
    func makeSchedule() throws -> Schedule {
        switch kind.name {
        case "constant":
            return .constant(
                ConstantSchedule(
                    learningRate: try learningRate("lr"), momentum: try momentum(0.9)))
        case "step":
            return .step(
                StepSchedule(
                    learningRate: try learningRate("lr"), gamma: try positiveNumber("gamma", 0.1),
                    periodIterations: try length("every"), momentum: try momentum(0.9)))
        case "multistep":
            return .multiStep(
                MultiStepSchedule(
                    learningRate: try learningRate("lr"), gamma: try positiveNumber("gamma", 0.1),
                    milestoneIterations: try lengths("milestones"), momentum: try momentum(0.9)))
        case "clr": return try makeCyclical()
        case "onecycle": return try makeOneCycle()
        case "smith1cycle": return try makeSmithOneCycle()
        case "sgdr": return try makeWarmRestarts()
        case "linear-ramp", "exp-ramp": return try makeRamp()
        default: preconditionFailure("schedule kind \(kind.name) has no constructor")
        }
    }

    private func positiveNumber(_ key: String, _ fallback: Double) throws -> Double {
        try positiveNumber(key, default: fallback)
    }

    /// A momentum that does not cycle; `START-PEAK` is refused.
    private func momentum(_ fallback: Double) throws -> Double {
        let value = try momentum(default: (fallback, fallback))
        guard value.start == value.peak else {
            throw invalidCombination("momentum", "one momentum in [0, 1) such as 0.9")
        }
        return value.start
    }

    private func makeCyclical() throws -> Schedule {
        let modeName = try choice(
            "mode", default: "triangular",
            from: ["triangular", "triangular2", "exp_range", "caffe_triangular"])
        let gamma = try positiveNumber("gamma", 1)
        if contains("gamma") && modeName != "exp_range" {
            throw invalidCombination("gamma", "no gamma unless mode=exp_range")
        }
        let mode: CyclicalSchedule.Mode =
            switch modeName {
            case "triangular2": .triangular2
            case "exp_range": .exponentialRange(gamma: gamma)
            case "caffe_triangular": .caffeTriangular
            default: .triangular
            }
        if contains("step") && contains("up") {
            throw invalidCombination("up", "either step or up, not both")
        }
        let up = try length("up", default: try length("step", default: 2000))
        let down = try length("down", default: up)
        let momentum = try momentum(default: (0.9, 0.8))
        return .cyclical(
            CyclicalSchedule(
                mode: mode, baseLearningRate: try learningRate("base"),
                maximumLearningRate: try learningRate("max"), stepUpIterations: up,
                stepDownIterations: down, momentumAtBase: momentum.start,
                momentumAtPeak: momentum.peak))
    }

    private func makeOneCycle() throws -> Schedule {
        let style = OneCycleSchedule.Style(
            rawValue: try choice("style", default: "pytorch", from: ["pytorch", "fastai"]))!
        let annealing = OneCycleSchedule.Annealing(
            rawValue: try choice("anneal", default: "cos", from: ["cos", "linear"]))!
        let phases = try integer("phases", default: 2, in: 2...3)
        if phases == 3 && style == .fastai {
            throw invalidCombination("phases", "2 with style=fastai (fastai has two phases)")
        }
        let momentum = try momentum(default: (0.95, 0.85))
        return .oneCycle(
            OneCycleSchedule(
                style: style, maximumLearningRate: try learningRate("max"),
                totalIterations: try length("total"),
                pctStart: contains("pct")
                    ? try number("pct", in: 0...1, expected: "a fraction in [0, 1]") : nil,
                annealing: annealing, divFactor: try positiveNumber("div", 25),
                finalDivFactor: contains("final_div")
                    ? try positiveNumber("final_div", default: nil) : nil,
                threePhase: phases == 3, momentumAtBase: momentum.start,
                momentumAtPeak: momentum.peak))
    }

    private func makeSmithOneCycle() throws -> Schedule {
        let momentum = try momentum(default: (0.95, 0.85))
        return .smithOneCycle(
            SmithOneCycleSchedule(
                baseLearningRate: try learningRate("base"),
                maximumLearningRate: try learningRate("max"), stepIterations: try length("step"),
                totalIterations: try length("total"),
                finalDivFactor: try positiveNumber("final_div", 1000),
                momentumAtBase: momentum.start, momentumAtPeak: momentum.peak))
    }

    private func makeWarmRestarts() throws -> Schedule {
        .warmRestarts(
            WarmRestartsSchedule(
                maximumLearningRate: try learningRate("max"),
                minimumLearningRate: try learningRate("min", default: 0),
                firstCycleIterations: try length("period"),
                cycleLengthMultiplier: try integer("mult", default: 1, in: 1...1000),
                momentum: try momentum(0.9)))
    }

    private func makeRamp() throws -> Schedule {
        let shape: RangeTestRamp.Shape = kind.name == "linear-ramp" ? .linear : .exponential
        let start: Double
        if shape == .linear {
            start = try learningRate("start", default: 0)
        } else {
            start = try positiveNumber("start", 1e-7)
        }
        return .rangeTestRamp(
            RangeTestRamp(
                shape: shape, startLearningRate: start, endLearningRate: try learningRate("end"),
                rampIterations: try length("length", default: 100), momentum: try momentum(0.9)))
    }
}
