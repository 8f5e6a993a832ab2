// Linux only, like the harness.
#if canImport(Glibc)
    import Foundation
    import TestSupport
    import Testing

    /// Pulling from the chat's model picker (Ctrl+P), in tmux against the loopback imitation of
    /// Hugging Face: a reference that is not there fails in the picker and loses nothing; one that
    /// is downloads with its progress, lands verified in the models folder, and answers the same
    /// conversation; the transcript on disk names both models' answers.
    @Suite(.serialized, .requires(TmuxHarness.requirements + [.syntheticLlamaSPM]))
    struct PickerPullEndToEndTests {
        @Test func aFailedPullStaysInThePickerAndAGoodOneAnswers() async throws {
            let source = try PullFixtures.model
            try await FakeHub.with(PullTests.setUp) { hub in
                let base = hub.base
                // The screen is polled with blocking sleeps (`offPool`).
                try await offPool { try Self.drive(hubBase: base, source: source) }
            }
        }

        static func drive(hubBase: String, source: [UInt8]) throws {
            let tmux = try TmuxHarness()
            try tmux.start(
                ["-m", TmuxHarness.model.path, "--threads", "1", "--temperature", "0", "--max-tokens", "8"],
                environment: ["HF_ENDPOINT=\(hubBase)"])
            try tmux.waitFor(text: "│ idle", timeout: .seconds(60))
            try tmux.type("Hello there")
            try tmux.press("Enter")
            try tmux.waitFor("the first answer", timeout: .seconds(60)) {
                $0.contains("Assistant") && $0.contains("│ idle")
            }

            // A repository the hub does not have: the picker says why and stays open.
            try tmux.press("C-p")
            try tmux.waitFor(text: "Filter:")
            try tmux.type("tester/missing-GGUF")
            try tmux.waitFor(text: "pull tester/missing-GGUF")
            try tmux.press("Enter")
            // (Hugging Face answers 401 for a repository that does not exist, as for a gated one.)
            let failed = try tmux.waitFor("the failed pull") {
                $0.contains("pull tester/missing-GGUF: access to tester/missing-GGUF denied (HTTP 401)")
            }
            #expect(failed.contains("Filter:"), "the picker stays open after a failed pull:\n\(failed)")

            // The one it has: pulled, verified, switched to.
            try tmux.press("C-u")
            try tmux.type("\(PullTests.repo):Q8_0")
            try tmux.waitFor(text: "pull \(PullTests.repo):Q8_0")
            try tmux.press("Enter")
            try tmux.waitFor("the pulled model answering", timeout: .seconds(60)) {
                $0.contains("tiny-llama-Q8_0") && $0.contains("│ idle") && !$0.contains("Filter:")
            }
            let installed = tmux.home.appendingPathComponent("data/parley/models/\(PullTests.fileName)")
            #expect(try PullFixtures.sha256(file: installed.path) == PullFixtures.sha256(source))

            try tmux.type("Again")
            try tmux.press("Enter")
            try tmux.waitForAnswer(to: "Again")
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)

            let files = try tmux.savedTranscripts()
            let transcript = try String(contentsOf: try #require(files.first), encoding: .utf8)
            #expect(transcript.contains("Hello there") && transcript.contains("Again"))
            #expect(transcript.contains("SmolLM2-135M-Instruct") && transcript.contains("tiny-llama-Q8_0"))
        }
    }
#endif
