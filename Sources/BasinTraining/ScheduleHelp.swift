import Foundation

/// One key a schedule kind takes, as the help text lists it.
public struct ScheduleKeyDescription: Sendable, Equatable {
    public var name: String
    /// The default as written in a specification, or nil when the key is required.
    public var defaultValue: String?
    public var summary: String
}

/// One kind of schedule: its name before the colon, what it is, and its keys.
public struct ScheduleKindDescription: Sendable, Equatable {
    public var name: String
    public var summary: String
    public var keys: [ScheduleKeyDescription]
}

private func key(_ name: String, _ defaultValue: String?, _ summary: String)
    -> ScheduleKeyDescription
{
    ScheduleKeyDescription(name: name, defaultValue: defaultValue, summary: summary)
}

private let momentumSummary = "momentum (β1 for Adam): one value, or START-PEAK to cycle it"

/// Every schedule kind with its keys and defaults; the parser accepts exactly these keys.
public let scheduleKinds: [ScheduleKindDescription] = [
    ScheduleKindDescription(
        name: "constant", summary: "a fixed learning rate",
        keys: [
            key("lr", nil, "learning rate"),
            key("momentum", "0.9", "momentum (β1 for Adam)"),
        ]),
    ScheduleKindDescription(
        name: "step", summary: "multiply the rate by gamma every N iterations (PyTorch StepLR)",
        keys: [
            key("lr", nil, "initial learning rate"),
            key("gamma", "0.1", "factor applied at each step"),
            key("every", nil, "LENGTH between steps"),
            key("momentum", "0.9", "momentum (β1 for Adam)"),
        ]),
    ScheduleKindDescription(
        name: "multistep",
        summary: "multiply the rate by gamma at each milestone (PyTorch MultiStepLR)",
        keys: [
            key("lr", nil, "initial learning rate"),
            key("gamma", "0.1", "factor applied at each milestone"),
            key("milestones", nil, "increasing LENGTHs separated by '/', e.g. 30ep/60ep"),
            key("momentum", "0.9", "momentum (β1 for Adam)"),
        ]),
    ScheduleKindDescription(
        name: "clr", summary: "cyclical learning rate, as PyTorch CyclicLR (Smith 2017)",
        keys: [
            key(
                "mode", "triangular",
                "triangular, triangular2 (amplitude halves each cycle), exp_range (times "
                    + "gamma^iteration), caffe_triangular (amplitude / cycle)"),
            key("base", nil, "lowest learning rate"),
            key("max", nil, "highest learning rate"),
            key("step", "2000", "LENGTH of each half cycle (sets up and down)"),
            key("up", "step", "LENGTH of the rising half"),
            key("down", "up", "LENGTH of the falling half"),
            key("gamma", "1", "amplitude decay per iteration for exp_range"),
            key("momentum", "0.9-0.8", momentumSummary),
        ]),
    ScheduleKindDescription(
        name: "onecycle",
        summary: "one cycle, as PyTorch OneCycleLR or fastai fit_one_cycle",
        keys: [
            key("style", "pytorch", "pytorch or fastai (formula and defaults)"),
            key("max", nil, "peak learning rate"),
            key("total", nil, "LENGTH of training"),
            key("pct", "0.3 (fastai 0.25)", "fraction of the iterations spent rising"),
            key("anneal", "cos", "cos or linear"),
            key("div", "25", "initial rate = max/div"),
            key(
                "final_div", "10000 (fastai 100000)",
                "final rate = initial/final_div (fastai: max/final_div)"),
            key("phases", "2", "2, or 3 for Smith's symmetric shape (pytorch style only)"),
            key("momentum", "0.95-0.85", momentumSummary),
        ]),
    ScheduleKindDescription(
        name: "smith1cycle",
        summary: "Smith's Caffe 1cycle: linear up, linear down toward 0, then base/final_div",
        keys: [
            key("base", nil, "starting learning rate"),
            key("max", nil, "peak learning rate"),
            key("step", nil, "LENGTH of each half of the cycle"),
            key("total", nil, "LENGTH of training, tail included"),
            key("final_div", "1000", "the tail's rate is base/final_div"),
            key("momentum", "0.95-0.85", momentumSummary),
        ]),
    ScheduleKindDescription(
        name: "sgdr",
        summary: "cosine annealing with warm restarts (PyTorch CosineAnnealingWarmRestarts)",
        keys: [
            key("max", nil, "learning rate at each restart"),
            key("min", "0", "learning rate approached at the end of each cycle"),
            key("period", nil, "LENGTH of the first cycle (T_0)"),
            key("mult", "1", "integer growth of each cycle's length (T_mult)"),
            key("momentum", "0.9", "momentum (β1 for Adam)"),
        ]),
    ScheduleKindDescription(
        name: "linear-ramp",
        summary: "LR range test, linear from start to end over length (Smith)",
        keys: [
            key("start", "0", "first learning rate"),
            key("end", nil, "learning rate reached at iteration length"),
            key("length", "100", "LENGTH of the ramp"),
            key("momentum", "0.9", "momentum (β1 for Adam)"),
        ]),
    ScheduleKindDescription(
        name: "exp-ramp",
        summary: "LR range test, exponential from start to end over length (fastai)",
        keys: [
            key("start", "1e-7", "first learning rate"),
            key("end", nil, "learning rate reached at iteration length"),
            key("length", "100", "LENGTH of the ramp"),
            key("momentum", "0.9", "momentum (β1 for Adam)"),
        ]),
]

/// The help text for schedule specifications: the syntax, then every kind with each key
/// and its default.
public var scheduleHelpText: String {
    var lines = [
        "Schedules are written KIND:key=value,key=value,...",
        "A LENGTH is a number of iterations (2000) or of epochs (2ep, 0.5ep), the latter",
        "converted with the iterations per epoch. Iterations are counted from 0.",
        "",
    ]
    for kind in scheduleKinds {
        lines.append("\(kind.name): \(kind.summary)")
        let width = kind.keys.map(\.name.count).max() ?? 0
        for key in kind.keys {
            let padded = key.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let fallback = key.defaultValue.map { "default \($0)" } ?? "required"
            let indent = String(repeating: " ", count: width + 4)
            let words = key.summary.split(separator: " ").map(String.init)
            lines += wrapped([padded + " "] + words + ["[\(fallback)]"], indent: indent)
        }
        lines.append("")
    }
    lines.append("Examples:")
    lines.append("  clr:mode=triangular,base=0.01,max=0.1,step=2ep")
    lines.append("  onecycle:max=0.1,total=5ep,pct=0.3,anneal=cos,momentum=0.95-0.85")
    lines.append("  smith1cycle:base=0.1,max=1.2,step=3417,total=7080")
    lines.append("  sgdr:max=0.1,min=0.001,period=1ep,mult=2")
    return lines.joined(separator: "\n") + "\n"
}

/// Joins `words` with spaces into lines of at most `width` columns, the first indented
/// by two spaces and the others by `indent`. A word is never split.
private func wrapped(_ words: [String], indent: String, width: Int = 96) -> [String] {
    var lines: [String] = []
    var current = "  " + (words.first ?? "")
    for word in words.dropFirst() {
        if current.count + 1 + word.count > width {
            lines.append(current)
            current = indent + word
        } else {
            current += " " + word
        }
    }
    lines.append(current)
    return lines
}
