// swift-tools-version:6.0
import PackageDescription

// Release builds on x86-64 target Haswell (AVX2 + FMA). Without FMA in the target,
// `SIMD.addingProduct` lowers to a libm call per lane and the GEMM microkernel runs about
// 150 times slower. The `basin` executable itself is compiled without this flag so that it
// can check the processor and stop with a message before any AVX2 instruction runs.
#if arch(x86_64)
    let vectorSettings: [SwiftSetting] = [
        .unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release)),
        .unsafeFlags(["-target-cpu", "haswell", "-O"], .when(configuration: .debug)),
    ]
#else
    let vectorSettings: [SwiftSetting] = [
        .unsafeFlags(["-O"], .when(configuration: .debug))
    ]
#endif

/// The numeric modules; they share the vector settings.
func numericTarget(
    _ name: String, dependencies: [Target.Dependency], resources: [Resource]? = nil
) -> Target {
    .target(
        name: name, dependencies: dependencies, resources: resources,
        swiftSettings: vectorSettings)
}

let package = Package(
    name: "Basin",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "basin", targets: ["basin"])
    ],
    targets: [
        // The AVX-512 tile is compiled for its processor by a function attribute; the
        // optimiser must run in debug builds too, or the tests would crawl.
        .target(name: "CBasinSupport", cSettings: [.unsafeFlags(["-O2"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        numericTarget("BasinKernels", dependencies: ["CBasinSupport"]),
        numericTarget("BasinNetwork", dependencies: ["BasinKernels"]),
        numericTarget(
            "BasinData", dependencies: ["BasinKernels", "CZlib"],
            resources: [.copy("Resources/embedded")]),
        numericTarget(
            "BasinTraining", dependencies: ["BasinKernels", "BasinNetwork", "BasinData"]),
        numericTarget(
            "BasinCheckpoint",
            dependencies: ["BasinKernels", "BasinNetwork", "BasinData", "BasinTraining"]),
        numericTarget(
            "BasinAnalysis",
            dependencies: [
                "BasinKernels", "BasinNetwork", "BasinData", "BasinTraining", "BasinCheckpoint",
            ]),
        .target(name: "BasinReport"),
        .target(
            name: "BasinCommandLine",
            dependencies: [
                "CBasinSupport", "BasinKernels", "BasinNetwork", "BasinData", "BasinTraining",
                "BasinCheckpoint", "BasinAnalysis", "BasinReport",
            ]),
        .executableTarget(name: "basin", dependencies: ["CBasinSupport", "BasinCommandLine"]),

        .target(
            name: "BasinTestSupport",
            dependencies: ["BasinKernels", "BasinNetwork"],
            path: "Tests/BasinTestSupport"),
        .testTarget(
            name: "BasinKernelsTests",
            dependencies: ["CBasinSupport", "BasinKernels", "BasinTestSupport"]),
        .testTarget(
            name: "BasinNetworkTests",
            dependencies: ["BasinKernels", "BasinNetwork", "BasinTestSupport"]),
        .testTarget(name: "BasinDataTests", dependencies: ["BasinData", "BasinTestSupport"]),
        .testTarget(
            name: "BasinTrainingTests",
            dependencies: ["BasinTraining", "BasinNetwork", "BasinData", "BasinTestSupport"]),
        .testTarget(
            name: "BasinCheckpointTests",
            dependencies: ["BasinCheckpoint", "BasinNetwork", "BasinTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "BasinAnalysisTests",
            dependencies: [
                "BasinAnalysis", "BasinCheckpoint", "BasinNetwork", "BasinData", "BasinTestSupport",
            ]),
        .testTarget(
            name: "BasinReportTests", dependencies: ["BasinReport", "BasinTestSupport"],
            resources: [.copy("Snapshots")]),
        .testTarget(
            name: "BasinCommandLineTests",
            dependencies: [
                "BasinCommandLine", "BasinCheckpoint", "BasinNetwork", "BasinTestSupport",
            ],
            resources: [.copy("Snapshots")]),
    ],
    swiftLanguageModes: [.v5]
)
