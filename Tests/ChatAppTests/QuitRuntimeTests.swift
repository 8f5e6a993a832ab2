import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// The runtime loop with files for real: a save that fails on quitting asks first, a signal
/// rescues the conversation, and a transcript another Parley holds is not opened.
struct QuitRuntimeTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-quit-\(UUID().uuidString)")

    /// `/proc` refuses new files even for root (tests may run as root, where chmod does not bind).
    static let unwritable = TranscriptStore(directory: URL(fileURLWithPath: "/proc/parley-quit-test"))

    func run(_ steps: [ScriptedTerminal.Step], store: TranscriptStore) -> (ScriptedTerminal, Runtime.Outcome) {
        let terminal = ScriptedTerminal(steps: steps)
        let state = AppState(size: terminal.size, transcriptID: "quit-test", created: Fixture.created, randomSeed: 9)
        let runtime = Runtime(
            terminal: terminal, state: state, loader: SimulatedBackend.loader(SimulatedBackend()), store: store,
            configURL: nil)
        runtime.rescueDirectory = folder.appendingPathComponent("rescued")
        return (terminal, runtime.run())
    }

    @Test func ctrlQAfterAFailedSaveAsksAndQuitsOnlyWhenTold() {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (terminal, outcome) = run(
            [
                .when("idle", .paste("Hello")), .key(.enter),
                .key(.ctrl("q"), when: "You said: Hello"),
                .key(.character("q"), when: "r  try again")
            ], store: Self.unwritable)
        #expect(terminal.timedOutWaitingFor == nil)
        #expect(outcome.signal == nil)
        #expect(outcome.report.count == 1)
        #expect(outcome.report.first?.contains("not saved") == true)
        #expect(outcome.report.first?.contains("/proc/parley-quit-test") == true)
    }

    @Test(arguments: [TerminalSignal.terminate, .hangup])
    func aSignalAfterAFailedSaveRescuesTheConversation(_ signal: TerminalSignal) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (terminal, outcome) = run(
            [
                .when("idle", .paste("Hello")), .key(.enter),
                .when("You said: Hello", .signal(signal))
            ], store: Self.unwritable)
        #expect(terminal.timedOutWaitingFor == nil)
        #expect(outcome.signal == signal.rawValue)
        let rescued = folder.appendingPathComponent("rescued/quit-test.json")
        let saved = try TranscriptStore(directory: folder).load(rescued)
        #expect(saved.conversation.messages.map(\.content) == ["Hello", "You said: Hello"])
        #expect(outcome.report.contains { $0.contains("/proc/parley-quit-test") })
        #expect(outcome.report.contains("the conversation was written to \(rescued.path) instead"))
    }

    @Test func aTranscriptAnotherParleyHoldsIsNotOpened() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = TranscriptStore(directory: folder.appendingPathComponent("transcripts"))
        let busy = Transcript(
            id: "busy", title: "Busy elsewhere", created: Fixture.created,
            conversation: Conversation(messages: Fixture.pairs(1)))
        let url = try store.save(busy)
        let held = try TranscriptLock.acquire(url)
        #expect(held != nil)
        let (terminal, _) = run(
            [
                .key(.ctrl("o"), when: "idle"), .key(.enter, when: "Busy elsewhere"),
                .key(.ctrl("q"), when: "error: another Parley (process \(getpid())) is using")
            ], store: store)
        #expect(terminal.timedOutWaitingFor == nil)
        #expect(!terminal.screenText.contains("Answer 0"))
        withExtendedLifetime(held) {}
    }
}
