import Chat
import TerminalUI

/// Switching models in the app (Ctrl+P): the picker, the switch (the conversation stays; the
/// next answer is rendered with the new model's template) and pulling a model not installed.
extension ChatUI {
    static func openModelPicker(_ state: inout AppState) -> [Effect] {
        state.overlay = .modelPicker(
            ModelPicker(
                current: state.model ?? state.modelSwitch?.previous,
                viewportHeight: OverlayGeometry.modelList(state.size).height))
        return [.models(.list)]
    }

    static func performModelPickerAction(_ action: Action, _ state: inout AppState) -> [Effect]? {
        guard case .modelPicker(var picker) = state.overlay else {
            switch action {
            case .modelUp, .modelDown, .modelPageUp, .modelPageDown, .modelChoose, .modelClose,
                .modelFilterBackspace, .modelClearFilter:
                return []
            default:
                return nil
            }
        }
        let page = max(1, picker.list.viewportHeight - 1)
        picker.problem = nil
        switch action {
        case .modelUp: picker.list.moveSelection(by: -1)
        case .modelDown: picker.list.moveSelection(by: 1)
        case .modelPageUp: picker.list.moveSelection(by: -page)
        case .modelPageDown: picker.list.moveSelection(by: page)
        case .modelFilterBackspace:
            if !picker.list.filter.isEmpty { picker.setFilter(String(picker.list.filter.dropLast())) }
        case .modelClearFilter: picker.setFilter("")
        case .modelClose:
            if picker.pull != nil {
                // Esc stops a pull first; the picker stays to show that it ended.
                picker.pull = ModelPullStatus(text: "cancelling the pull…")
                state.overlay = .modelPicker(picker)
                return [.models(.cancelPull)]
            }
            state.overlay = nil
            return []
        case .modelChoose:
            return choose(picker, &state)
        default:
            return nil
        }
        state.overlay = .modelPicker(picker)
        return []
    }

    private static func choose(_ picker: ModelPicker, _ state: inout AppState) -> [Effect] {
        var picker = picker
        switch picker.selectedRow {
        case nil:
            return [.bell]
        case .notice(let message):
            note(&state, message)
            return [.bell]
        case .pull(let reference):
            guard picker.pull == nil else { return [] }
            picker.pull = ModelPullStatus(text: "pulling \(reference)…")
            state.overlay = .modelPicker(picker)
            return [.models(.pull(reference))]
        case .model(let choice):
            if let problem = choice.problem {
                note(&state, "\(choice.name) cannot be loaded: \(problem)", isError: true)
                return [.bell]
            }
            if choice.matches(state.model) {
                state.overlay = nil
                note(&state, "already answering with \(choice.name)")
                return []
            }
            guard canSwitch(&state) else { return [] }
            state.overlay = nil
            return startSwitch(to: choice, &state)
        }
    }

    /// Switching waits for a loaded model and never cuts an answer: it says what to do instead.
    private static func canSwitch(_ state: inout AppState) -> Bool {
        if state.isAnswering {
            note(&state, "an answer is being written: stop it first (Esc), then switch", isError: true)
            return false
        }
        if state.model == nil {
            note(
                &state, state.modelSwitch.map { "still loading \($0.target.name)…" } ?? "the model is still loading…",
                isError: true)
            return false
        }
        return true
    }

    /// Loads `choice` off the UI thread; until it is ready nothing can be sent, and the old
    /// model comes back if it fails. The transcript keeps the last local model's reference.
    private static func startSwitch(to choice: ModelChoice, _ state: inout AppState) -> [Effect] {
        state.modelSwitch = ModelSwitch(target: choice, previous: state.model)
        if let reference = state.model?.reference { state.transcript.model = reference }
        state.model = nil
        state.activity = .loadingModel
        state.lastError = nil
        state.failure = nil
        note(&state, "loading \(choice.name) (\(choice.location))…")
        return [.models(.switchTo(choice))]
    }

    static func handleModelEvent(_ state: inout AppState, _ event: ModelEvent) -> [Effect] {
        switch event {
        case .listed(let local, let endpoints):
            updatePicker(&state) { $0.setListing(local: local, endpoints: endpoints) }
        case .endpointListed(let endpoint, let models):
            updatePicker(&state) { $0.setEndpoint(endpoint, .listed(models)) }
        case .endpointFailed(let endpoint, let message):
            updatePicker(&state) { $0.setEndpoint(endpoint, .failed(message)) }
        case .switched(let model):
            let target = state.modelSwitch?.target
            state.modelSwitch = nil
            let effects = modelReady(&state, model)
            if !model.isBaseModel { // a base model's warning matters more
                note(
                    &state,
                    "now answering with \(target?.name ?? model.fileName) (\(model.location ?? "local")); "
                        + "the conversation continues")
            }
            return effects
        case .switchFailed(let message):
            let previous = state.modelSwitch?.previous
            let name = state.modelSwitch?.target.name ?? "the model"
            state.modelSwitch = nil
            state.model = previous
            state.activity = previous == nil ? .loadingModel : .idle
            let kept = previous.map { "; still answering with \(displayName($0))" } ?? ""
            state.lastError = "cannot switch to \(name): \(message)\(kept)"
            note(&state, "switch failed\(kept)", isError: true)
        case .pullProgress(let status):
            updatePicker(&state) { if $0.pull != nil { $0.pull = status } }
        case .pulled(let choice):
            updatePicker(&state) { $0.pull = nil }
            note(&state, "pulled \(choice.name) into the models folder")
            guard case .modelPicker = state.overlay else { return [] }
            guard canSwitch(&state) else { return [.models(.list)] }
            state.overlay = nil
            return startSwitch(to: choice, &state)
        case .pullFailed(let message):
            updatePicker(&state) {
                $0.pull = nil
                $0.problem = message
            }
            note(&state, message, isError: true)
        }
        return []
    }

    private static func updatePicker(_ state: inout AppState, _ change: (inout ModelPicker) -> Void) {
        guard case .modelPicker(var picker) = state.overlay else { return }
        change(&picker)
        state.overlay = .modelPicker(picker)
    }

    private static func displayName(_ model: ModelSummary) -> String {
        model.location.map { "\(model.fileName) on \($0)" } ?? model.fileName
    }
}
