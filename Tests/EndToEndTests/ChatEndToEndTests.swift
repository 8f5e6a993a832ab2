// Linux only, like the harness.
#if canImport(Glibc)
    import Foundation
    import Testing
    import TestSupport

    /// The real release binary and the real SmolLM2 model, driven through tmux like a person would.
    @Suite(.serialized, .requires(TmuxHarness.requirements))
    struct ChatEndToEndTests {
        static let modelArguments = ["-m", TmuxHarness.model.path, "--threads", "2"]

        /// The number in "generating ⠋ 12 tok", if an answer is streaming.
        static func streamedTokens(_ screen: String) -> Int? {
            guard let range = screen.range(of: #"generating \S (\d+) tok"#, options: .regularExpression) else {
                return nil
            }
            return Int(screen[range].split(separator: " ").dropLast().last ?? "")
        }

        static func value(after label: String, in status: String) -> String? {
            guard let range = status.range(of: label + " ") else { return nil }
            return status[range.upperBound...].split(separator: " ").first.map(String.init)
        }

        @Test func chatStopTweakQuitAndReopen() throws {
            let tmux = try TmuxHarness()
            try tmux.start(Self.modelArguments + ["--temperature", "0", "--max-tokens", "48", "--seed", "1"])
            try tmux.waitFor(text: "│ idle")

            // A question: the answer streams (the token count grows while generating), then ends.
            try tmux.type("What is the capital of France?")
            try tmux.press("Enter")
            let first = try tmux.waitFor("the answer to start streaming") { (Self.streamedTokens($0) ?? 0) >= 1 }
            // More tokens while it streams, or (drafts accepted several at a time can finish 48
            // tokens between two polls) the finished answer.
            let later = try tmux.waitFor("more tokens") {
                (Self.streamedTokens($0) ?? 0) > (Self.streamedTokens(first) ?? 0)
                    || (Self.streamedTokens($0) == nil && $0.contains("│ idle"))
            }
            #expect(later.contains("Assistant"))
            try tmux.waitFor(text: "│ idle")
            #expect(try tmux.screen().contains("What is the capital of France?"))

            // A question in Chinese: wide characters reach the model and the screen intact.
            try tmux.type("用一句话介绍一下北京。")
            try tmux.press("Enter")
            // Idle alone is not enough: the status bar can still say idle while the prompt is being
            // prepared, so wait for the answer on disk (autosaved after every turn).
            try tmux.waitFor("an answer to the Chinese question") { screen in
                guard screen.contains("用一句话介绍一下北京。") && screen.contains("│ idle") else { return false }
                let files =
                    (try? FileManager.default.contentsOfDirectory(
                        at: tmux.transcriptsFolder,
                        includingPropertiesForKeys: nil)) ?? []
                let saved = files.filter { $0.pathExtension == "json" }.compactMap { try? SavedTranscript($0) }
                return saved.first?.roles.count == 4
            }

            // Hot keys change the status bar at once: F-keys and their Alt alternates.
            #expect(Self.value(after: "temp", in: try tmux.statusBar()) == "0")
            try tmux.press("F6")
            try tmux.waitFor("temp 0.1") {
                Self.value(after: "temp", in: (try? tmux.statusBar()) ?? "") == "0.1" && $0.count > 0
            }
            try tmux.press("M-]")
            try tmux.waitFor(text: "temp 0.2 ")
            try tmux.press("F5")
            try tmux.waitFor(text: "temp 0.1 ")
            try tmux.press("F8")
            try tmux.waitFor(text: "max 96 ")
            try tmux.press("M-=")
            try tmux.waitFor(text: "max 192 ")
            try tmux.press("F8")
            try tmux.waitFor(text: "max 384 ")

            // A long answer stopped mid-way keeps its text and is marked.
            try tmux.type("Write a long story about a dragon who learns to cook.")
            try tmux.press("Enter")
            try tmux.waitFor("the story to stream") { (Self.streamedTokens($0) ?? 0) >= 5 }
            try tmux.press("Escape")
            let stopped = try tmux.waitFor(text: "[stopped]")
            #expect(stopped.contains("│ idle"))
            try tmux.press("F7")
            try tmux.waitFor(text: "max 192 ")
            try tmux.press("M--")
            try tmux.waitFor(text: "max 96 ")

            // The system prompt editor: saved, shown, and kept for the next answer.
            try tmux.press("F2")
            try tmux.waitFor(text: "Ctrl+S save")
            try tmux.type("You are a helpful pirate.")
            try tmux.press("C-s")
            try tmux.waitFor(text: "system prompt saved")
            try tmux.press("Home")
            try tmux.waitFor(text: "You are a helpful pirate.")

            // Quit: the process exits cleanly and the conversation is on disk.
            try tmux.press("C-q")
            let status = try tmux.waitForExit()
            let after = try tmux.screen()
            #expect(status == 0, "exit status \(status); the screen was:\n\(after)")
            #expect(!(try tmux.screen().contains("│ idle")), "the alternate screen should be gone")
            let files = try tmux.savedTranscripts()
            try #require(files.count == 1)
            let saved = try SavedTranscript(files[0])
            #expect(saved.systemPrompt == "You are a helpful pirate.")
            #expect(saved.roles == ["user", "assistant", "user", "assistant", "user", "assistant"])
            #expect(saved.finishReasons.last == "cancelled")
            #expect(saved.temperature == 0.1 && saved.maxTokens == 96)
            #expect(saved.contents[2] == "用一句话介绍一下北京。")

            // Start again: the browser lists it; opening it restores messages and parameters.
            try tmux.start(Self.modelArguments)
            try tmux.waitFor(text: "│ idle")
            #expect(try tmux.statusBar().contains("temp 0.8 "))
            try tmux.press("C-o")
            try tmux.waitFor(text: "What is the capital of France?")
            try tmux.type("capital")
            try tmux.press("Enter")
            let reopened = try tmux.waitFor(text: "[stopped]")
            #expect(reopened.contains("temp 0.1 ") && reopened.contains("max 96 "))
            try tmux.press("Home")
            let top = try tmux.waitFor(text: "You are a helpful pirate.")
            #expect(top.contains("What is the capital of France?"))
            try tmux.press("End")
            try tmux.waitFor(text: "[stopped]")
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0, "second session")
            let unchanged = try SavedTranscript(files[0])
            #expect(unchanged.contents == saved.contents && unchanged.maxTokens == 96)
        }

        @Test func terminateMidAnswerRestoresTheTerminalAndSavesThenOpenReopens() throws {
            let tmux = try TmuxHarness()
            let folder = tmux.home.appendingPathComponent("my transcripts")
            try tmux.start(Self.modelArguments + ["--max-tokens", "400", "--transcripts", folder.path])
            try tmux.waitFor(text: "│ idle")
            try tmux.type("Tell me everything you know about the history of Rome.")
            try tmux.press("Enter")
            try tmux.waitFor("the answer to stream") { (Self.streamedTokens($0) ?? 0) >= 3 }
            kill(try tmux.pid(), SIGTERM)
            let status = try tmux.waitForExit()
            #expect(status == 143) // 128 + SIGTERM, after saving, as a shell expects (issue #10)
            #expect(!(try tmux.screen().contains("generating")), "the alternate screen should be gone")
            let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            let file = try #require(files.first { $0.pathExtension == "json" })
            let saved = try SavedTranscript(file)
            #expect(saved.roles == ["user", "assistant"] && saved.finishReasons.last == "cancelled")
            #expect(!(saved.contents.last ?? "").isEmpty)

            // `parley --open FILE` continues it directly, with its parameters.
            try tmux.start(Self.modelArguments + ["--open", file.path])
            let reopened = try tmux.waitFor(text: "[stopped]")
            #expect(reopened.contains("history of Rome") && reopened.contains("max 400 "))
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
        }

        @Test func missingModelIsAClearErrorBeforeTheScreenOpens() throws {
            let scratch = FileManager.default.temporaryDirectory
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_DATA_HOME"] = scratch.appendingPathComponent("parley-e2e-empty-\(UUID().uuidString)").path
            environment["PARLEY_MODEL"] = nil
            let explicit = try TmuxHarness.run(
                TmuxHarness.binary.path, ["-m", "/nonexistent/model.gguf"], environment: environment, scratch: scratch)
            #expect(explicit.status == 1)
            #expect(explicit.output.contains("model file not found: /nonexistent/model.gguf"))
            let none = try TmuxHarness.run(
                TmuxHarness.binary.path, ["chat"], environment: environment, scratch: scratch)
            #expect(none.status == 1 && none.output.contains("Scripts/setup.sh"))
        }
    }

    /// The fields of a transcript file the tests check, read with plain JSON (an independent reader).
    struct SavedTranscript {
        var systemPrompt: String?
        var roles: [String]
        var contents: [String]
        var finishReasons: [String?]
        var temperature: Double?
        var maxTokens: Int?

        init(_ url: URL) throws {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
            systemPrompt = object["system_prompt"] as? String
            let messages = object["messages"] as? [[String: Any]] ?? []
            roles = messages.map { $0["role"] as? String ?? "" }
            contents = messages.map { $0["content"] as? String ?? "" }
            finishReasons = messages.map { $0["finish_reason"] as? String }
            let parameters = object["parameters"] as? [String: Any] ?? [:]
            temperature = parameters["temperature"] as? Double
            maxTokens = parameters["max_tokens"] as? Int
        }
    }
#endif
