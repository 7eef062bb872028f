import Foundation

/// A folder holding the four IDX files of an MNIST-like data set under their standard
/// names: `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
/// `t10k-labels-idx1-ubyte`, each possibly ending in `.gz`, and each also accepted with a
/// dot before `idx` (`train-images.idx3-ubyte`), as some mirrors name them.
public enum IDXFolder {
    /// The four standard file names without suffix, in the order train images, train
    /// labels, test images, test labels.
    public static let standardNames = [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    ]

    /// Whether `folder` holds a training-image file under one of the accepted names.
    public static func recognizes(_ folder: URL) -> Bool {
        file(named: standardNames[0], in: folder) != nil
    }

    /// Loads the four files of `folder` as one data set of 1×H×W images.
    ///
    /// - Parameters:
    ///   - classCount: labels must lie in `0..<classCount`; 10 for MNIST, Fashion-MNIST
    ///     and KMNIST.
    ///   - name: the data set's name; the folder's last path component by default.
    ///   - classNames: names of the classes in label order, if known.
    /// - Throws: `DataError.missingFile` naming the expected file, and every error of
    ///   `IDXReader`; `countMismatch` when a split's images and labels disagree;
    ///   `shapeMismatch` when training and test images differ in size.
    public static func load(
        from folder: URL, classCount: Int = 10, name: String? = nil, classNames: [String]? = nil
    ) throws -> Dataset {
        let urls = try standardNames.map { stem in
            guard let url = file(named: stem, in: folder) else {
                throw DataError.missingFile(
                    path: folder.appendingPathComponent(stem).path,
                    expected: "\(stem) or \(stem).gz in the IDX folder")
            }
            return url
        }
        let train = try split(images: urls[0], labels: urls[1], classCount: classCount)
        let test = try split(images: urls[2], labels: urls[3], classCount: classCount)
        guard train.shape == test.shape else {
            throw DataError.shapeMismatch(
                trainPath: urls[0].path, trainShape: train.shape, testPath: urls[2].path,
                testShape: test.shape)
        }
        return Dataset(
            name: name ?? folder.standardizedFileURL.lastPathComponent, source: folder.path,
            classCount: classCount, classNames: classNames, train: train, test: test)
    }

    /// One split from an image file and its label file.
    private static func split(images: URL, labels: URL, classCount: Int) throws -> DataSplit {
        let (shape, imageCount, pixels) = try IDXReader.readImages(at: images)
        let labelValues = try IDXReader.readLabels(at: labels, classCount: classCount)
        guard imageCount == labelValues.count else {
            throw DataError.countMismatch(
                imagesPath: images.path, imageCount: imageCount, labelsPath: labels.path,
                labelCount: labelValues.count)
        }
        return DataSplit(shape: shape, images: pixels, labels: labelValues)
    }

    /// The first existing file among the accepted spellings of `stem`.
    private static func file(named stem: String, in folder: URL) -> URL? {
        let dotted = stem.replacingOccurrences(of: "-idx", with: ".idx")
        let candidates = [stem, stem + ".gz", dotted, dotted + ".gz"]
        return candidates.lazy.map { folder.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
