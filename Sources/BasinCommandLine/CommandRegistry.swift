/// The commands of `basin`, in the order `basin help` lists them. Adding a command is
/// adding its type here, one line.
public enum CommandRegistry {
    public static let commands: [any Command.Type] = [
        HelpCommand.self,
        VersionCommand.self,
        TrainCommand.self,
        LRFindCommand.self,
        EvalCommand.self,
        InspectCommand.self,
        ScheduleCommand.self,
        InterpolateCommand.self,
        BarriersCommand.self,
        CurvatureCommand.self,
        HVPCommand.self,
        TrajectoryCommand.self,
        BenchCommand.self,
        SweepCommand.self,
        DemoCommand.self,
    ]
}
