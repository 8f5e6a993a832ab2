import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// Stands in for the executable's directory: two backends ("alpha" local, "beta" on an
/// endpoint), a dead endpoint, a local file that does not load, and a pull that runs until
/// it is cancelled.
private final class FakeDirectory: ModelDirectory, @unchecked Sendable {
    static let alphaChoice = ModelChoice(
        place: .local(path: "/models/alpha.gguf"), name: "alpha", detail: "local · 1 MiB")
    static let brokenChoice = ModelChoice(
        place: .local(path: "/models/broken.gguf"), name: "broken", detail: "local · 1 KiB")
    static let betaChoice = ModelChoice(
        place: .remote(endpoint: "box", host: "127.0.0.1:8080", model: "beta-model"),
        name: "beta-model", detail: "box · 127.0.0.1:8080")
    static let alphaReference = BackendReference.local(model: "alpha.gguf", sha256: "aa")
    static let betaReference = BackendReference.remote(host: "127.0.0.1:8080", model: "beta-model")

    let alpha = SimulatedBackend(backend: alphaReference) { "alpha says: " + ($0.messages.last?.content ?? "") }
    let beta = SimulatedBackend(backend: betaReference) { "beta says: " + ($0.messages.last?.content ?? "") }
    private let lock = NSLock()
    private var pullWasCancelled = false

    var cancelledPull: Bool { lock.withLock { pullWasCancelled } }

    let endpoints = [
        ModelEndpoint(name: "box", host: "127.0.0.1:8080"), ModelEndpoint(name: "dead", host: "127.0.0.1:9")
    ]

    func localModels() -> [ModelChoice] { [Self.alphaChoice, Self.brokenChoice] }

    func remoteModels(of endpoint: ModelEndpoint) throws(ChatAppError) -> [ModelChoice] {
        guard endpoint.name == "box" else { throw .model("cannot connect to 127.0.0.1:9: connection refused") }
        return [Self.betaChoice]
    }

    func loader(for choice: ModelChoice) -> BackendLoader {
        let (alpha, beta) = (self.alpha, self.beta)
        switch choice.name {
        case "alpha": return { (alpha, ModelSummary(fileName: "alpha.gguf", contextLength: 2048)) }
        case "beta-model":
            return { (beta, ModelSummary(fileName: "beta-model", contextLength: 32768, location: "127.0.0.1:8080")) }
        default: return { throw ChatAppError.model("broken.gguf: not a GGUF file") }
        }
    }

    func pull(_ reference: String, report: @escaping @Sendable (ModelPullStatus) -> Void) async throws(ChatAppError)
        -> ModelChoice
    {
        var step = 0
        while !Task.isCancelled {
            step += 1
            report(ModelPullStatus(text: "repo.gguf \(step) KiB of 1000 KiB", fraction: min(1, Double(step) / 1000)))
            try? await Task.sleep(for: .milliseconds(5))
        }
        lock.withLock { pullWasCancelled = true }
        throw .model("pull \(reference): cancelled, \(step) KiB kept for the next pull")
    }
}

