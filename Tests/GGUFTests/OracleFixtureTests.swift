import GGUF
import TestSupport
import Testing

/// The Swift reader agrees exactly with PyPI `gguf` 0.19.0 on the shared models and vocab files:
/// header facts, every metadata key in order with its type and value, and the tensor table.
@Suite(.requires([.vocabularies])) struct OracleFixtureTests {
    @Test(arguments: OracleFixture.committedModelFiles)
    func readerAgreesWithGGUFPy(modelFile: String) throws {
        let fixture = try OracleFixture.load(for: modelFile)
        let file = try Self.open(modelFile)

        #expect(file.fileSize == fixture.fileSize)
        #expect(file.version == fixture.version)
        #expect(file.alignment == fixture.alignment)
        #expect(file.dataOffset == fixture.dataOffset)
        #expect(file.metadata.count == fixture.keyCount)
        #expect(file.tensors.count == fixture.tensorCount)
        #expect(file.metadata.keys == fixture.metadata.map(\.key))

        for expected in fixture.metadata {
            let value = try #require(file.metadata[expected.key], "\(expected.key)")
            #expect(value.type.rawValue == expected.typeID, "\(expected.key)")
            if case .array(let array) = value {
                #expect(array.elementType.rawValue == expected.elementTypeID, "\(expected.key)")
                #expect(array.count == expected.count, "\(expected.key)")
                #expect(Array(array).count == expected.count, "\(expected.key)")
            } else {
                #expect(CanonicalValue.fixtureScalar(value) == expected.value, "\(expected.key)")
            }
            #expect(CanonicalValue.digest(value) == expected.sha256, "\(expected.key)")
        }

        #expect(file.tensors.map(\.name) == fixture.tensors.map(\.name))
        for (tensor, expected) in zip(file.tensors, fixture.tensors) {
            #expect(tensor.dimensions == expected.shape, "\(tensor.name)")
            #expect(tensor.type.rawValue == expected.typeID, "\(tensor.name)")
            #expect(tensor.type.description == expected.type, "\(tensor.name)")
            #expect(tensor.rawOffset == expected.offset, "\(tensor.name)")
            #expect(tensor.elementCount == expected.elementCount, "\(tensor.name)")
            #expect(tensor.byteCount == expected.byteCount, "\(tensor.name)")
            if let digest = expected.dataSHA256 {
                #expect(Digests.sha256Hex(file.data(for: tensor)) == digest, "\(tensor.name)")
            }
        }
    }

    @Test(.requires(.stories260K)) func readerAgreesWithGGUFPyOnStories260K() throws {
        try readerAgreesWithGGUFPy(modelFile: TestModel.stories260K.fileName)
    }

    @Test(.requires(.smolLM2Q4_1)) func readerAgreesWithGGUFPyOnSmolLM2Q4_1() throws {
        try readerAgreesWithGGUFPy(modelFile: TestModel.smolLM2Q4_1.fileName)
    }

    @Test(.requires(.smolLM2Q4_K_M)) func readerAgreesWithGGUFPyOnSmolLM2Q4_K_M() throws {
        try readerAgreesWithGGUFPy(modelFile: TestModel.smolLM2Q4_K_M.fileName)
    }

    /// The canonical bytes and their SHA-256 agree with Python's `struct.pack` + `hashlib`
    /// (digests computed with the fixture script's rules).
    @Test func canonicalBytesAndDigestsMatchPython() {
        #expect(
            CanonicalValue.digest(.strings(["a", "é", "🦙"]))
                == "ab9e00d5a83e52474baa1be3e5949a1bf6475b471e3a072b4f46394eba499472")
        #expect(
            CanonicalValue.digest(.float32s([1, -0.0]))
                == "6187881fbd2da8fde0d58eb3426b598c4ec2acb8c31f0297caa5e7424e0ce2bf")
        #expect(CanonicalValue.digest(.int64(-5)) == "5e4f54646df2c113c3692027f87708068b722b3dbb3d23cabb996ef5e2dd7d24")
    }

    static func open(_ modelFile: String) throws -> GGUFFile {
        let url = TestPaths.model(modelFile)
        do {
            return try GGUFFile(path: url.path)
        } catch {
            Issue.record("cannot open \(url.path): \(error)")
            throw error
        }
    }
}
