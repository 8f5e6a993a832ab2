import Foundation
import GGUF
import ModelHub
import TestSupport
import Testing

@testable import Inference

/// Split models (`NAME-00001-of-0000N.gguf`, as llama.cpp's gguf-split writes them): loaded from
/// the first part as one model, answering exactly as the unsplit file does, and pulled whole.
@Suite(.serialized) struct SplitModelTests {
    static let stem = "tiny-llama"

    /// Writes `source` (the generated tiny llama unless given) split in `count` parts into a new
    /// folder; returns the folder.
    static func writeSplit(_ count: Int, stem: String = stem, source: URL = GeneratedModels.llamaSPM) throws -> URL {
        let folder = PullFixtures.temporaryFolder("split")
        let original = try GGUFFile(path: source.path)
        for (index, bytes) in PullFixtures.split(original, into: count).enumerated() {
            try Data(bytes).write(to: folder.appendingPathComponent(PullFixtures.partName(stem, index + 1, of: count)))
        }
        return folder
    }

    struct GreedyCase: Decodable {
        let prompt_tokens: [Int32]
        let greedy_tokens: [Int32]
    }

    /// Opens `source` whole and split in three; both must hold the same tensors, byte for byte.
    static func wholeAndSplit(_ source: URL) throws -> (whole: GGUFFile, split: GGUFFile) {
        let folder = try writeSplit(3, source: source)
        let whole = try GGUFFile(path: source.path)
        let split = try GGUFFile(path: folder.appendingPathComponent(PullFixtures.partName(stem, 1, of: 3)).path)
        #expect(split.partPaths.count == 3)
        #expect(split.tensors.map(\.name) == whole.tensors.map(\.name))
        for tensor in whole.tensors {
            let ours = try #require(split.data(named: tensor.name))
            #expect(Array(ours) == Array(whole.data(for: tensor)), "\(tensor.name)")
        }
        return (whole, split)
    }

    /// Greedy decoding of `steps` tokens after `prompt` on both models, which must agree logit for
    /// logit at every step; returns the split model's tokens.
    static func greedyBoth(_ whole: GGUFFile, _ split: GGUFFile, prompt: [Int32], steps: Int) throws -> [Int32] {
        let wholeModel = try LanguageModel(file: whole)
        let splitModel = try LanguageModel(file: split)
        let a = try Transformer(model: wholeModel, contextLength: 256)
        let b = try Transformer(model: splitModel, contextLength: 256)
        var la = try a.evaluate(prompt, logits: .last)
        var lb = try b.evaluate(prompt, logits: .last)
        var tokens: [Int32] = []
        for _ in 0..<steps {
            #expect(Array(la.last) == Array(lb.last), "logits differ after \(tokens.count) tokens")
            let best = Int32(lb.last.indices.max { lb.last[$0] < lb.last[$1] } ?? 0)
            tokens.append(best)
            la = try a.evaluate(token: best)
            lb = try b.evaluate(token: best)
        }
        return tokens
    }

    @Test(.requires([.syntheticLlamaSPM])) func aSplitModelLoadsAsOneAndAnswersLikeTheUnsplitOne() throws {
        let (whole, split) = try Self.wholeAndSplit(GeneratedModels.llamaSPM)
        let tokens = try Self.greedyBoth(whole, split, prompt: [1, 300, 301, 302], steps: 16)
        #expect(tokens.count == 16)
    }

    /// stories260K split: llama.cpp's own greedy tokens are the oracle; both files must match
    /// them and each other, logit for logit.
    @Test(.requires(.stories260K)) func aSplitStories260KAnswersAsLlamaCppDoes() throws {
        let (whole, split) = try Self.wholeAndSplit(TestPaths.model(TestModel.stories260K.fileName))
        let cases = try JSONDecoder().decode(
            [GreedyCase].self,
            from: Data(contentsOf: TestPaths.referenceFile("stories260K.greedy.json")))
        for item in cases {
            let tokens = try Self.greedyBoth(whole, split, prompt: item.prompt_tokens, steps: item.greedy_tokens.count)
            #expect(tokens == item.greedy_tokens, "the split model's greedy answer differs from llama.cpp's")
        }
    }

