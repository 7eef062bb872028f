import Foundation

/// Which data set to load, as given on a command line or recorded in a run manifest.
///
/// Accepted text forms (`init(parsing:)`), and `description` gives them back:
/// - `embedded`: the balanced Fashion-MNIST subset shipped inside the package (10,000
///   training and 2,000 test images, 1,000 and 200 per class).
/// - `fashion-mnist`: the full Fashion-MNIST set (60,000 + 10,000) of the Debian package
///   `dataset-fashion-mnist`, in `/usr/share/datasets/fashion-mnist`.
/// - `cifar10:PATH`: a folder of CIFAR-10 binary batches.
/// - `idx:PATH`: a folder of IDX files (MNIST, Fashion-MNIST, KMNIST; 10 classes).
/// - `PATH`: a folder of either kind, recognised by its file names. A bare word that is no
///   known name counts as a path (`./WORD`) only if such a folder exists; otherwise it is
///   an error.
public enum DatasetSpecification: Equatable, Hashable, Sendable, CustomStringConvertible,
    Codable
{
    case embedded
    case fashionMNIST
    case cifar10(path: String)
    case idx(path: String)
    case folder(path: String)

    /// Where the Debian package `dataset-fashion-mnist` installs its files.
    public static let fashionMNISTFolder = "/usr/share/datasets/fashion-mnist"

    /// - Throws: `DataError.unknownSpecification` for text of none of the accepted forms.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "embedded": self = .embedded; return
        case "fashion-mnist", "fashion_mnist", "fashionmnist": self = .fashionMNIST; return
        default: break
        }
        if let path = Self.path(after: "cifar10:", in: trimmed) {
            self = .cifar10(path: path)
        } else if let path = Self.path(after: "idx:", in: trimmed) {
            self = .idx(path: path)
        } else if !trimmed.isEmpty, Self.looksLikePath(trimmed) {
            self = .folder(path: trimmed)
        } else if !trimmed.isEmpty, Self.isFolder(trimmed) {
            // "./" keeps the text form a path even if the folder is later removed.
            self = .folder(path: "./" + trimmed)
        } else {
            throw DataError.unknownSpecification(text: text)
        }
    }

    /// The text form that `init(parsing:)` reads back to the same value.
    public var description: String {
        switch self {
        case .embedded: return "embedded"
        case .fashionMNIST: return "fashion-mnist"
        case .cifar10(let path): return "cifar10:" + path
        case .idx(let path): return "idx:" + path
        case .folder(let path): return path
        }
    }

    /// Reads the data set from disk or from the package resource.
    ///
    /// - Throws: `DataError.datasetNotInstalled` (with the `apt-get` command) when
    ///   `fashion-mnist` is not installed, `notADataset` for a folder of neither format,
    ///   and every error of the readers.
    public func load() throws -> Dataset {
        switch self {
        case .embedded:
            return try EmbeddedDataset.load()
        case .fashionMNIST:
            return try Self.loadFashionMNIST(
                from: URL(fileURLWithPath: Self.fashionMNISTFolder, isDirectory: true))
        case .cifar10(let path):
            return try CIFAR10Reader.load(from: Self.url(path))
        case .idx(let path):
            return try IDXFolder.load(from: Self.url(path))
        case .folder(let path):
            let folder = Self.url(path)
            if IDXFolder.recognizes(folder) {
                return try IDXFolder.load(from: folder)
            }
            if CIFAR10Reader.batchFolder(in: folder) != nil {
                return try CIFAR10Reader.load(from: folder)
            }
            guard Self.isFolder(folder.path) else {
                throw DataError.missingFile(
                    path: folder.path, expected: "a folder of IDX or CIFAR-10 files")
            }
            throw DataError.notADataset(
                path: folder.path,
                lookedFor: IDXFolder.standardNames.map { $0 + "[.gz]" }
                    + CIFAR10Reader.trainingFileNames + [CIFAR10Reader.testFileName])
        }
    }

    /// The full Fashion-MNIST set from `folder` (the Debian package's by default).
    static func loadFashionMNIST(from folder: URL) throws -> Dataset {
        guard IDXFolder.recognizes(folder) else {
            throw DataError.datasetNotInstalled(
                name: "fashion-mnist", path: folder.path,
                installCommand: "apt-get install dataset-fashion-mnist")
        }
        return try IDXFolder.load(
            from: folder, name: "fashion-mnist", classNames: fashionMNISTClassNames)
    }

    // Codable as its text form, so that a manifest reads `"data": "cifar10:/data/cifar"`.
    public init(from decoder: Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func path(after prefix: String, in text: String) -> String? {
        guard text.lowercased().hasPrefix(prefix), text.count > prefix.count else { return nil }
        return String(text.dropFirst(prefix.count))
    }

    private static func looksLikePath(_ text: String) -> Bool {
        text.contains("/") || text.hasPrefix(".") || text.hasPrefix("~")
    }

    private static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            && isFolder.boolValue
    }

    private static func url(_ path: String) -> URL {
        URL(fileURLWithPath: (path as NSString).expandingTildeInPath, isDirectory: true)
    }
}
