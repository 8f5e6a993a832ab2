// Linux only, like the harness.
#if canImport(Glibc)
    import Foundation
    import Testing
    import TestSupport

    /// Switching models inside the app (issue #14 item 4), in tmux: a local chat, then the model
    /// picker (Ctrl+P) switches to the model of `parley serve` (started here on loopback, named in
    /// config.json), which answers the same conversation, then back to the local file; the
    /// transcript on disk names the backend of each answer.
    @Suite(.serialized, .requires(TmuxHarness.requirements))
    struct ModelSwitchEndToEndTests {
        static let keyVariable = "PARLEY_E2E_TMUX_KEY_SWITCH"

        @Test func localThenRemoteThenLocalInOneConversation() throws {
            setenv(Self.keyVariable, "sk-tmux-switch", 1)
            let serve = try LoopbackServe(apiKey: "sk-tmux-switch")
            defer { serve.stop() }
            let port = serve.port
            let host = "127.0.0.1:\(port)"

            let tmux = try TmuxHarness()
            let config = tmux.home.appendingPathComponent("config/parley/config.json")
            try FileManager.default.createDirectory(
                at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(
                """
                {"endpoints": [{"name": "box", "url": "http://\(host)/v1", "key_env": "\(Self.keyVariable)"}]}
                """.utf8
            ).write(to: config)

            try tmux.start(["-m", TmuxHarness.model.path, "--threads", "1", "--temperature", "0", "--max-tokens", "24"])
            try tmux.waitFor(text: "│ idle", timeout: .seconds(60))
            try tmux.type("What is 2+2?")
            try tmux.press("Enter")
            try tmux.waitFor("the local answer", timeout: .seconds(60)) {
                $0.contains("Assistant") && $0.contains("│ idle")
            }

            // To the remote model: the picker lists it under the endpoint's name and host.
            try tmux.press("C-p")
            try tmux.waitFor(text: "box · \(host)")
            let picker = try tmux.screen()
            #expect(picker.contains("● SmolLM2-135M-Instruct.Q4_1"), "the local model is marked current:\n\(picker)")
            try tmux.type("box")
            try tmux.press("Enter")
            try tmux.waitFor("the remote model in the status bar", timeout: .seconds(60)) {
                $0.contains("@ \(host)") && $0.contains("│ idle")
            }
            try tmux.type("And 3+3?")
            try tmux.press("Enter")
            try tmux.waitForAnswer(to: "And 3+3?")

            // And back to the local file.
            try tmux.press("C-p")
            try tmux.waitFor(text: "● SmolLM2-135M-Instruct.Q4_1")
            try tmux.type("local")
            try tmux.press("Enter")
            try tmux.waitFor("the local model again", timeout: .seconds(60)) {
                $0.contains("now answering with") && !$0.contains("@ \(host)") && $0.contains("│ idle")
            }
            // Once the notice has gone there is room to say where the model runs.
            try tmux.waitFor(text: "SmolLM2-135M-Instruct @ local │", timeout: .seconds(30))
            try tmux.type("Thanks!")
            try tmux.press("Enter")
            try tmux.waitForAnswer(to: "Thanks!")
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)

            let files = try tmux.savedTranscripts()
            #expect(files.count == 1, "one conversation throughout")
            let file = try #require(files.first)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            let messages = try #require(object["messages"] as? [[String: Any]])
            #expect(
                messages.map { $0["role"] as? String } == [
                    "user", "assistant", "user", "assistant", "user", "assistant"
                ])
            #expect(
                messages.map { $0["content"] as? String }.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
                    == ["What is 2+2?", "And 3+3?", "Thanks!"])
            let backends = messages.compactMap { $0["backend"] as? [String: Any] }
            #expect(backends.map { $0["type"] as? String } == ["local", "remote", "local"])
            #expect(
                backends[1]["host"] as? String == host
                    && backends[1]["model"] as? String == "SmolLM2-135M-Instruct.Q4_1")
            #expect(backends[0]["model"] as? String == "SmolLM2-135M-Instruct.Q4_1.gguf")
            #expect(
                (backends[0]["sha256"] as? String)?.count == 64
                    && backends[0]["sha256"] as? String == backends[2]["sha256"] as? String)
            for index in [1, 3, 5] {
                #expect(!((messages[index]["content"] as? String) ?? "").isEmpty, "answer \(index) has text")
            }
            #expect(!String(decoding: try Data(contentsOf: file), as: UTF8.self).contains("sk-tmux-switch"))
        }
    }
#endif
