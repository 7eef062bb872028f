/// `basin sweep`: the group of `basin sweep run` and `basin sweep merge`.
struct SweepCommand: Command {
    static let configuration = CommandConfiguration(
        name: "sweep",
        abstract: "Train briefly over a grid of hyper-parameters and compare held-out losses.",
        discussion: """
            Smith's method of reading the held-out loss early: 'basin sweep run' trains
            one short run per point of a grid (weight decay, momentum, batch size, maximum
            learning rate) from the same seed and data order, records the validation loss
            every few steps, names each curve's signal (underfitting, overfitting,
            instability, flat) and picks the point with the lowest loss that stays flat
            the longest. 'basin sweep merge' combines the folders of the shards of one
            sweep into one result and report.
            """,
        examples: [
            "basin sweep run --model mlp --vary wd=1e-5,1e-4,1e-3 --budget 2ep",
            "basin sweep merge sweeps/shard-1 sweeps/shard-2 --out sweeps/all",
        ],
        subcommands: [SweepRunCommand.self, SweepMergeCommand.self])
}
