import Foundation
import Testing

@testable import BasinData

@Suite("data set specification")
struct DatasetSpecificationTests {
    @Test(
        "each text form parses to its case and prints back",
        arguments: [
            ("embedded", DatasetSpecification.embedded),
            ("fashion-mnist", .fashionMNIST),
            ("cifar10:/data/cifar", .cifar10(path: "/data/cifar")),
            ("idx:/data/kmnist", .idx(path: "/data/kmnist")),
            ("/data/mnist", .folder(path: "/data/mnist")),
            ("./mnist", .folder(path: "./mnist")),
        ])
    func parse(text: String, expected: DatasetSpecification) throws {
        let parsed = try DatasetSpecification(parsing: text)
        #expect(parsed == expected)
        #expect(parsed.description == text)
    }

    @Test("an unknown name throws unknownSpecification listing the accepted forms")
    func unknown() {
        #expect(
            throwsError(.unknownSpecification(text: "mnist")) {
                _ = try DatasetSpecification(parsing: "mnist")
            })
        let message = DataError.unknownSpecification(text: "mnist").description
        #expect(message.contains("embedded") && message.contains("cifar10:PATH"))
        #expect(
            throwsError(.unknownSpecification(text: "")) {
                _ = try DatasetSpecification(parsing: "")
            })
    }

    @Test("the specification encodes as its text form and decodes back")
    func codable() throws {
        let specification = DatasetSpecification.cifar10(path: "/data/c")
        let json = try JSONEncoder().encode([specification])
        #expect(String(decoding: json, as: UTF8.self) == #"["cifar10:\/data\/c"]"#)
        #expect(
            try JSONDecoder().decode([DatasetSpecification].self, from: json) == [specification])
    }

    @Test("a folder path is recognised as IDX or as CIFAR-10 by its file names")
    func folders() throws {
        let idx = try writeIDXFolder(trainCount: 4, testCount: 2, gzipped: true)
        let idxSet = try DatasetSpecification(parsing: idx.path).load()
        #expect(idxSet.inputShape.channels == 1)
        #expect(idxSet.train.count == 4)

        let cifar = try makeTemporaryFolder()
        try writeCIFARFolder(recordsPerFile: 2, into: cifar)
        let cifarSet = try DatasetSpecification(parsing: cifar.path).load()
        #expect(cifarSet.inputShape.channels == 3)
        #expect(cifarSet.train.count == 10)
    }

    @Test("a folder of neither kind throws notADataset listing the names looked for")
    func notADataset() throws {
        let folder = try makeTemporaryFolder()
        let error = dataError { _ = try DatasetSpecification.folder(path: folder.path).load() }
        guard case .notADataset(let path, let lookedFor) = error else {
            Issue.record("expected notADataset, got \(String(describing: error))")
            return
        }
        #expect(path == folder.path)
        #expect(lookedFor.contains("train-images-idx3-ubyte[.gz]"))
        #expect(lookedFor.contains("data_batch_1.bin"))
    }

    @Test("a path that does not exist throws missingFile")
    func missingFolder() {
        let error = dataError {
            _ = try DatasetSpecification(parsing: "/nonexistent/basin-data").load()
        }
        guard case .missingFile = error else {
            Issue.record("expected missingFile, got \(String(describing: error))")
            return
        }
    }

    @Test("Fashion-MNIST missing from its folder throws datasetNotInstalled with apt-get")
    func notInstalled() throws {
        let folder = try makeTemporaryFolder()
        let error = dataError { _ = try DatasetSpecification.loadFashionMNIST(from: folder) }
        guard case .datasetNotInstalled(let name, let path, _) = error else {
            Issue.record("expected datasetNotInstalled, got \(String(describing: error))")
            return
        }
        #expect(name == "fashion-mnist" && path == folder.path)
        #expect(error!.description.contains("apt-get install dataset-fashion-mnist"))
    }

    @Test(
        "the full Fashion-MNIST set loads with 60,000 and 10,000 images when installed",
        .enabled(
            if: FileManager.default.fileExists(
                atPath: DatasetSpecification.fashionMNISTFolder
                    + "/train-images-idx3-ubyte.gz")))
    func fashionMNIST() throws {
        let dataset = try DatasetSpecification.fashionMNIST.load()
        #expect(dataset.train.count == 60_000)
        #expect(dataset.test.count == 10_000)
        #expect(dataset.inputShape == ImageShape(channels: 1, height: 28, width: 28))
        // Fashion-MNIST is balanced: 6,000 and 1,000 images per class (Xiao et al. 2017).
        #expect(dataset.train.classCounts(classCount: 10) == [Int](repeating: 6000, count: 10))
        #expect(dataset.test.classCounts(classCount: 10) == [Int](repeating: 1000, count: 10))
        #expect(dataset.classNames?.first == "T-shirt/top")
        // scripts/make-embedded-dataset.py prints "train full set: mean 0.2860406, standard
        // deviation 0.3530242".
        let normalization = ChannelNormalization(statisticsOf: dataset.train)
        #expect(abs(normalization.mean[0] - 0.286_040_6) < 1e-6)
        #expect(abs(normalization.standardDeviation[0] - 0.353_024_2) < 1e-6)
    }
}
