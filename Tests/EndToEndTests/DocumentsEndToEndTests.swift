// Linux only, like the harness.
#if canImport(Glibc)
    import Foundation
    import Testing
    import TestSupport

    /// Issue #17, acceptance: attaching the repository's README.md in the real chat, with the real
    /// model, through tmux.
    @Suite(.serialized, .requires(TmuxHarness.requirements))
    struct DocumentsEndToEndTests {
        @Test func attachTheReadmeAskForASummaryAndTheTranscriptKeepsIt() throws {
            let tmux = try TmuxHarness()
            let readme = TestPaths.repositoryFile("README.md")
            let text = try String(contentsOf: readme, encoding: .utf8)
            try tmux.start([
                "-m", TmuxHarness.model.path, "--threads", "2", "--ctx", "8192", "--temperature", "0",
                "--max-tokens", "24"
            ])
            try tmux.waitFor(text: "│ idle")

            // `/file` with Tab completing the name, then the input shows the file and its tokens.
            try tmux.type("/file " + readme.deletingLastPathComponent().path + "/READM")
            try tmux.press("Tab")
            try tmux.waitFor(text: "README.md")
            try tmux.press("Enter")
            let attached = try tmux.waitFor("the attachment line") {
                $0.range(of: #"\+ README\.md · [0-9,]+ tokens"#, options: .regularExpression) != nil
            }
            #expect(attached.contains("attached README.md"))

            // The question goes with the file; the answer streams after the long prompt is read.
            try tmux.type("Summarise this")
            try tmux.press("Enter")
            try tmux.waitFor("the answer to stream", timeout: .seconds(600)) {
                $0.range(of: #"generating \S \d+ tok"#, options: .regularExpression) != nil
            }
            try tmux.waitFor(text: "│ idle", timeout: .seconds(120))
            try tmux.press("C-q")
            #expect(try tmux.waitForExit() == 0)
            let after = try tmux.screen()

            let files = try tmux.savedTranscripts()
            try #require(files.count == 1)
            // Quitting printed the path; a long one wraps over rows and its start may scroll off
            // the pane, so its end is looked for in the rows joined.
            let joined = after.replacingOccurrences(of: "\n", with: "")
            #expect(joined.contains(String(files[0].lastPathComponent.suffix(16))), "\(after)")
            let saved = try SavedTranscript(files[0])
            #expect(saved.roles == ["user", "assistant"])
            #expect(saved.contents[0].hasPrefix("Attached file: README.md\n"))
            #expect(saved.contents[0].contains(text.trimmingCharacters(in: .newlines)))
            #expect(saved.contents[0].hasSuffix("\n\nSummarise this"))
            #expect(!saved.contents[1].isEmpty)
        }
    }
#endif
