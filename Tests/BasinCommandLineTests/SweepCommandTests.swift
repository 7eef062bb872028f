import BasinAnalysis
import BasinTestSupport
import Foundation
import Testing

@testable import BasinCommandLine

/// A tiny sweep on the embedded data: mlp, 50 images per step, 300 held out, 6 steps of
/// one-cycle unless `extra` gives a budget or a schedule.
private func tinySweep(_ folder: URL, _ extra: [String]) -> RunResult {
    var defaults: [String] = []
    for (flag, value) in [("--budget", "6"), ("--schedule", "onecycle:max=0.05")]
    where !extra.contains(flag) {
        defaults += [flag, value]
    }
    return run(
        [
            "sweep", "run", "--model", "mlp", "--data", "embedded", "--batch-size", "50",
            "--val", "300", "--eval-batch-size", "300", "--threads", "1", "--eval-every", "2",
            "--out", folder.path, "--quiet",
        ] + defaults + extra, program: .basin)
}

/// The curves of a folder's points by name, without their timings.
private func curves(_ folder: URL) throws -> [String: SweepCurve] {
    let results = try SweepFolder.existing(folder).readResults()
    var byName: [String: SweepCurve] = [:]
    for result in results {
        var curve = result.curve
        curve.trainingSeconds = 0
        byName[result.point.name] = curve
    }
    return byName
}

@Suite("basin sweep")
struct SweepCommandTests {
    @Test("the help of sweep run and sweep merge is recorded and fits 80 columns")
    func help() throws {
        for name in ["run", "merge"] {
            let result = run(["sweep", name, "--help"], program: .basin)
            #expect(result.status == 0)
            try expectSnapshot(
                result.standardOutput, named: "basin-sweep-\(name)-help.txt",
                in: snapshotDirectory())
            for line in result.standardOutput.split(separator: "\n") {
                #expect(line.count <= 80, "\(line)")
            }
        }
    }

    @Test("a sweep writes one file per point, the tables and the report")
    func writesFolder() throws {
        let folder = try trainingTestFolder().appendingPathComponent("sweep")
        let result = tinySweep(folder, ["--vary", "wd=1e-4,1e-3"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("ran 2 of 2 points"))
        let found = try curves(folder)
        #expect(found.keys.sorted() == ["p000-wd=0.0001", "p001-wd=0.001"])
        // Evaluations before the first step and after steps 2, 4 and 6.
        #expect(found["p000-wd=0.0001"]?.iterations == [0, 2, 4, 6])
        for name in ["summary.csv", "curves.csv", "report.md", "report.html"] {
            #expect(
                FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
        }
        let report = try String(
            contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("Best point: "))
        #expect(report.contains("6 iterations per point"))
    }

    @Test("a point gives the same curve whichever other points share its sweep")
    func samePointSameCurve() throws {
        let base = try trainingTestFolder()
        let alone = base.appendingPathComponent("alone")
        let together = base.appendingPathComponent("together")
        #expect(tinySweep(alone, ["--vary", "wd=1e-3"]).status == 0)
        #expect(tinySweep(together, ["--vary", "wd=1e-4,1e-3"]).status == 0)
        let single = try #require(try curves(alone)["p000-wd=0.001"])
        let shared = try #require(try curves(together)["p001-wd=0.001"])
        #expect(single == shared)
        #expect(try curves(together)["p000-wd=0.0001"] != shared)
    }

    @Test("a rerun skips finished points and a resumed sweep equals an uninterrupted one")
    func resume() throws {
        let base = try trainingTestFolder()
        let whole = base.appendingPathComponent("whole")
        let resumed = base.appendingPathComponent("resumed")
        let grid = ["--vary", "momentum=0.9,0.8", "--vary", "wd=1e-4,1e-3"]
        #expect(tinySweep(whole, grid).status == 0)
        // An interrupted sweep: only shard 1 of 2 finished, then the whole sweep is rerun.
        #expect(tinySweep(resumed, grid + ["--shard", "1/2"]).status == 0)
        let rerun = tinySweep(resumed, grid)
        #expect(rerun.status == 0, "\(rerun.standardError)")
        #expect(rerun.standardOutput.contains("ran 2 of 4 points"))
        #expect(try curves(whole) == curves(resumed))
    }

    @Test("merged shards equal a single run, in either order")
    func mergeShards() throws {
        let base = try trainingTestFolder()
        let grid = ["--vary", "wd=1e-5,1e-4,1e-3"]
        #expect(tinySweep(base.appendingPathComponent("single"), grid).status == 0)
        for shard in 1...2 {
            let result = tinySweep(
                base.appendingPathComponent("shard\(shard)"), grid + ["--shard", "\(shard)/2"])
            #expect(result.status == 0, "\(result.standardError)")
        }
        for (order, name) in [([2, 1], "merged21"), ([1, 2], "merged12")] {
            let merged = run(
                ["sweep", "merge"] + order.map { base.appendingPathComponent("shard\($0)").path }
                    + ["--out", base.appendingPathComponent(name).path], program: .basin)
            #expect(merged.status == 0, "\(merged.standardError)")
            #expect(merged.standardOutput.contains("3 of 3 points"))
            #expect(
                try curves(base.appendingPathComponent(name))
                    == curves(base.appendingPathComponent("single")))
        }
    }

