import Foundation

/// The `embedded` data set: a balanced subset of Fashion-MNIST shipped as a package
/// resource, so that the demo and the tests run with nothing installed.
///
/// 10,000 training images (1,000 per class) and 2,000 test images (200 per class) of
/// 1×28×28, chosen from the full set by `scripts/make-embedded-dataset.py` (seeded, and
/// keeping the original file order). Fashion-MNIST is © 2017 Zalando SE under the MIT
/// licence; the notice is the `LICENSE` file beside the data.
public enum EmbeddedDataset {
    public static let name = "embedded"
    public static let trainCount = 10_000
    public static let testCount = 2_000

    /// The resource folder holding the four gzipped IDX files and the licence, or nil when
    /// the package's resource bundle is not beside the program.
    ///
    /// `Bundle.module` stops the program when it finds no bundle, so it is asked only once
    /// the bundle is known to sit next to the executable, where it looks first. A program
    /// copied away from its bundle falls back to the build folder of this source tree.
    public static var folder: URL? {
        let fileManager = FileManager.default
        let besideProgram = Bundle.main.bundleURL.appendingPathComponent(bundleName)
        if fileManager.fileExists(atPath: besideProgram.path) {
            return Bundle.module.url(forResource: "embedded", withExtension: nil)
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return ["debug", "release"].lazy
            .map {
                packageRoot.appendingPathComponent(".build/\($0)/\(bundleName)/embedded")
            }
            .first { fileManager.fileExists(atPath: $0.path) }
    }

    #if os(Linux) || os(Windows)
        private static let bundleName = "Basin_BasinData.resources"
    #else
        private static let bundleName = "Basin_BasinData.bundle"
    #endif

    /// Reads the embedded subset.
    /// - Throws: `DataError.missingFile` if the resource was not built into the package,
    ///   and every error of `IDXFolder.load` (which would mean a damaged installation).
    public static func load() throws -> Dataset {
        guard let folder else {
            throw DataError.missingFile(
                path: Bundle.main.bundleURL.appendingPathComponent(bundleName).path,
                expected: "the resource bundle of BasinData, with its folder 'embedded', "
                    + "beside the program")
        }
        var dataset = try IDXFolder.load(
            from: folder, name: name, classNames: fashionMNISTClassNames)
        dataset.source = "Fashion-MNIST subset (package resource)"
        return dataset
    }
}
