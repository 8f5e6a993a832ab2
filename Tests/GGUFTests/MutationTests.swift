import Foundation
import GGUF
import TestSupport
import Testing

/// 12,000 seeded mutations of real and hand-made headers: each must parse into a consistent file
/// or throw a `GGUFError` pointing inside the bytes. A crash here fails the whole test run.
@Suite struct MutationTests {
    static let mutationsPerSeed = 3_000

    /// A starting file: its bytes and the field boundaries mutations aim at.
    struct Seed: Sendable {
        var bytes: [UInt8]
        var boundaries: [Int]
    }

    enum SeedFile: String, CaseIterable, Sendable {
        /// The header PyPI `gguf` wrote for the generated tiny llama (metadata, 512-token
        /// vocabulary, 48 tensor records; `GeneratedModels.llamaSPM`), without the tensor data, so
        /// its intact form fails on the first tensor's bounds.
        case modelHeader
        /// A valid file written from the real llama-spm vocabulary, its arrays cut to 256 entries.
        case vocabDerived
        /// `SampleFiles.everything()`: every value type, nested arrays, four tensors.
        case everything
        /// The first 8 KiB of the real qwen2 vocabulary file (BPE tokens, as found on disk).
        case qwenPrefix

        func load() throws -> Seed {
            switch self {
            case .modelHeader:
                let file = try GGUFFile(path: GeneratedModels.llamaSPM.path)
                let layout = GGUFWriter(copying: file).layout()
                return Seed(
                    bytes: Array(file.rawBytes.prefix(file.dataOffset)),
                    boundaries: layout.boundaries.filter { $0 < file.dataOffset })
            case .vocabDerived:
                let file = try GGUFFile(path: TestPaths.model("vocab/ggml-vocab-llama-spm.gguf").path)
                var writer = GGUFWriter(version: file.version)
                for key in file.metadata.keys {
                    guard let value = file.metadata[key] else { continue }
                    if case .array(let array) = value {
                        writer.add(key, .array(elementType: array.elementType, elements: Array(array.prefix(256))))
                    } else {
                        writer.add(key, value)
                    }
                }
                let (bytes, layout) = writer.build()
                return Seed(bytes: bytes, boundaries: layout.boundaries)
            case .everything:
                let (bytes, layout) = SampleFiles.everything().build()
                return Seed(bytes: bytes, boundaries: layout.boundaries)
            case .qwenPrefix:
                let file = try GGUFFile(path: TestPaths.model("vocab/ggml-vocab-qwen2.gguf").path)
                return Seed(bytes: Array(file.rawBytes.prefix(8192)), boundaries: [0, 4, 8, 16, 24])
            }
        }
    }

    /// The seed built in code; the generated model's and the vocabularies' have their own tests below.
    @Test func mutatedFilesParseOrThrowTypedErrors() throws {
        try mutatedFilesParseOrThrowTypedErrors(seedFile: .everything)
    }

    /// The seeds from llama.cpp's installed test vocabularies.
    @Test(.requires([.vocabularies]), arguments: [SeedFile.vocabDerived, .qwenPrefix])
    func mutatedVocabularyFilesParseOrThrowTypedErrors(seedFile: SeedFile) throws {
        try mutatedFilesParseOrThrowTypedErrors(seedFile: seedFile)
    }

    func mutatedFilesParseOrThrowTypedErrors(seedFile: SeedFile) throws {
        let seed = try seedFile.load()
        var mutator = Mutator(seed: 0x4747_5546 &+ Self.seedNumber(seedFile), boundaries: seed.boundaries)
        var parsed = 0
        var kinds: [GGUFErrorKind: Int] = [:]
        var problems: [String] = []
        for iteration in 0..<Self.mutationsPerSeed {
            let bytes = mutator.mutate(seed.bytes)
            do {
                let file = try GGUFFile(bytes: bytes)
                parsed += 1
                if let problem = Self.inconsistency(in: file) { problems.append("#\(iteration): \(problem)") }
            } catch {
                kinds[error.kind, default: 0] += 1
                if let offset = error.offset, offset < 0 || offset > bytes.count {
                    problems.append("#\(iteration): offset \(offset) outside \(bytes.count) bytes: \(error)")
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(parsed + kinds.values.reduce(0, +) == Self.mutationsPerSeed)
        // The mutations must reach deep into the reader, not just break the magic.
        #expect(kinds.count >= 5, "\(kinds)")
        if seedFile == .vocabDerived || seedFile == .everything { #expect(parsed > 0) }
    }

    @Test(.requires([.syntheticLlamaSPM])) func mutatedModelHeadersParseOrThrowTypedErrors() throws {
        try mutatedFilesParseOrThrowTypedErrors(seedFile: .modelHeader)
    }

    static func seedNumber(_ seedFile: SeedFile) -> UInt64 {
        UInt64(SeedFile.allCases.firstIndex(of: seedFile) ?? 0)
    }

    /// What a parsed file promises: an aligned data section and every tensor view inside the file.
    static func inconsistency(in file: GGUFFile) -> String? {
        guard file.alignment >= 8, file.alignment & (file.alignment - 1) == 0, file.dataOffset % file.alignment == 0
        else {
            return "alignment \(file.alignment), data offset \(file.dataOffset)"
        }
        guard file.metadata.keys.count == Set(file.metadata.keys).count else { return "repeated keys" }
        for tensor in file.tensors {
            let end = file.dataOffset + Int(tensor.rawOffset) + tensor.byteCount
            guard end <= file.fileSize, file.data(for: tensor).count == tensor.byteCount else {
                return "tensor \(tensor.name) ends at \(end) of \(file.fileSize)"
            }
        }
        return nil
    }
}
