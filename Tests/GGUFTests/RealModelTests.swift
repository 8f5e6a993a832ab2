import Foundation
import GGUF
import TestSupport
import Testing

/// Opening the real models through `mmap` and reading tensor bytes in place.
@Suite struct RealModelTests {
    @Test(.requires(.smolLM2Q4_1)) func smolLM2Q4_1ExposesItsTensors() throws {
        try mappedModelExposesItsTensors(
            url: TestModel.smolLM2Q4_1.url, tensorCount: 272,
            probe: "token_embd.weight", type: .q8_0)
    }

    @Test(.requires(.smolLM2Q4_K_M)) func smolLM2Q4_K_MExposesItsTensors() throws {
        try mappedModelExposesItsTensors(
            url: TestModel.smolLM2Q4_K_M.url, tensorCount: 272,
            probe: "blk.0.ffn_down.weight", type: .q6_K)
    }

    @Test(.requires(.stories260K)) func stories260KExposesItsTensors() throws {
        try mappedModelExposesItsTensors(
            url: TestModel.stories260K.url, tensorCount: 48,
            probe: "token_embd.weight", type: .f32)
    }

    @Test(.requires([.syntheticLlamaSPM])) func generatedModelExposesItsTensors() throws {
        try mappedModelExposesItsTensors(
            url: GeneratedModels.llamaSPM, tensorCount: 48,
            probe: "token_embd.weight", type: .f32)
    }

    func mappedModelExposesItsTensors(url: URL?, tensorCount: Int, probe: String, type: GGMLType) throws {
        let url = try #require(url)
        let file = try GGUFFile(path: url.path)
        #expect(file.path == url.path)
        #expect(file.tensors.count == tensorCount)
        #expect(file.architecture == "llama")

        let tensor = try #require(file.tensor(named: probe))
        #expect(tensor.type == type)
        let view = file.data(for: tensor)
        #expect(view.count == tensor.byteCount)
        #expect(Int(bitPattern: view.baseAddress) % 8 == 0, "tensor views are 8-byte aligned")

        // The same bytes as reading the file with plain I/O.
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(file.dataOffset) + tensor.rawOffset)
        let probeLength = min(view.count, 4096)
        let expected = try #require(try handle.read(upToCount: probeLength))
        #expect(Array(view.prefix(probeLength)) == [UInt8](expected))

        // Every tensor's view lies inside the mapping; touch the last byte of each.
        var checksum: UInt8 = 0
        for tensor in file.tensors {
            let bytes = file.data(for: tensor)
            #expect(bytes.count == tensor.byteCount)
            checksum ^= bytes[bytes.count - 1]
        }
        _ = checksum
        let last = try #require(file.tensors.max { $0.rawOffset < $1.rawOffset })
        #expect(file.dataOffset + Int(last.rawOffset) + last.byteCount <= file.fileSize)
    }

    /// The generated tiny llama's final norm: 64 F32 weights near 1 (1 + 0.1·N(0, 1), as
    /// make_synthetic_models.py draws them).
    @Test(.requires([.syntheticLlamaSPM])) func generatedWeightsDecodeAsFloats() throws {
        let file = try GGUFFile(path: GeneratedModels.llamaSPM.path)
        let norm = try #require(file.tensor(named: "output_norm.weight"))
        #expect(norm.dimensions == [64])
        let values = file.data(for: norm).withMemoryRebound(to: UInt32.self) { words in
            words.map { Float(bitPattern: UInt32(littleEndian: $0)) }
        }
        #expect(values.count == 64)
        #expect(values.allSatisfy { $0.isFinite && $0 > 0.5 && $0 < 1.5 }, "\(values)")
    }

    /// llama-spm has tokens that differ only in Unicode normalization (Greek 'ί' U+03AF and
    /// U+1F77, ids 30207 and 30873). The reader keeps their exact scalars; note that Swift's `==`
    /// calls them equal, so a token-to-id map must not be keyed by plain `String`.
    @Test(.requires([.vocabularies])) func canonicallyEquivalentTokensKeepTheirScalars() throws {
        let file = try OracleFixtureTests.open("vocab/ggml-vocab-llama-spm.gguf")
        let tokens = try #require(file.metadata.stringArray("tokenizer.ggml.tokens"))
        let (precomposed, compatibility) = (tokens[30207], tokens[30873])
        #expect(precomposed == compatibility, "String equality is canonical equivalence")
        #expect(Array(precomposed.unicodeScalars) == ["\u{3AF}"])
        #expect(Array(compatibility.unicodeScalars) == ["\u{1F77}"])
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: GGUFError.self) { try GGUFFile(path: "/nonexistent/parley/model.gguf") }
        do {
            _ = try GGUFFile(path: "/nonexistent/parley/model.gguf")
        } catch {
            #expect(error.kind == .io)
            #expect(error.offset == nil)
            #expect(error.description.contains("/nonexistent/parley/model.gguf"))
        }
    }

    @Test func directoryIsAnIOError() {
        do {
            _ = try GGUFFile(path: TestPaths.models.path)
            Issue.record("a directory parsed")
        } catch {
            #expect(error == .io(path: TestPaths.models.path, reason: "not a regular file"))
        }
    }

    @Test func emptyAndTruncatedFilesOnDiskAreErrors() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-gguf-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty.gguf")
        try Data().write(to: empty)
        #expect(throws: GGUFError.truncated(what: "magic", offset: 0, needed: 4, available: 0)) {
            try GGUFFile(path: empty.path)
        }
        let cut = directory.appendingPathComponent("cut.gguf")
        try Data(SampleFiles.minimal().bytes().prefix(40)).write(to: cut)
        do {
            _ = try GGUFFile(path: cut.path)
            Issue.record("a cut file parsed")
        } catch {
            #expect([.truncated, .countTooLarge].contains(error.kind), "\(error)")
        }
        let whole = directory.appendingPathComponent("whole.gguf")
        try Data(SampleFiles.minimal().bytes()).write(to: whole)
        #expect(try GGUFFile(path: whole.path).tensors.count == 2)
    }
}
