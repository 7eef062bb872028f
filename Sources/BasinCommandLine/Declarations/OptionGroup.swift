/// A set of declarations that several commands share, such as the options that choose a
/// data set. A command holds the group as a stored property; its declarations join the
/// command's at that place, in help and in parsing.
///
///     struct DataOptions: OptionGroup {
///         let dataSet = Option<String>("--data", default: "embedded", help: "…")
///         let batchSize = Option<Int>("--batch-size", default: 128, help: "…")
///     }
///
///     struct TrainCommand: Command {
///         let data = DataOptions()
///         let learningRate = Option<Double>("--lr", default: 0.1, help: "…")
///         func run(_ context: CommandContext) throws {
///             let batchSize = context[data.batchSize]
///             …
///         }
///     }
///
/// Groups may hold groups. Names must stay unique across the whole command.
public protocol OptionGroup {}