/// Switching models through the real runtime loop: the picker's listing arrives from other
/// threads, the new backend loads off the UI thread, and the transcript on disk records which
/// backend wrote each answer.
struct RuntimeModelSwitchTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-switch-\(UUID().uuidString)")
    var store: TranscriptStore { TranscriptStore(directory: folder.appendingPathComponent("transcripts")) }

    /// Runs the app on its own thread while the test awaits, so the test holds no thread of the
    /// concurrency pool: the directory's pull runs there, and on a 2-core machine two blocked
    /// tests would starve it.
    private func run(_ steps: [ScriptedTerminal.Step], directory: FakeDirectory) async -> (
        ScriptedTerminal, Runtime.Outcome?
    ) {
        let job = Job(steps: steps, directory: directory, store: store)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                job.run()
                done.resume()
            }
        }
        return (job.terminal, job.outcome)
    }

    @Test func switchToARemoteModelAndBackKeepsOneConversation() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = FakeDirectory()
        let (terminal, outcome) = await run(
            [
                .when("idle", .paste("Hi")), .key(.enter),
                .key(.ctrl("p"), when: "alpha says: Hi"),
                .when("dead: cannot connect to 127.0.0.1:9", .paste("beta")), .key(.enter),
                .when("beta-model @ 127.0.0.1:8080", .paste("Again")), .key(.enter),
                .key(.ctrl("p"), when: "beta says: Again"),
                .when("box · 127.0.0.1:8080", .paste("alpha")), .key(.enter),
                .when("now answering with alpha", .paste("Third")), .key(.enter),
                .key(.ctrl("q"), when: "alpha says: Third")
            ], directory: directory)
        #expect(terminal.timedOutWaitingFor == nil, "\(terminal.screenText)")
        #expect(outcome != nil && outcome?.error == nil)
        // beta received the whole conversation so far, not a fresh one.
        #expect(directory.beta.conversations.first?.messages.map(\.content) == ["Hi", "alpha says: Hi", "Again"])
        let file = store.directory.appendingPathComponent("switch-test.json")
        let saved = try store.load(file)
        let answers = saved.conversation.messages.filter { $0.role == .assistant }
        #expect(answers.map(\.content) == ["alpha says: Hi", "beta says: Again", "alpha says: Third"])
        #expect(
            answers.map { $0.record?.backend } == [
                FakeDirectory.alphaReference, FakeDirectory.betaReference,
                FakeDirectory.alphaReference
            ])
        // The KV cache went with the switch: alpha saved it, beta was offered it, alpha shut down.
        let cache = PromptCache.url(for: file).lastPathComponent
        #expect(directory.alpha.lifecycleCalls.prefix(2) == ["save " + cache, "shut down"])
        #expect(directory.beta.lifecycleCalls.first == "restore " + cache)
    }

    @Test func aModelThatFailsToLoadLeavesTheOldOneAnswering() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = FakeDirectory()
        let (terminal, outcome) = await run(
            [
                .key(.ctrl("p"), when: "idle"),
                .when("broken", .paste("broken")), .key(.enter),
                .when("cannot switch to broken: broken.gguf: not a GGUF file", .paste("Still there?")), .key(.enter),
                .key(.ctrl("q"), when: "alpha says: Still there?")
            ], directory: directory)
        #expect(terminal.timedOutWaitingFor == nil, "\(terminal.screenText)")
        #expect(outcome != nil && outcome?.error == nil)
        // The old backend was shut down once, by quitting, not by the failed switch.
        #expect(directory.alpha.lifecycleCalls.filter { $0 == "shut down" }.count == 1)
        #expect(directory.beta.lifecycleCalls.isEmpty)
    }

    @Test func escapeCancelsAPullAndTheAppStaysResponsive() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = FakeDirectory()
        let (terminal, outcome) = await run(
            [
                .key(.ctrl("p"), when: "idle"),
                .when("alpha", .paste("owner/repo:Q8_0")), .key(.enter),
                .key(.escape, when: "KiB of 1000 KiB"),
                .key(.escape, when: "KiB kept for the next pull"),
                .when("idle", .paste("After the pull")), .key(.enter),
                .key(.ctrl("q"), when: "alpha says: After the pull")
            ], directory: directory)
        #expect(terminal.timedOutWaitingFor == nil, "\(terminal.screenText)")
        #expect(outcome != nil && outcome?.error == nil && directory.cancelledPull)
    }
}

/// One app run handed to a thread of its own (see `RuntimeModelSwitchTests.run`).
private final class Job: @unchecked Sendable {
    let terminal: ScriptedTerminal
    let directory: FakeDirectory
    let store: TranscriptStore
    var outcome: Runtime.Outcome?

    init(steps: [ScriptedTerminal.Step], directory: FakeDirectory, store: TranscriptStore) {
        terminal = ScriptedTerminal(size: TerminalSize(width: 100, height: 24), steps: steps)
        self.directory = directory
        self.store = store
    }

    func run() {
        let state = AppState(size: terminal.size, transcriptID: "switch-test", created: Fixture.created, randomSeed: 3)
        let runtime = Runtime(
            terminal: terminal, state: state, loader: directory.loader(for: FakeDirectory.alphaChoice),
            store: store, configURL: nil)
        runtime.modelDirectory = directory
        outcome = runtime.run()
    }
}
