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

    /// The resource folder holding the four gzipped IDX files and the licence.
    public static var folder: URL? {
        Bundle.module.url(forResource: "embedded", withExtension: nil)
    }

    /// Reads the embedded subset.
    /// - Throws: `DataError.missingFile` if the resource was not built into the package,
    ///   and every error of `IDXFolder.load` (which would mean a damaged installation).
    public static func load() throws -> Dataset {
        guard let folder else {
            throw DataError.missingFile(
                path: Bundle.module.bundlePath + "/embedded",
                expected: "the package resource folder 'embedded' of BasinData")
        }
        var dataset = try IDXFolder.load(
            from: folder, name: name, classNames: fashionMNISTClassNames)
        dataset.source = "Fashion-MNIST subset (package resource)"
        return dataset
    }
}
