import Chat
import Foundation
import TerminalUI

/// The chat app's pure core: `update` turns an event into a new state and effects, `view`
/// turns a state into a screen. Neither touches the terminal, the model or the clock.
public enum ChatUI {
    /// How long status-bar notices stay.
    static let noticeDuration: Duration = .seconds(4)
    /// How long a first Ctrl+C waits for a second one.
    static let quitWindow: Duration = .seconds(3)

    /// Applies `event` to `state` and returns the side effects to perform, in order.
    public static func update(_ state: inout AppState, _ event: AppEvent) -> [Effect] {
        switch event {
        case .input(let input):
            return handleInput(&state, input)
        case .session(let event):
            return handleSession(&state, event)
        case .tick(let now, let wallClock):
            handleTick(&state, now: now, wallClock: wallClock)
            return []
        case .modelLoaded(let model):
            return modelReady(&state, model)
        case .models(let event):
            return handleModelEvent(&state, event)
        case .modelFailed(let message):
            state.fatalError = message
            return quit(&state)
        case .promptTokens(let count, let conversation):
            if state.answer == nil && conversation == state.conversation { state.contextUsed = count }
            return []
        case .transcriptsListed(let summaries, let problems):
            showListing(&state, summaries, problems: problems)
            return searchIfFilterChanged(&state)
        case .transcriptOpened(let transcript, let url):
            state.open(transcript, url: url)
            state.undo = nil
            note(&state, "opened “\(transcript.title)”")
            return [.countTokens(state.conversation)]
        case .transcriptFailed(let message):
            // Kept in the status bar (cut to fit) until the next action: a notice too long for
            // the bar (a path, "another Parley is using…") would not show at all.
            state.lastError = message
            return []
        case .deleteFailed(let message), .configFailed(let message):
            note(&state, message, isError: true)
            return []
        case .transcriptSaved(let id, let url):
            if id == state.transcript.id { state.transcript.url = url }
            return saveSucceeded(&state)
        case .saveFailed(let message):
            return saveFailed(&state, message)
        case .promptPreviewed(let preview, let conversation):
            showPromptPreview(&state, .success(preview), for: conversation)
            return []
        case .promptPreviewFailed(let message, let conversation):
            showPromptPreview(&state, .failure(PromptPreviewProblem(message: message)), for: conversation)
            return []
        case .attachmentRead(let attachment, let tokens):
            attachmentRead(attachment, tokens: tokens, &state)
            return []
        case .attachmentFailed(let message), .exportFailed(let message):
            note(&state, message, isError: true)
            return []
        case .pathCompletions(let typed, let candidates):
            applyPathCompletions(typed, candidates, &state)
            return []
        case .exported(let url):
            note(&state, "exported to \(url.path)")
            return []
        case .transcriptsSearched(let query, let hits, let done):
            showSearchHits(&state, query: query, hits: hits, done: done)
            return []
        case .copied(let how):
            copied(how: how, &state)
            return []
        case .copyFailed(let reason):
            note(&state, "not copied: \(reason)", isError: true)
            return []
        case .transcriptDeleted(let url):
            if url == state.transcript.url { state.transcript.url = nil }
            note(&state, "deleted")
            return [.listTranscripts]
        }
    }

    /// A model is loaded (at start or after a switch): it answers from now on.
    static func modelReady(_ state: inout AppState, _ model: ModelSummary) -> [Effect] {
        state.model = model
        if state.activity == .loadingModel { state.activity = .idle }
        if state.conversation.parameters.maxTokens > model.contextLength {
            state.conversation.parameters.maxTokens = model.contextLength
            note(&state, "max tokens lowered to \(model.contextLength) to fit the context window")
        }
        if model.isBaseModel {
            note(
                &state,
                "\(model.fileName) has no chat template: a base model continues text rather than "
                    + "answering (answers use ChatML; `parley run --raw` continues a text)")
        }
        return [.countTokens(state.conversation)]
    }

    /// Shows `text` in the status bar for a few seconds.
    static func note(_ state: inout AppState, _ text: String, isError: Bool = false) {
        state.notice = Notice(text: text, isError: isError, expires: state.now.value + noticeDuration)
    }

