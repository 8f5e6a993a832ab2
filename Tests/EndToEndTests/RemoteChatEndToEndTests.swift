// Linux only, like the harness.
#if canImport(Glibc)
    import Foundation
    import Testing
    import TestSupport

    /// The chat screen on a remote engine (issue #14): `parley serve` started here on loopback, the
    /// TUI pointed at it through a named endpoint in config.json, chatting and stopping an answer;
    /// then the same conversation continued on the local model, each answer recording its backend.
    @Suite(.serialized, .requires(TmuxHarness.requirements))
    struct RemoteChatEndToEndTests {
        static let keyVariable = "PARLEY_E2E_TMUX_KEY_14"

        @Test func chatStopOnARemoteModelThenContinueLocally() throws {
            setenv(Self.keyVariable, "sk-tmux-14", 1)
            let serve = try LoopbackServe(apiKey: "sk-tmux-14")
            defer { serve.stop() }
            let port = serve.port

            let tmux = try TmuxHarness()
            let config = tmux.home.appendingPathComponent("config/parley/config.json")
            try FileManager.default.createDirectory(
                at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(
                """
                {"endpoints": [{"name": "box", "url": "http://127.0.0.1:\(port)/v1", "key_env": "\(Self.keyVariable)"}]}
                """.utf8
            ).write(to: config)

            try tmux.start(["--endpoint", "box", "--temperature", "0", "--max-tokens", "300"])
            let ready = try tmux.waitFor(text: "│ idle")
            #expect(ready.contains("@ 127.0.0.1:\(port)"), "the status bar names where the model runs")
            // The server's context (SmolLM2's 8192 capped at 4096), from its /v1/models, not an assumption.
            #expect(ready.contains("ctx –/4096") || ready.contains("/4096 │"), "the served context:\n\(ready)")
            try tmux.type("What is the capital of France?")
            try tmux.press("Enter")
            try tmux.waitFor("the remote answer") { $0.contains("Assistant") && $0.contains("│ idle") }
            try tmux.type("Write a long story about a dragon who learns to cook.")
            try tmux.press("Enter")
            try tmux.waitFor(text: "generating")
            try tmux.press("Escape")
            try tmux.waitFor(text: "[stopped]")
            try tmux.waitFor(text: "│ idle")
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
            let files = try tmux.savedTranscripts()
            let file = try #require(files.first)

            // The same conversation on the local model.
            try tmux.start([
                "-m", TmuxHarness.model.path, "--threads", "2", "--open", file.path, "--temperature", "0",
                "--max-tokens", "24"
            ])
            try tmux.waitFor(text: "│ idle")
            try tmux.type("Thanks!")
            try tmux.press("Enter")
            try tmux.waitForAnswer(to: "Thanks!")
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)

            let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            let messages = try #require(object["messages"] as? [[String: Any]])
            #expect(
                messages.map { $0["role"] as? String } == [
                    "user", "assistant", "user", "assistant", "user", "assistant"
                ])
            let backends = messages.compactMap { ($0["backend"] as? [String: Any])?["type"] as? String }
            #expect(backends == ["remote", "remote", "local"])
            #expect(messages[3]["finish_reason"] as? String == "cancelled")
            #expect((messages[1]["backend"] as? [String: Any])?["host"] as? String == "127.0.0.1:\(port)")
            #expect(!String(decoding: try Data(contentsOf: file), as: UTF8.self).contains("sk-tmux-14"))
        }
    }
#endif
