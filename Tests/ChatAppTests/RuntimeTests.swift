import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// A terminal that plays each event once the screen shows what the step waits for, so tests
/// follow the app's real threads without fixed sleeps. Every frame drawn since the previous
/// step counts, not only the latest: a message that shows briefly (a cancelled pull's, replaced
/// by the next redraw on a busy machine) is not missed between two polls. A generous deadline
/// only guards against a hang: when it passes, the terminal quits the app and records the failure.
final class ScriptedTerminal: Terminal {
    struct Step {
        var waitFor: String?
        var event: InputEvent
    }

    var size: TerminalSize
    private var steps: [Step]
    private(set) var drawn: [ScreenGrid] = []
    private(set) var clipboard: [String] = []
    private(set) var timedOutWaitingFor: String?
    private let deadline = ContinuousClock.now + .seconds(30)
    /// The first frame the waiting step has not looked at yet. Frames are drawn on the thread
    /// that polls, after it handled the previous step's event, so each reflects that event.
    private var unseen = 0

    init(size: TerminalSize = TerminalSize(width: 80, height: 24), steps: [Step]) {
        self.size = size
        self.steps = steps
    }

    var screenText: String { drawn.last?.text ?? "" }

    func draw(_ grid: ScreenGrid) { drawn.append(grid) }
    func setCursor(_ position: GridPosition?) {}
    func setClipboard(_ text: String) { clipboard.append(text) }
    func bell() {}
    func shutdown() {}

    func nextEvent(timeout: Duration?) -> InputEvent? {
        guard let step = steps.first else { return nil }
        let shown = step.waitFor.map { text in drawn[unseen...].contains { $0.text.contains(text) } } ?? true
        unseen = drawn.count
        if shown {
            steps.removeFirst()
            return step.event
        }
        if ContinuousClock.now > deadline {
            timedOutWaitingFor = step.waitFor
            steps = []
            return .key(.ctrl("q"))
        }
        Thread.sleep(forTimeInterval: 0.002)
        return nil
    }
}

extension ScriptedTerminal.Step {
    static func when(_ text: String?, _ event: InputEvent) -> Self { Self(waitFor: text, event: event) }
    static func key(_ key: KeyEvent, when text: String? = nil) -> Self { Self(waitFor: text, event: .key(key)) }
}

/// The runtime loop with a simulated model: threads, mailbox, effects and files for real.
struct RuntimeTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-runtime-\(UUID().uuidString)")
    var store: TranscriptStore { TranscriptStore(directory: folder.appendingPathComponent("transcripts")) }
    var configURL: URL { folder.appendingPathComponent("config/parley/config.json") }

    func run(
        _ steps: [ScriptedTerminal.Step], backend: SimulatedBackend = SimulatedBackend(),
        loader: BackendLoader? = nil, state: AppState? = nil
    ) -> (ScriptedTerminal, Runtime.Outcome) {
        let terminal = ScriptedTerminal(steps: steps)
        let initial =
            state
            ?? AppState(
                size: terminal.size, transcriptID: "runtime-test", created: Fixture.created, randomSeed: 9)
        let runtime = Runtime(
            terminal: terminal, state: initial, loader: loader ?? SimulatedBackend.loader(backend), store: store,
            configURL: configURL)
        // A terminal with OSC 52, whatever terminal (or none) runs the tests.
        runtime.clipboard = Clipboard(environment: ["TERM": "xterm-256color", "PATH": ""])
        let outcome = runtime.run()
        return (terminal, outcome)
    }

    @Test func answersAreStreamedAndAutosaved() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let backend = SimulatedBackend()
        let (terminal, outcome) = run(
            [
                .when("idle", .paste("Hello there")), .key(.enter),
                .key(.alt("c"), when: "You said: Hello there"), .key(.function(9), when: "idle"),
                .key(.ctrl("q"), when: "theme: mono")
            ], backend: backend)
        #expect(terminal.timedOutWaitingFor == nil && outcome.error == nil)
        #expect(terminal.clipboard == ["You said: Hello there"])
        let saved = try store.load(store.directory.appendingPathComponent("runtime-test.json"))
        #expect(saved.conversation.messages.map(\.content) == ["Hello there", "You said: Hello there"])
        #expect(saved.title == "Hello there" && saved.model == nil)
        #expect(backend.conversations.count == 1)
        #expect(try AppConfig.load(from: configURL).theme == "mono")
        // Quitting saves the KV cache beside the autosaved transcript, once.
        let cache = PromptCache.url(for: store.directory.appendingPathComponent("runtime-test.json"))
        #expect(backend.promptCacheCalls == ["save " + cache.lastPathComponent])
        // The backend is shut down first, so a slow template render cannot hold up the save.
        #expect(backend.lifecycleCalls == ["shut down", "save " + cache.lastPathComponent])
    }

    @Test func terminateMidAnswerSavesThePartialAnswer() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let backend = SimulatedBackend(delay: .milliseconds(5), pieceLength: 2) { _ in
            String(repeating: "word ", count: 2000)
        }
        let (terminal, _) = run(
            [
                .when("idle", .paste("Go")), .key(.enter), .when("generating", .signal(.terminate))
            ], backend: backend)
        #expect(terminal.timedOutWaitingFor == nil)
        let saved = try store.load(store.directory.appendingPathComponent("runtime-test.json"))
        let answer = try #require(saved.conversation.messages.last)
        #expect(answer.record?.finishReason == .cancelled && answer.content.hasPrefix("wo"))
    }

    @Test func escapeStopsTheAnswerOnScreen() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let backend = SimulatedBackend(delay: .milliseconds(5), pieceLength: 2) { _ in
            String(repeating: "word ", count: 2000)
        }
        let (terminal, _) = run(
            [
                .when("idle", .paste("Go")), .key(.enter), .key(.escape, when: "generating"),
                .key(.ctrl("q"), when: "[stopped]")
            ], backend: backend)
        #expect(terminal.timedOutWaitingFor == nil)
        #expect(terminal.screenText.contains("[stopped]"))
    }

    @Test func aModelThatFailsToLoadEndsWithItsError() {
        struct Broken: Error, CustomStringConvertible { var description = "cannot load model x.gguf: bad magic" }
        let (terminal, outcome) = run([], loader: { throw Broken() })
        #expect(outcome.error == "cannot load model x.gguf: bad magic")
        #expect(terminal.drawn.first?.text.contains("loading model") == true)
    }

    @Test func savedConversationsReopenFromTheBrowser() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var parameters = SamplingParameters.defaults
        parameters.temperature = 0.2
        let earlier = Transcript(
            id: "earlier", title: "Ask about owls", created: Fixture.created,
            conversation: Conversation(systemPrompt: "Be brief.", messages: Fixture.pairs(3), parameters: parameters))
        try store.save(earlier)
        let backend = SimulatedBackend()
        let (terminal, _) = run(
            [
                .key(.ctrl("o"), when: "idle"), .key(.enter, when: "Ask about owls"),
                .key(.ctrl("q"), when: "Answer 2 is")
            ], backend: backend)
        #expect(terminal.timedOutWaitingFor == nil)
        #expect(terminal.screenText.contains("temp 0.2"))
        // Opening restores the transcript's saved KV cache; quitting saves it again.
        let cache = PromptCache.url(for: store.directory.appendingPathComponent("earlier.json")).lastPathComponent
        #expect(backend.promptCacheCalls == ["restore " + cache, "save " + cache])
    }
}
