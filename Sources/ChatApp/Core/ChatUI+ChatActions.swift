import Chat
import TerminalUI

/// The chat screen's actions: sending, stopping, quitting, hot keys, conversation actions.
extension ChatUI {
    /// Performs `action` if it is a chat-screen or global action; nil otherwise.
    static func performChatAction(_ action: Action, trigger: Trigger, _ state: inout AppState) -> [Effect]? {
        switch action {
        case .quit: return quit(&state)
        case .interrupt: return interrupt(&state)
        case .send: return send(&state)
        case .stop: return !state.isAnswering && state.undo?.escapeUndoes == true ? performUndo(&state) : stop(&state)
        case .undo: return performUndo(&state)
        case .showHelp:
            state.overlay = .help(scroll: 0)
        case .editSystemPrompt:
            let area = OverlayGeometry.systemPromptEditor(state.size)
            state.overlay = .systemPrompt(
                LineEditor(text: state.conversation.systemPrompt ?? "", width: area.width, maxVisibleRows: area.height))
        case .showParameters:
            state.overlay = .parameters(
                ParameterPanel(parameters: state.conversation.parameters, contextLength: state.contextLength))
        case .temperatureDown, .temperatureUp:
            let direction = action == .temperatureUp ? 1 : -1
            let before = state.conversation.parameters
            changeParameters(
                &state,
                ParameterField.temperature.step(
                    before, direction: direction, contextLength: state.contextLength))
            let value = ParameterField.number(state.conversation.parameters.temperature)
            note(
                &state,
                before == state.conversation.parameters
                    ? "temperature is already \(value), its \(direction > 0 ? "highest" : "lowest")"
                    : "temperature \(value) from the next answer")
        case .maxTokensDown, .maxTokensUp:
            let before = state.conversation.parameters
            changeParameters(
                &state,
                ParameterField.maxTokens.step(
                    before, direction: action == .maxTokensUp ? 1 : -1, contextLength: state.contextLength))
            let value = state.conversation.parameters.maxTokens
            note(
                &state,
                before.maxTokens == value
                    ? (action == .maxTokensUp
                        ? "max tokens is already \(value), the whole context"
                        : "max tokens is already \(value), the lowest the keys go")
                    : "max tokens \(value) from the next answer")
        case .cycleTheme:
            state.themeIndex = (state.themeIndex + 1) % state.themes.count
            note(&state, "theme: \(state.theme.name)")
            return [.persistConfig(AppConfig(theme: state.theme.name))]
        case .newConversation: return newConversation(&state)
        case .regenerate: return regenerate(&state)
        case .editLastMessage: return editLastMessage(&state)
        case .complete: return complete(&state)
        case .showCopyPicker: return openCopyPicker(&state)
        case .attachFile: return startAttaching(&state)
        case .removeAttachment: return removeAttachment(&state)
        case .exportMarkdown: return export(&state)
        case .copyLastAnswer:
            guard let answer = state.conversation.messages.last(where: { $0.role == .assistant }) else {
                note(&state, "no answer to copy yet")
                return [.bell]
            }
            note(&state, "copied the last answer")
            return [.copyToClipboard(answer.content)]
        case .showTranscripts:
            var browser = TranscriptBrowser()
            browser.list.setViewportHeight(OverlayGeometry.browserList(state.size).height)
            state.overlay = .browser(browser)
            return [.listTranscripts]
        case .pageUp, .pageDown, .scrollUp, .scrollDown, .scrollToTop, .scrollToBottom:
            scroll(action, trigger: trigger, &state)
        case .previousAlternative, .nextAlternative:
            return flipAlternative(&state, by: action == .nextAlternative ? 1 : -1)
        case .toggleProbabilityView: return toggleProbabilityView(&state)
        case .showTokenInspector: return openTokenInspector(&state)
        case .showPromptInspector: return openPromptInspector(&state)
        case .showModelPicker: return openModelPicker(&state)
        default:
            return nil
        }
        return []
    }

    static func changeParameters(_ state: inout AppState, _ parameters: SamplingParameters) {
        guard parameters != state.conversation.parameters else { return }
        state.conversation.parameters = parameters
        state.isDirty = true
    }

    /// Ctrl+C: stop the answer; when idle, the first press warns and a second one quits.
    static func interrupt(_ state: inout AppState) -> [Effect] {
        if state.isAnswering { return stop(&state) }
        if let until = state.quitArmedUntil, state.now.value < until { return quit(&state) }
        state.quitArmedUntil = state.now.value + quitWindow
        state.notice = Notice(
            text: "Press \(state.keyHints.key(.interrupt)) again to quit", isError: false,
            expires: state.now.value + quitWindow)
        return []
    }

    static func stop(_ state: inout AppState) -> [Effect] {
        guard state.isAnswering, state.activity != .stopping else { return [] }
        state.activity = .stopping
        return [.cancel]
    }

    /// Saves when there is something unsaved worth keeping (an empty chat is never written).
    static func saveIfNeeded(_ state: inout AppState) -> [Effect] {
        guard state.isDirty, !state.conversation.messages.isEmpty else { return [] }
        state.isDirty = false
        return [.save(state.transcriptSnapshot(), to: state.transcript.url)]
    }