    private static func handleTick(_ state: inout AppState, now: Duration, wallClock: Date) {
        state.now = Untracked(now)
        state.wallClock = Untracked(wallClock)
        if let notice = state.notice, now >= notice.expires { state.notice = nil }
        if let until = state.quitArmedUntil, now >= until { state.quitArmedUntil = nil }
        switch state.activity {
        case .loadingModel, .thinking, .generating, .stopping:
            state.spinnerFrame = Int(now / .milliseconds(100)) % StatusBar.spinner.count
        case .idle:
            break
        }
    }

    private static func handleInput(_ state: inout AppState, _ input: InputEvent) -> [Effect] {
        switch input {
        case .resize(let size):
            resize(&state, to: size)
            return []
        case .signal(.interrupt):
            return perform(.interrupt, trigger: .key(.ctrl("c")), &state)
        case .signal(let signal):
            return quit(&state, signal: signal)
        case .paste(let text):
            paste(text, into: &state)
            return searchIfFilterChanged(&state)
        case .mouse(let mouse):
            return dispatch(mouse.kind == .wheelUp ? .wheelUp : .wheelDown, &state)
        case .key(let key):
            return dispatch(.key(key), &state)
        }
    }

    /// Looks the trigger up in the key-binding table for the current screen and performs it;
    /// unbound printable keys are typed into whatever takes text.
    static func dispatch(_ trigger: Trigger, _ state: inout AppState) -> [Effect] {
        return dispatchAction(trigger, &state) + searchIfFilterChanged(&state)
    }

    private static func dispatchAction(_ trigger: Trigger, _ state: inout AppState) -> [Effect] {
        let action = KeyBindings.action(for: trigger, in: contexts(for: state), table: state.bindings) {
            holds($0, state)
        }
        if action != .interrupt && state.quitArmedUntil != nil {
            state.quitArmedUntil = nil
            state.notice = nil
        }
        if let action { return perform(action, trigger: trigger, &state) }
        if case .key(let key) = trigger { typeUnbound(key, into: &state) }
        return []
    }

    /// The binding contexts the current screen consults, in order.
    static func contexts(for state: AppState) -> [BindingContext] {
        switch state.overlay {
        case nil: return [.global, .chat, .editing]
        case .help: return [.global, .help]
        case .systemPrompt: return [.global, .systemPrompt, .editing]
        case .parameters: return [.global, .parameters]
        case .browser: return [.global, .browser]
        case .confirmDelete: return [.global, .confirm]
        case .unsaved(let prompt): return prompt.path == nil ? [.global, .unsaved] : [.global, .savePath, .editing]
        case .tokenInspector: return [.global, .tokenInspector]
        case .promptInspector: return [.global, .promptInspector]
        case .copyPicker: return [.global, .copyPicker]
        case .modelPicker: return [.global, .modelPicker]
        }
    }

    static func holds(_ condition: BindingCondition, _ state: AppState) -> Bool {
        switch condition {
        case .always: return true
        case .inputEmpty: return state.input.isEmpty
        case .noInputButAttachments: return state.input.isEmpty && !state.attachments.isEmpty
        case .notEditingValue:
            if case .parameters(let panel) = state.overlay { return !panel.form.isEditing }
            return true
        }
    }

    /// Performs one action of the key-binding table.
    static func perform(_ action: Action, trigger: Trigger, _ state: inout AppState) -> [Effect] {
        if let effects = performChatAction(action, trigger: trigger, &state) { return effects }
        if performEditingAction(action, &state) { return [] }
        if let effects = performOverlayAction(action, &state) { return effects }
        if let effects = performParameterAction(action, &state) { return effects }
        if let effects = performBrowserAction(action, &state) { return effects }
        if let effects = performUnsavedAction(action, &state) { return effects }
        if let effects = performInspectionAction(action, &state) { return effects }
        if let effects = performCopyAction(action, &state) { return effects }
        if let effects = performModelPickerAction(action, &state) { return effects }
        return []
    }
}
