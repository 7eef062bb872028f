import Testing

@testable import BasinTraining

@Suite("Schedule specifications")
struct ScheduleParsingTests {
    @Test("the task's CLR example reads with epochs converted to iterations")
    func clrExample() throws {
        let schedule = try Schedule(
            parsing: "clr:mode=triangular,base=0.01,max=0.1,step=2ep", iterationsPerEpoch: 500)
        #expect(
            schedule
                == .cyclical(
                    CyclicalSchedule(
                        baseLearningRate: 0.01, maximumLearningRate: 0.1,
                        stepUpIterations: 1000)))
    }

    @Test("the task's one-cycle example reads with PyTorch semantics")
    func oneCycleExample() throws {
        let schedule = try Schedule(
            parsing: "onecycle:max=0.1,total=5ep,pct=0.3,anneal=cos,div=25,final_div=1e4,"
                + "momentum=0.95-0.85", iterationsPerEpoch: 100)
        #expect(
            schedule == .oneCycle(OneCycleSchedule(maximumLearningRate: 0.1, totalIterations: 500)))
    }

    @Test("unequal halves, exp_range and fractional epochs")
    func clrDetails() throws {
        let schedule = try Schedule(
            parsing: " clr : mode=exp_range, base=1e-3, max=6e-3, up=0.5ep, down=300,"
                + " gamma=0.99994, momentum=0.9 ", iterationsPerEpoch: 101)
        let expected = CyclicalSchedule(
            mode: .exponentialRange(gamma: 0.99994), baseLearningRate: 1e-3,
            maximumLearningRate: 6e-3, stepUpIterations: 51, stepDownIterations: 300,
            momentumAtBase: 0.9, momentumAtPeak: 0.9)
        #expect(schedule == .cyclical(expected))
    }

    static let canonicalExamples = [
        "constant:lr=0.1",
        "step:lr=0.1,every=30,gamma=0.2,momentum=0.8",
        "multistep:lr=0.1,milestones=100/250/400",
        "clr:mode=triangular2,base=0.001,max=0.006,up=4,down=6,momentum=0.95-0.85",
        "clr:mode=exp_range,base=0.001,max=0.006,step=2000,gamma=0.99994",
        "clr:mode=caffe_triangular,base=0.1,max=0.35,step=100",
        "onecycle:max=1,total=17,pct=0.25,anneal=linear,div=10,final_div=100,phases=3",
        "onecycle:style=fastai,max=0.01,total=1000",
        "smith1cycle:base=0.1,max=1.2,step=3417,total=7080",
        "sgdr:max=0.1,min=0.001,period=50,mult=2,momentum=0",
        "linear-ramp:end=3,length=20000",
        "exp-ramp:start=1e-7,end=10,length=100",
    ]

    @Test(
        "the canonical specification reads back to an equal schedule", arguments: canonicalExamples)
    func roundTrip(text: String) throws {
        let schedule = try Schedule(parsing: text)
        let again = try Schedule(parsing: schedule.specification)
        #expect(again == schedule, "\(text) → \(schedule.specification)")
        #expect(again.specification == schedule.specification)
    }

    @Test("defaults are the ones the help text lists")
    func defaults() throws {
        let clr = try Schedule(parsing: "clr:base=0.1,max=1")
        #expect(
            clr.specification
                == "clr:mode=triangular,base=0.1,max=1,up=2000,down=2000,momentum=0.9-0.8")
        let oneCycle = try Schedule(parsing: "onecycle:max=1,total=100")
        #expect(
            oneCycle.specification
                == "onecycle:style=pytorch,max=1,total=100,pct=0.3,anneal=cos,div=25,"
                + "final_div=10000,phases=2,momentum=0.95-0.85")
        let fastai = try Schedule(parsing: "onecycle:style=fastai,max=1,total=100")
        #expect(fastai.specification.contains("pct=0.25"))
        #expect(fastai.specification.contains("final_div=100000"))
        let smith = try Schedule(parsing: "smith1cycle:base=0.1,max=1,step=10,total=25")
        #expect(smith.specification.hasSuffix("final_div=1000,momentum=0.95-0.85"))
    }

    static let errorCases: [(String, ScheduleError)] = [
        ("", .missingKind(text: "")),
        ("lr=0.1", .missingKind(text: "lr=0.1")),
        (
            "cyclic:base=1",
            .unknownKind("cyclic", known: scheduleKinds.map(\.name))
        ),
        ("constant:lr", .malformedField(kind: "constant", field: "lr")),
        ("constant:=3", .malformedField(kind: "constant", field: "=3")),
        (
            "constant:lr=0.1,rate=2",
            .unknownKey(kind: "constant", key: "rate", allowed: ["lr", "momentum"])
        ),
        ("constant:lr=0.1,lr=0.2", .duplicateKey(kind: "constant", key: "lr")),
        (
            "clr:base=0.1",
            .missingKey(
                kind: "clr", key: "max", expected: "a learning rate ≥ 0 such as 0.1 or 1e-3")
        ),
        (
            "constant:lr=fast",
            .invalidValue(
                kind: "constant", key: "lr", value: "fast",
                expected: "a learning rate ≥ 0 such as 0.1 or 1e-3")
        ),
        (
            "constant:lr=-1",
            .invalidValue(
                kind: "constant", key: "lr", value: "-1",
                expected: "a learning rate ≥ 0 such as 0.1 or 1e-3")
        ),
        (
            "clr:base=0.1,max=1,step=2ep",
            .epochsWithoutIterationsPerEpoch(kind: "clr", key: "step", value: "2ep")
        ),
        (
            "clr:base=0.1,max=1,step=0",
            .invalidValue(
                kind: "clr", key: "step", value: "0",
                expected: "a LENGTH: iterations such as 2000 or epochs such as 2ep, at least 1")
        ),
        (
            "clr:base=0.1,max=1,mode=sine",
            .invalidValue(
                kind: "clr", key: "mode", value: "sine",
                expected: "one of triangular, triangular2, exp_range, caffe_triangular")
        ),
        (
            "clr:base=0.1,max=1,gamma=0.9",
            .invalidValue(
                kind: "clr", key: "gamma", value: "0.9", expected: "no gamma unless mode=exp_range")
        ),
        (
            "clr:base=0.1,max=1,momentum=0.95-1.2",
            .invalidValue(
                kind: "clr", key: "momentum", value: "0.95-1.2",
                expected: "a momentum in [0, 1) such as 0.9, or START-PEAK such as 0.95-0.85")
        ),
        (
            "constant:lr=0.1,momentum=0.95-0.85",
            .invalidValue(
                kind: "constant", key: "momentum", value: "0.95-0.85",
                expected: "one momentum in [0, 1) such as 0.9")
        ),
        (
            "onecycle:max=1,total=10,pct=1.5",
            .invalidValue(
                kind: "onecycle", key: "pct", value: "1.5", expected: "a fraction in [0, 1]")
        ),
        (
            "onecycle:style=fastai,max=1,total=10,phases=3",
            .invalidValue(
                kind: "onecycle", key: "phases", value: "3",
                expected: "2 with style=fastai (fastai has two phases)")
        ),
        (
            "multistep:lr=1,milestones=50/20",
            .invalidValue(
                kind: "multistep", key: "milestones", value: "50/20",
                expected: "strictly increasing LENGTHs separated by '/'")
        ),
        (
            "exp-ramp:start=0,end=10",
            .invalidValue(kind: "exp-ramp", key: "start", value: "0", expected: "a positive number")
        ),
        (
            "sgdr:max=0.1,period=10,mult=1.5",
            .invalidValue(
                kind: "sgdr", key: "mult", value: "1.5", expected: "an integer from 1 to 1000")
        ),
    ]

    @Test("each malformed specification throws the error naming its key", arguments: errorCases)
    func errors(text: String, expected: ScheduleError) {
        #expect(throws: expected) { try Schedule(parsing: text, iterationsPerEpoch: nil) }
    }

    @Test("error messages name the kind, the key, the expected form and what was found")
    func messages() {
        let error = ScheduleError.invalidValue(
            kind: "clr", key: "step", value: "x", expected: "a LENGTH")
        #expect(error.description == "schedule 'clr': key 'step' expects a LENGTH, found 'x'")
        let epochs = ScheduleError.epochsWithoutIterationsPerEpoch(
            kind: "onecycle", key: "total", value: "5ep")
        #expect(epochs.description.contains("'total'"))
        #expect(epochs.description.contains("5ep"))
    }

    @Test("momentum ranges may use exponents")
    func exponentMomentum() throws {
        let schedule = try Schedule(parsing: "clr:base=0,max=1,momentum=9e-1-8e-1")
        guard case .cyclical(let clr) = schedule else {
            Issue.record("expected a CLR schedule, got \(schedule)")
            return
        }
        #expect(clr.momentumAtBase == 0.9 && clr.momentumAtPeak == 0.8)
    }
}