    @Test("merging folders of different sweeps is refused")
    func mergeDifferentSweeps() throws {
        let base = try trainingTestFolder()
        #expect(tinySweep(base.appendingPathComponent("a"), ["--vary", "wd=1e-4"]).status == 0)
        #expect(tinySweep(base.appendingPathComponent("b"), ["--vary", "wd=1e-3"]).status == 0)
        let merged = run(
            [
                "sweep", "merge", base.appendingPathComponent("a").path,
                base.appendingPathComponent("b").path, "--out",
                base.appendingPathComponent("c").path,
            ], program: .basin)
        #expect(merged.status != 0)
        #expect(merged.standardError.contains("only shards of one sweep can be merged"))
    }

    @Test("a range test is also plotted against the learning rate")
    func rangeTest() throws {
        let folder = try trainingTestFolder().appendingPathComponent("range")
        let result = tinySweep(
            folder,
            ["--vary", "wd=1e-4,1e-3", "--schedule", "linear-ramp:start=0,end=0.5,length=6"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(
            FileManager.default.fileExists(
                atPath: folder.appendingPathComponent("loss-by-learning-rate.svg").path))
        let summary = try String(
            contentsOf: folder.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.contains("lr_at_min"))
    }

    @Test("a seconds budget trains until the time is up and needs a schedule with a length")
    func secondsBudget() throws {
        let base = try trainingTestFolder()
        let timed = base.appendingPathComponent("timed")
        let result = tinySweep(
            timed,
            ["--vary", "batch=50,100", "--budget", "0.2s", "--schedule", "constant:lr=0.01"])
        #expect(result.status == 0, "\(result.standardError)")
        for curve in try curves(timed).values {
            #expect((curve.iterations.last ?? 0) >= 2)
        }
        let report = try String(
            contentsOf: timed.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("equal wall-clock time"))
        let open = tinySweep(
            base.appendingPathComponent("open"), ["--vary", "wd=1e-4", "--budget", "5s"])
        #expect(open.status == 2)
        #expect(open.standardError.contains("add total=LENGTH"), "\(open.standardError)")
    }

    @Test(
        "bad grids, budgets and shards are usage errors naming the problem",
        arguments: [
            (["--vary", "lr=0.1"], "unknown parameter 'lr'"),
            (["--vary", "wd="], "has no values"),
            (["--vary", "wd=1e-4,big"], "'big' is not a number"),
            ([], "at least one --vary"),
            (["--vary", "wd=1e-4", "--budget", "3min"], "--budget expects epochs"),
            (["--vary", "wd=1e-4", "--shard", "3/2"], "--shard"),
        ])
    func badArguments(extra: [String], message: String) throws {
        let folder = try trainingTestFolder().appendingPathComponent("bad")
        let result = tinySweep(folder, extra)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }
}