    static func send(_ state: inout AppState) -> [Effect] {
        var text = state.input.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty || !state.attachments.isEmpty else { return [] }
        if let effects = runSlashCommand(text, &state) { return effects }
        if text.hasPrefix("//") { text.removeFirst() }
        guard state.model != nil else {
            note(&state, "the model is still loading…")
            return []
        }
        guard !state.isAnswering else {
            note(&state, "an answer is being written: \(state.keyHints.key(.stop, in: .chat)) stops it")
            return []
        }
        do { try state.conversation.parameters.validate(contextLength: state.contextLength) } catch {
            note(&state, error.description, isError: true)
            return []
        }
        let content = Attachment.compose(typed: text, attachments: state.attachments.map(\.attachment))
        state.attachments = []
        state.conversation.messages.append(.user(content))
        if !text.isEmpty && state.history.last != text { state.history.append(text) }
        state.historyIndex = nil
        state.historyDraft = ""
        state.input.setText("")
        if state.transcript.title == "New chat" { state.transcript.title = Transcript.title(for: state.conversation) }
        return startAnswer(&state)
    }

    /// Asks for an answer to the conversation as it stands (its last message is the user's).
    static func startAnswer(_ state: inout AppState) -> [Effect] {
        let seed = state.conversation.parameters.seed ?? (state.nextRandom() & 0xFFFF_FFFF)
        state.answer = AnswerProgress(seed: seed, parameters: state.conversation.parameters)
        state.answer?.sentAt = state.now.value
        state.undo = nil
        state.contextStart = nil
        state.activity = .thinking
        state.failure = nil
        state.lastError = nil
        state.scroll = ConversationScroll()
        state.isDirty = true
        return [.send(state.conversation, seed: seed)]
    }

    static func newConversation(_ state: inout AppState) -> [Effect] {
        var effects = abandonAnswer(&state)
        if !state.conversation.messages.isEmpty { rememberForUndo("new chat", &state) }
        effects += saveIfNeeded(&state)
        state.conversation.messages = []
        state.transcript = TranscriptInfo(id: state.nextTranscriptID(), created: state.wallClock.value)
        state.isDirty = false
        state.failure = nil
        state.lastError = nil
        state.scroll = ConversationScroll()
        state.contextUsed = nil
        state.contextStart = nil
        state.lastTokensPerSecond = nil
        state.lastDrafts = nil
        note(&state, "new conversation, with the same system prompt and parameters")
        effects.append(.countTokens(state.conversation))
        return effects
    }

    /// Ctrl+R: answers the last message again. An existing answer is kept: the new one becomes
    /// a further alternative of it (taken out of the conversation while the new one streams).
    static func regenerate(_ state: inout AppState) -> [Effect] {
        guard !state.isAnswering else {
            note(&state, "an answer is being written: \(state.keyHints.key(.stop, in: .chat)) stops it")
            return []
        }
        var messages = state.conversation.messages
        var previous: ChatMessage?
        if messages.last?.role == .assistant { previous = messages.removeLast() }
        guard messages.last?.role == .user, state.model != nil else {
            note(&state, state.model == nil ? "the model is still loading…" : "no message to answer again yet")
            return [.bell]
        }
        state.conversation.messages = messages
        let effects = startAnswer(&state)
        state.answer?.previous = previous
        return effects
    }

    /// Puts the last user message back in the input and removes it and everything after it.
    static func editLastMessage(_ state: inout AppState) -> [Effect] {
        guard !state.isAnswering else {
            note(&state, "an answer is being written: \(state.keyHints.key(.stop, in: .chat)) stops it")
            return []
        }
        guard let index = state.conversation.messages.lastIndex(where: { $0.role == .user }) else {
            note(&state, "no message to edit yet")
            return [.bell]
        }
        let text = state.conversation.messages[index].content
        rememberForUndo("edit of the last message", escapeUndoes: true, &state)
        state.conversation.messages.removeSubrange(index...)
        state.input.setText(text)
        state.failure = nil
        state.isDirty = true
        state.scroll = ConversationScroll()
        note(&state, "editing the last message: \(state.keyHints.key(.stop, in: .chat)) puts the exchange back")
        return [.countTokens(state.conversation)]
    }

    /// Ends the answer being written without waiting for the session: the text so far joins
    /// the conversation as a stopped answer, and the session's remaining events are skipped.
    static func abandonAnswer(_ state: inout AppState) -> [Effect] {
        guard let answer = state.answer else { return [] }
        state.answer = nil
        state.activity = state.model == nil ? .loadingModel : .idle
        state.discardedAnswers += 1
        let record = AnswerRecord(
            parameters: answer.parameters, seed: answer.seed, finishReason: .cancelled,
            usage: Usage(
                promptTokens: answer.promptTokens ?? 0, completionTokens: answer.tokens,
                cachedTokens: answer.cachedTokens ?? 0),
            timings: Timings(prefillTokensPerSecond: 0, decodeTokensPerSecond: 0), backend: state.model?.backend)
        let partial = (0..<max(1, answer.parameters.n)).compactMap { index -> AnswerAlternative? in
            let text = answer.text(ofChoice: index)
            return text.isEmpty ? nil : AnswerAlternative(content: text, record: record, choiceIndex: index)
        }
        if var previous = answer.previous {
            previous.add(partial)
            state.conversation.messages.append(previous)
        } else if !partial.isEmpty {
            state.conversation.messages.append(.answer(partial))
        }
        if answer.previous != nil || !partial.isEmpty { state.isDirty = true }
        return [.cancel]
    }
}
