import Foundation

/// The number of columns of the terminal on standard error, or nil when it is not a
/// terminal or does not say. `COLUMNS` from the environment is the fallback.
func terminalColumns() -> Int? {
    var size = winsize()
    #if os(Linux)
        let request = UInt(TIOCGWINSZ)
    #else
        let request = TIOCGWINSZ
    #endif
    if ioctl(STDERR_FILENO, request, &size) == 0, size.ws_col > 0 {
        return Int(size.ws_col)
    }
    return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init)
}

/// Seconds on a clock that never goes backwards (not the wall clock), for rates.
public func monotonicSeconds() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}
