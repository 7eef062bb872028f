/// The `basin` program: argument parsing and the wiring of the modules.
public enum BasinCommandLine {
    /// Runs the program with `arguments` (the first is the program name) and returns the
    /// exit status: 0 success, 1 runtime failure, 2 bad usage.
    public static func main(_ arguments: [String]) -> Int32 {
        0
    }
}
