// Linux only, like the harness.
#if canImport(Glibc)
    import Foundation
    import TestSupport
    import Testing

    /// Alternatives, the probability view and both inspectors with the real binary and SmolLM2.
    /// Needs the engine's `n` and `logprobs` (the batch-engine work) to pass.
    @Suite(.serialized, .requires(TmuxHarness.requirements))
    struct AlternativesEndToEndTests {
        @Test func threeAlternativesProbabilitiesAndInspectors() throws {
            let tmux = try TmuxHarness()
            try tmux.start(
                ChatEndToEndTests.modelArguments + ["--temperature", "1", "--max-tokens", "24", "--seed", "3"])
            try tmux.waitFor(text: "│ idle")

            // n = 3 in the parameter panel (the n row is below logit_bias).
            try tmux.press("F3")
            try tmux.waitFor(text: "top_logprobs")
            for _ in 0..<12 { try tmux.press("Down") }
            try tmux.press("Right", "Right")
            try tmux.waitFor(text: "n 3 ")
            try tmux.press("Escape")

            // The probability view records token probabilities from the next answer.
            try tmux.press("M-l")
            try tmux.waitFor(text: "probability view on")
            try tmux.type("Name a colour.")
            try tmux.press("Enter")
            let answered = try tmux.waitFor("three alternatives", timeout: .seconds(120)) {
                $0.contains("‹ 1/3 ›") && $0.contains("│ idle")
            }
            #expect(answered.contains("≥90%"), "\(answered)")
            // The perplexity shows once the long notice about recording has gone.
            try tmux.waitFor(text: "ppl ")

            // Flipping shows the others; Ctrl+R adds three more (n is still 3) and shows the first of them.
            try tmux.press("M-.")
            try tmux.waitFor(text: "‹ 2/3 ›")
            try tmux.press("C-r")
            try tmux.waitFor("three more alternatives", timeout: .seconds(120)) {
                $0.contains("‹ 4/6 ›") && $0.contains("│ idle")
            }

            // The token inspector lists the top alternatives of the selected token.
            try tmux.press("M-i")
            let inspector = try tmux.waitFor(text: "Most likely tokens")
            #expect(inspector.contains("Token 1 of"))
            try tmux.press("Right")
            try tmux.waitFor(text: "Token 2 of")
            try tmux.press("Escape")

            // The prompt inspector shows the rendered ChatML prompt and its token count.
            try tmux.press("M-m")
            let prompt = try tmux.waitFor(text: " tokens, ")
            #expect(prompt.contains("<|im_start|>") && prompt.contains("Name a colour."))
            try tmux.press("Escape")
            // A key right after Esc would read as Alt+key: wait for the inspector to close first.
            try tmux.waitFor("the inspector to close") { !$0.contains("Prompt inspector") }

            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
            let files = try tmux.savedTranscripts()
            let file = try #require(files.first)
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
            #expect(object["version"] as? Int == 2)
            let messages = object["messages"] as? [[String: Any]] ?? []
            let alternatives = messages.last?["alternatives"] as? [[String: Any]] ?? []
            #expect(alternatives.count == 6 && messages.last?["chosen"] as? Int == 3)
            #expect(alternatives.allSatisfy { ($0["logprobs"] as? [String: Any])?["tokens"] != nil })
        }
    }
#endif