    @Test(.requires([.syntheticLlamaSPM])) func aMissingPartIsAClearError() throws {
        let folder = try Self.writeSplit(3)
        let third = folder.appendingPathComponent(PullFixtures.partName(Self.stem, 3, of: 3))
        try FileManager.default.removeItem(at: third)
        #expect {
            _ = try GGUFFile(path: folder.appendingPathComponent(PullFixtures.partName(Self.stem, 1, of: 3)).path)
        } throws: { error in
            guard case .splitModel(let path, let reason) = error as? GGUFError else { return false }
            return path == third.path && reason.contains("part 3 of 3 is missing")
        }
    }

    @Test(.requires([.syntheticLlamaSPM])) func openingALaterPartNamesTheFirst() throws {
        let folder = try Self.writeSplit(2)
        #expect {
            _ = try GGUFFile(path: folder.appendingPathComponent(PullFixtures.partName(Self.stem, 2, of: 2)).path)
        } throws: { error in
            "\(error)".contains("this is part 2 of 2 of a split model; open the first part")
                && "\(error)".contains(PullFixtures.partName(Self.stem, 1, of: 2))
        }
    }

    @Test(.requires([.syntheticLlamaSPM])) func partsSwappedOrRenamedAreRefused() throws {
        let folder = try Self.writeSplit(3)
        let second = folder.appendingPathComponent(PullFixtures.partName(Self.stem, 2, of: 3))
        let third = folder.appendingPathComponent(PullFixtures.partName(Self.stem, 3, of: 3))
        let swap = folder.appendingPathComponent("swap")
        try FileManager.default.moveItem(at: second, to: swap)
        try FileManager.default.moveItem(at: third, to: second)
        try FileManager.default.moveItem(at: swap, to: third)
        #expect {
            _ = try GGUFFile(path: folder.appendingPathComponent(PullFixtures.partName(Self.stem, 1, of: 3)).path)
        } throws: { "\($0)".contains("expected part 2 of 3, but the file says split.no 2") }
        let renamed = folder.appendingPathComponent("renamed.gguf")
        try FileManager.default.moveItem(
            at: folder.appendingPathComponent(PullFixtures.partName(Self.stem, 1, of: 3)), to: renamed)
        #expect { _ = try GGUFFile(path: renamed.path) } throws: { "\($0)".contains("the other parts cannot be found") }
    }

    @Test func splitNamesParseAsGGUFSplitWritesThem() {
        let name = GGUFSplitName(fileName: "Qwen3-8B-Q4_K_M-00002-of-00003.gguf")
        #expect(name?.stem == "Qwen3-8B-Q4_K_M" && name?.part == 2 && name?.count == 3)
        #expect(name?.fileName(ofPart: 1) == "Qwen3-8B-Q4_K_M-00001-of-00003.gguf")
        #expect(GGUFSplitName(fileName: "model-00004-of-00003.gguf") == nil)
        #expect(GGUFSplitName(fileName: "model-00000-of-00003.gguf") == nil)
        #expect(GGUFSplitName(fileName: "model-0001-of-00003.gguf") == nil)
        #expect(GGUFSplitName(fileName: "-00001-of-00001.gguf") == nil)
        #expect(GGUFSplitName(fileName: "model.gguf") == nil)
    }

    @Test(.requires([.syntheticLlamaSPM])) func aSplitModelIsPulledWholeAndListedOnce() async throws {
        let local = try Self.writeSplit(3, stem: "tiny-llama-Q8_0")
        let names = (1...3).map { PullFixtures.partName("tiny-llama-Q8_0", $0, of: 3) }
        let parts = try names.map { try Array(Data(contentsOf: local.appendingPathComponent($0))) }
        let folder = PullFixtures.temporaryFolder()
        let setUp: (FakeHub) -> Void = { hub in
            hub.add(
                repo: "tester/split-GGUF",
                files: [.init(path: "README.md", bytes: [65])]
                    + zip(names, parts).map { .init(path: "Q8_0/\($0)", bytes: $1) })
        }
        try await FakeHub.with(setUp) { hub in
            let result = try await PullFixtures.puller(hub, folder: folder).pull(
                ModelReference(parsing: "tester/split-GGUF:Q8_0"))
            #expect(result.paths == names.map { folder.appendingPathComponent($0).path })
            for (path, bytes) in zip(result.paths, parts) {
                #expect(try PullFixtures.sha256(file: path) == PullFixtures.sha256(bytes))
            }
            let models = ModelCatalog(folder: folder).installed()
            #expect(models.map(\.name) == ["tiny-llama-Q8_0"])
            #expect(models.first?.files.count == 3)
            #expect(models.first?.sizeBytes == Int64(parts.reduce(0) { $0 + $1.count }))
            #expect(models.first?.architecture == "llama")
            let model = try LanguageModel(file: GGUFFile(path: result.paths[0]))
            #expect(model.config.vocabularySize > 0)
            try ModelCatalog(folder: folder).remove(#require(models.first))
            #expect(PullFixtures.models(in: folder).isEmpty)
        }
    }
}
