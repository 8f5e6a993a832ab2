import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// Alternatives through the real runtime loop (threads, mailbox, effects, files) with the
/// simulated model answering `n = 2` with token probabilities.
struct RuntimeAlternativesTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "parley-runtime-alt-\(UUID().uuidString)")

    @Test func twoAlternativesAreFlippedInspectedAndSaved() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = TranscriptStore(directory: folder.appendingPathComponent("transcripts"))
        let terminal = ScriptedTerminal(steps: [
            .when("idle", .paste("Hello")), .key(.enter),
            .key(.alt("."), when: "‹ 1/2 ›"),
            .key(.alt("m"), when: "(2) You said: Hello"),
            .key(.escape, when: " tokens, "),
            .key(.alt("i"), when: "idle"),
            .key(.escape, when: "Most likely tokens"),
            .key(.ctrl("q"), when: "idle")
        ])
        var parameters = SamplingParameters.defaults
        parameters.n = 2
        parameters.logprobs = true
        parameters.topLogprobs = 3
        let state = AppState(
            size: terminal.size, conversation: Conversation(parameters: parameters),
            transcriptID: "alternatives", created: Fixture.created, randomSeed: 9)
        let runtime = Runtime(
            terminal: terminal, state: state, loader: SimulatedBackend.loader(SimulatedBackend()),
            store: store, configURL: folder.appendingPathComponent("config.json"))
        let outcome = runtime.run()
        #expect(terminal.timedOutWaitingFor == nil && outcome.error == nil)
        let saved = try store.load(store.directory.appendingPathComponent("alternatives.json"))
        let answer = try #require(saved.conversation.messages.last)
        #expect(answer.answers.map(\.content) == ["You said: Hello", "(2) You said: Hello"])
        #expect(answer.chosen == 1 && answer.content == "(2) You said: Hello")
        #expect(answer.answers.allSatisfy { $0.logprobs?.map(\.token).joined() == $0.content })
        #expect(answer.answers.allSatisfy { $0.logprobs?.allSatisfy { $0.topLogprobs.count == 3 } == true })
    }
}
