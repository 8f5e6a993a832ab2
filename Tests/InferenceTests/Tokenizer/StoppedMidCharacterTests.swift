import TestSupport
import Testing

@testable import Inference
@testable import Tokenizer

/// Issue #17, bug 3: stopping an answer in the middle of a multi-byte character used to save
/// U+FFFD for the half character, on screen (the last delta) and on disk (the choice's text).
@Suite("Stopping mid-character", .requires([.vocabularies]))
struct StoppedMidCharacterTests {
    /// Runs greedy steps that pick `bytes` (SentencePiece byte tokens), then ends with `reason`.
    static func run(_ bytes: [UInt8], then reason: FinishReason) throws -> (text: String, deltas: [String]) {
        let tokenizer = try TokenizerFixtures.tokenizer("llama-spm")
        let ids = try bytes.map { value in
            try #require(tokenizer.tokenID(forText: "<0x" + String(value, radix: 16, uppercase: true) + ">"))
        }
        let request = GenerationRequest(promptTokens: [1], sampler: .greedy, maxTokens: 64)
        var run = ChoiceRun(index: 0, settings: .greedy, request: request, tokenizer: tokenizer, prompt: [1])
        var deltas: [String] = []
        for id in ids {
            var logits = [Float](repeating: 0, count: tokenizer.vocabularySize)
            logits[Int(id)] = 20
            let next = logits.withUnsafeBufferPointer { row in
                run.step(logits: row, atContextEnd: false, endOfGeneration: []) { deltas.append($0.text) }
            }
            if let next { run.evaluated(next) }
        }
        run.finish(reason) { deltas.append($0.text) }
        return (run.result.text, deltas)
    }

    @Test func aStoppedAnswerKeepsOnlyWholeCharacters() throws {
        // "A", then the first two bytes of "你" (E4 BD A0): the person stops before the third.
        let stopped = try Self.run([0x41, 0xE4, 0xBD], then: .cancelled)
        #expect(stopped.text == "A")
        #expect(!stopped.deltas.joined().contains("\u{FFFD}"))
        #expect(stopped.deltas.joined() == stopped.text)
    }

    @Test func aWholeCharacterBeforeTheStopIsKept() throws {
        let stopped = try Self.run([0x41, 0xE4, 0xBD, 0xA0, 0xE4], then: .cancelled)
        #expect(stopped.text == "A你")
    }

    /// Other endings still follow `decode` exactly (its U+FFFD included).
    @Test func otherEndingsStillMatchDecode() throws {
        let ended = try Self.run([0x41, 0xE4, 0xBD], then: .length)
        #expect(ended.text == "A\u{FFFD}")
    }
}
