import Chat
import ChatApp
import Foundation
import TerminalUI
import TestSupport
import Testing

/// The model picker (Ctrl+P) as `update` and `view` see it: listing, the current model marked,
/// endpoint failures on their own rows, switching with the conversation kept, a failed load
/// keeping the old model, and pulling a model that is not installed.
struct ModelPickerTests {
    static let local = ModelChoice(
        place: .local(path: "/models/SmolLM2-135M-Instruct.Q4_1.gguf"),
        name: "SmolLM2-135M-Instruct.Q4_1", detail: "local · llama · 135M · Q4_1 · 82 MiB")
    static let other = ModelChoice(
        place: .local(path: "/models/stories260K.gguf"), name: "stories260K",
        detail: "local · llama · 292K · F32 · 1.1 MiB")
    static let gpu = ModelEndpoint(name: "gpu", host: "gpu-box:8000")
    static let dead = ModelEndpoint(name: "attic", host: "127.0.0.1:9")
    static let remote = ModelChoice(
        place: .remote(endpoint: "gpu", host: "gpu-box:8000", model: "meta-llama/Llama-3.3-70B"),
        name: "meta-llama/Llama-3.3-70B", detail: "gpu · gpu-box:8000")
    static let remoteSummary = ModelSummary(
        fileName: "meta-llama/Llama-3.3-70B", contextLength: 32768, location: "gpu-box:8000")

    /// A chat with one exchange and the picker open and filled.
    private func openPicker(width: Int = 100) -> AppState {
        var state = Fixture.state(width: width, height: 20, messages: Fixture.pairs(1))
        let effects = state.press(.ctrl("p"))
        #expect(effects == [.models(.list)])
        #expect(state.screen.text.contains("reading the models folder…"))
        state.apply(.models(.listed(local: [Self.local, Self.other], endpoints: [Self.gpu, Self.dead])))
        return state
    }

    @Test func listsLocalModelsAndEveryEndpointMarkingTheCurrentOne() {
        var state = openPicker()
        var screen = state.screen.text
        #expect(screen.contains("● SmolLM2-135M-Instruct.Q4_1"), "\(screen)")
        #expect(screen.contains("  stories260K") && screen.contains("local · llama · 292K · F32 · 1.1 MiB"))
        #expect(screen.contains("gpu: asking for its models…") && screen.contains("attic: asking for its models…"))
        state.apply(
            .models(.endpointListed(Self.gpu, models: [Self.remote])),
            .models(.endpointFailed(Self.dead, message: "cannot connect to 127.0.0.1:9: connection refused")))
        screen = state.screen.text
        #expect(screen.contains("  meta-llama/Llama-3.3-70B") && screen.contains("gpu · gpu-box:8000"), "\(screen)")
        #expect(screen.contains("attic: cannot connect to 127.0.0.1:9: connection refused"))
        // The failed endpoint's row says why and switches nothing.
        state.type("attic")
        let effects = state.press(.enter)
        #expect(effects == [.bell])
        #expect(state.model == Fixture.model)
        #expect(state.screen.text.contains("attic: cannot connect to 127.0.0.1:9"))
    }

    /// The whole picker as a text grid: filter, marked current model, a listed endpoint, a
    /// failed one, and the key hint.
    @Test func pickerScreen() {
        var state = openPicker(width: 90)
        state.apply(
            .models(.endpointListed(Self.gpu, models: [Self.remote])),
            .models(.endpointFailed(Self.dead, message: "cannot connect to 127.0.0.1:9: connection refused")))
        assertSnapshot(state.screen, named: "model-picker")
        state.type("owner/repo:Q8_0")
        _ = state.press(.enter)
        state.apply(
            .models(
                .pullProgress(
                    ModelPullStatus(
                        text: "repo-Q8_0.gguf 12 MiB of 40 MiB, 3 MiB/s, ETA 0:09",
                        fraction: 0.3))))
        assertSnapshot(state.screen, named: "model-picker-pulling")
    }

    @Test func switchingKeepsTheConversationAndTheStatusBarSaysWhereItRuns() throws {
        var state = openPicker()
        state.apply(.models(.endpointListed(Self.gpu, models: [Self.remote])))
        let before = state.conversation
        state.type("llama-3.3")
        let effects = state.press(.enter)
        #expect(effects == [.models(.switchTo(Self.remote))])
        #expect(state.overlay == nil && state.model == nil)
        #expect(state.modelSwitch?.target == Self.remote)
        #expect(state.notice?.text == "loading meta-llama/Llama-3.3-70B (gpu-box:8000)…")
        state.notice = nil
        #expect(state.screen.text.contains("→ meta-llama/Llama-3.3-70B") && state.screen.text.contains("loading model"))
        // Nothing can be sent while the new model loads.
        state.type("Hello")
        #expect(!state.press(.enter).contains { if case .send = $0 { return true } else { return false } })
        state.input.setText("")
        let loaded = state.apply(.models(.switched(Self.remoteSummary)))
        #expect(loaded == [.countTokens(state.conversation)])
        #expect(state.conversation == before, "the conversation is kept")
        #expect(state.notice?.text.hasPrefix("now answering with meta-llama/Llama-3.3-70B (gpu-box:8000)") == true)
        state.notice = nil
        let status = state.screen.text
        #expect(status.contains("meta-llama/Llama-3.3-70B @ gpu-box:8000") && status.contains("idle"), "\(status)")

        // The next answer is sent with the whole conversation and records the remote backend.
        state.type("And now?")
        let sent = state.press(.enter)
        guard case .send(let conversation, _)? = sent.first else {
            Issue.record("no send: \(sent)")
            return
        }
        #expect(conversation.messages.count == before.messages.count + 1)
        var completion = Fixture.completion("Remote answer", .stop)
        completion.backend = .remote(host: "gpu-box:8000", model: "meta-llama/Llama-3.3-70B")
        state.apply(.session(.finished(completion)))
        let records = state.conversation.messages.compactMap(\.record)
        #expect(records.map(\.backend) == [nil, .remote(host: "gpu-box:8000", model: "meta-llama/Llama-3.3-70B")])
        // With speed and gauges to show, where the model runs still fits (it outranks them).
        state.notice = nil
        #expect(state.screen.text.contains("meta-llama/Llama-3.3-70B @ gpu-box:8000"), "\(state.screen.text)")
    }

