import Foundation
import GGUF
import Testing
@testable import Inference

extension RealModelTests {
    /// Greedy decoding from llama.cpp's reference prompts (`shared/reference/*.greedy.json`): the
    /// same tokens wherever the choice is clear, and first-step logits close to llama.cpp's.
    @Suite struct GreedyDecodingTests {
        struct Case: Decodable {
            struct Candidate: Decodable {
                let token: Int
                let logit: Float
            }

            let prompt: String
            let prompt_tokens: [Int32]
            let first_step_top5: [Candidate]
            let greedy_tokens: [Int32]
        }

        /// A reference file with the tolerances its model's rounding noise allows.
        struct Reference: Sendable, CustomStringConvertible {
            let model: String
            let file: String
            /// Largest allowed |ours − llama.cpp| of the first step's top-5 logits.
            let logitTolerance: Float
            /// Below this top-1/top-2 gap (ours, or llama.cpp's at the first step) a token is not
            /// asserted: rounding differences may legitimately pick another.
            let clearMargin: Float
            var description: String { model }
        }

        /// Q4_K_M is looser, from measurement: an exact float64 NumPy forward pass of the same
        /// weights (`Scripts/reference/gguf_forward.py`) is itself 0.69 away from llama.cpp on the
        /// third prompt's second logit, and picks token 17 (margin 0.19) where llama.cpp picked 28
        /// at the second step of the first prompt. llama.cpp's 8-bit activations (Q8_K for the
        /// Q4_K/Q6_K `ffn_down`) and F16 attention move this model's logits by that much.
        static let references = [
            Reference(model: ModelFixtures.smolQ4_1, file: "SmolLM2-135M-Instruct.Q4_1.greedy.json",
                      logitTolerance: 0.3, clearMargin: 0.05),
            Reference(model: ModelFixtures.smolQ4_K_M, file: "SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.greedy.json",
                      logitTolerance: 0.8, clearMargin: 0.25),
            Reference(model: ModelFixtures.stories, file: "stories260K.greedy.json", logitTolerance: 0.3, clearMargin: 0.05),
        ]

        @Test(arguments: references)
        func reproducesReference(_ reference: Reference) throws {
            let name = reference.model
            let data = try Data(contentsOf: ModelFixtures.referenceURL(reference.file))
            let cases = try JSONDecoder().decode([Case].self, from: data)
            let model = try LanguageModel(file: ModelFixtures.real(name))
            for (index, item) in cases.enumerated() {
                let transformer = try Transformer(model: model, contextLength: 1024, threads: Transformer.defaultThreads)
                var logits = try transformer.evaluate(item.prompt_tokens, logits: .last)

                // First step: llama.cpp's top-5 logits, within 0.3.
                for candidate in item.first_step_top5 {
                    let ours = logits.last[candidate.token]
                    #expect(abs(ours - candidate.logit) <= reference.logitTolerance,
                            "\(name) prompt \(index): token \(candidate.token) logit \(ours) vs \(candidate.logit)")
                }
                let top = item.first_step_top5
                var referenceMargin: Float? = top[0].logit - top[1].logit

                var agreed = 0
                for expected in item.greedy_tokens {
                    let (best, margin) = Self.argmaxAndMargin(logits.last)
                    if margin < reference.clearMargin || (referenceMargin ?? 1) < reference.clearMargin { break }
                    #expect(best == expected, "\(name) prompt \(index): step \(agreed) chose \(best), llama.cpp \(expected)")
                    guard best == expected else { break }
                    agreed += 1
                    referenceMargin = nil  // llama.cpp's margins are known for the first step only
                    if agreed == item.greedy_tokens.count { break }
                    logits = try transformer.evaluate(token: best)
                }
                print("greedy \(name) prompt \(index): \(agreed)/\(item.greedy_tokens.count) tokens agree")
            }
        }

        /// The most likely token and its lead over the runner-up.
        static func argmaxAndMargin(_ logits: UnsafeBufferPointer<Float>) -> (token: Int32, margin: Float) {
            var best = 0, first = -Float.infinity, second = -Float.infinity
            for (i, value) in logits.enumerated() {
                if value > first {
                    second = first
                    first = value
                    best = i
                } else if value > second {
                    second = value
                }
            }
            return (Int32(best), first - second)
        }
    }
}
