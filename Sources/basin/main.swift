import BasinCommandLine
import CBasinSupport
import Foundation

// This file is compiled without the AVX2 target so that the check runs on any processor.
guard basin_cpu_supports_avx2_fma() != 0 else {
    FileHandle.standardError.write(
        Data(
            "basin: this build needs a processor with AVX2 and FMA (x86-64-v3); rebuild without -target-cpu haswell for older processors\n"
                .utf8))
    exit(1)
}
exit(BasinCommandLine.main(CommandLine.arguments))