    @Test func aFailedLoadKeepsTheOldModelAndSaysWhy() {
        var state = openPicker()
        state.type("stories")
        #expect(state.press(.enter) == [.models(.switchTo(Self.other))])
        state.apply(.models(.switchFailed("stories260K.gguf: not a GGUF file")))
        #expect(state.model == Fixture.model && state.activity == .idle)
        let screen = state.screen.text
        #expect(screen.contains("error: cannot switch to stories260K: stories260K.gguf: not a GGUF"), "\(screen)")
        #expect(
            state.lastError == "cannot switch to stories260K: stories260K.gguf: not a GGUF file; "
                + "still answering with SmolLM2-135M-Instruct.Q4_1.gguf")
        state.type("Still there?")
        #expect(state.press(.enter).contains { if case .send = $0 { return true } else { return false } })
    }

    @Test func switchingIsRefusedWhileAnAnswerStreams() {
        var state = Fixture.state(width: 100, height: 20)
        state.type("Hi")
        state.press(.enter)
        state.apply(.session(.delta(AnswerDelta(text: "Hel"))))
        state.press(.ctrl("p"))
        state.apply(.models(.listed(local: [Self.local, Self.other], endpoints: [])))
        state.type("stories")
        let effects = state.press(.enter)
        #expect(effects.isEmpty && state.model == Fixture.model && state.isAnswering)
        #expect(state.notice?.text.contains("stop it first (Esc), then switch") == true)
    }

    @Test func choosingTheCurrentModelOrAnUnreadableOneChangesNothing() {
        var state = openPicker()
        #expect(state.press(.enter).isEmpty)
        #expect(state.overlay == nil && state.model == Fixture.model)
        #expect(state.notice?.text == "already answering with SmolLM2-135M-Instruct.Q4_1")
        state.press(.ctrl("p"))
        var broken = Self.other
        broken.problem = "bad magic"
        state.apply(.models(.listed(local: [Self.local, broken], endpoints: [])))
        state.press(.down)
        #expect(state.press(.enter) == [.bell])
        #expect(state.notice?.text == "stories260K cannot be loaded: bad magic")
    }

    @Test func aTypedReferencePullsWithProgressAndEscCancels() throws {
        var state = openPicker()
        state.type("bartowski/SmolLM2-360M-Instruct-GGUF:Q8_0")
        #expect(state.screen.text.contains("pull bartowski/SmolLM2-360M-Instruct-GGUF:Q8_0"), "\(state.screen.text)")
        #expect(state.press(.enter) == [.models(.pull("bartowski/SmolLM2-360M-Instruct-GGUF:Q8_0"))])
        state.apply(
            .models(
                .pullProgress(
                    ModelPullStatus(text: "SmolLM2-360M-Instruct-Q8_0.gguf 174 MiB of 386 MiB", fraction: 0.45))))
        var screen = state.screen.text
        #expect(
            screen.contains("[#########           ] 45% SmolLM2-360M-Instruct-Q8_0.gguf 174 MiB of 386 MiB"),
            "\(screen)")
        #expect(screen.contains("Esc cancels the pull"))
        // Keys other than Esc leave the pull alone; Esc asks to cancel, and the picker stays.
        #expect(state.press(.enter).isEmpty)
        #expect(state.press(.escape) == [.models(.cancelPull)])
        #expect(state.overlay != nil)
        state.apply(.models(.pullFailed("pull bartowski/SmolLM2-360M-Instruct-GGUF:Q8_0: cancelled; 174 MiB kept")))
        screen = state.screen.text
        #expect(screen.contains("cancelled; 174 MiB kept") && !screen.contains("Esc cancels the pull"), "\(screen)")
        #expect(state.press(.escape).isEmpty && state.overlay == nil)
    }

    @Test func aFinishedPullSwitchesToTheNewModel() {
        var state = openPicker()
        state.type("owner/repo")
        #expect(state.press(.enter) == [.models(.pull("owner/repo"))])
        let pulled = ModelChoice(place: .local(path: "/models/repo-Q4_K_M.gguf"), name: "repo-Q4_K_M", detail: "local")
        #expect(state.apply(.models(.pulled(pulled))) == [.models(.switchTo(pulled))])
        #expect(state.overlay == nil && state.modelSwitch?.target == pulled)
    }

    @Test func textThatIsNotAReferenceOffersNoPull() {
        var state = openPicker()
        state.type("smol lm")
        #expect(!state.screen.text.contains("pull smol"))
        state.press(.ctrl("u"))
        state.type("justaname")
        #expect(!state.screen.text.contains("pull justaname"))
        #expect(state.screen.text.contains("(nothing matches; type owner/repo[:QUANT] to pull a model)"))
    }

    @Test func theHelpListsThePickerKey() {
        var state = Fixture.state(width: 100, height: 60)
        state.press(.function(1))
        let help = state.screen.text
        #expect(help.contains("Ctrl+P") && help.contains("switch models"), "\(help)")
        #expect(KeyBindings.markdownTable().contains("| Model picker (Ctrl+P) | `Enter` |"))
    }
}
