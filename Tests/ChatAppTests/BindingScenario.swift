import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// For each action: a state where it has a visible effect, and the check that it had it.
enum BindingScenario {
    static let editorText = "hello world"

    /// A state on the binding's screen, set up so that its action changes something.
    static func prepare(_ binding: KeyBinding) -> AppState {
        var state = Fixture.state(width: 80, height: 24, messages: Fixture.pairs(30))
        state.isDirty = true
        state.history = ["earlier message"]
        switch binding.context {
        case .global, .chat:
            break
        case .editing:
            state.input.setText(editorText)
        case .help:
            state.press(.function(1))
        case .systemPrompt:
            state.press(.function(2))
            state.type("Be brief.")
        case .parameters:
            state.press(.function(3))
        case .browser, .confirm:
            state.press(.ctrl("o"))
            state.apply(
                .transcriptsListed(
                    [
                        Fixture.summary("Alpha", 2, minutes: 3), Fixture.summary("Beta", 4, minutes: 2),
                        Fixture.summary("Gamma", 6, minutes: 1)
                    ],
                    problems: []))
            if binding.context == .confirm { state.press(.delete) }
        case .unsaved, .savePath:
            state.press(.ctrl("q"))
            state.apply(.saveFailed("cannot write x: Read-only file system"))
            if binding.context == .savePath { state.press(.character("s")) }
            if binding.action == .savePathConfirm { state.type("/tmp/saved-elsewhere.json") }
        case .tokenInspector:
            state.conversation.messages[state.conversation.messages.count - 1] =
                Fixture.alternatives(["A first answer, long enough for a few tokens.", "Another one."])
            state.press(.alt("i"))
            state.press(.right, .right)
        case .copyPicker:
            state.conversation.messages[state.conversation.messages.count - 1] =
                Fixture.answer("Run it:\n```sh\nmake test\n```")
            state.press(.alt("k"))
        case .modelPicker:
            state.press(.ctrl("p"))
            state.apply(.models(.listed(local: modelChoices, endpoints: [])))
        case .promptInspector:
            state.press(.alt("m"))
            guard case .promptInspector(let inspector) = state.overlay else { break }
            let pieces = (0..<400).map { Array("token \($0) ".utf8) }
            state.apply(
                .promptPreviewed(
                    PromptPreview(tokens: pieces.indices.map { Int32($0) }, pieces: pieces), for: inspector.conversation
                ))
            state.press(.pageDown)
        }
        switch binding.action {
        case .stop:
            state.type("go")
            state.press(.enter)
        case .interrupt, .quit:
            if binding.context == .global { state.press(.escape) } // a harmless key first
        case .send:
            state.type("a new question")
        case .regenerate, .editLastMessage, .scrollToTop, .scrollUp, .pageUp:
            break
        case .pageDown, .scrollDown, .scrollToBottom:
            state.press(KeyEvent(.home, modifiers: .control))
        case .historyPrevious:
            state.input.setText("")
        case .historyNext:
            state.input.setText("draft")
            state.press(.up)
        case .cursorRight, .wordRight, .lineEnd, .deleteForward, .deleteWordForward, .killToLineEnd:
            state.input.moveToLineStart()
        case .yank:
            state.input.killWordBackward()
        case .helpLineUp, .helpPageUp, .helpTop:
            state.press(.pageDown, .pageDown)
        case .parameterPrevious:
            state.press(.down)
        case .browserUp, .browserPageUp:
            state.press(.down, .down)
        case .browserFilterBackspace, .browserClearFilter:
            state.type("al")
        case .copyFilterBackspace:
            state.type("ma")
        case .copyUp:
            state.press(.down, .down)
        case .modelUp, .modelPageUp:
            state.press(.down, .down)
        case .modelChoose:
            state.press(.down)
        case .modelFilterBackspace, .modelClearFilter:
            state.type("st")
        case .complete:
            state.input.setText("/sy")
        case .removeAttachment:
            state.apply(.attachmentRead(Attachment(name: "notes.txt", text: "Notes."), tokens: 5))
        case .parametersReset:
            state.press(.right, .down, .right)
        case .undo:
            state.press(.ctrl("e"))
        case .previousAlternative, .nextAlternative, .showTokenInspector:
            state.conversation.messages[state.conversation.messages.count - 1] =
                Fixture.alternatives(["First answer.", "Second answer.", "Third answer."])
        default:
            break
        }
        return state
    }

    /// Checks that `action` turned `before` into `after` with `effects`.
    static func verify(_ action: Action, before: AppState, after: AppState, effects: [Effect]) throws {
        let p = after.conversation.parameters
        switch action {
        case .quit:
            // Unsaved changes: the save goes first and quitting waits for its result.
            #expect(after.pendingQuit && !after.isQuitting)
            #expect(effects.contains { if case .save = $0 { return true } else { return false } })
        case .unsavedRetry:
            #expect(
                after.overlay == nil && after.pendingQuit && effects == [.save(after.transcriptSnapshot(), to: nil)])
        case .unsavedSaveAs:
            guard case .unsaved(let prompt) = after.overlay, prompt.path != nil else { throw Failure("no path field") }
        case .unsavedDiscard:
            #expect(after.isQuitting && effects == [.quit])
        case .unsavedCancel:
            #expect(after.overlay == nil && !after.isQuitting && after.isDirty)
        case .savePathConfirm:
            #expect(
                effects == [.save(after.transcriptSnapshot(), to: URL(fileURLWithPath: "/tmp/saved-elsewhere.json"))])
        case .savePathCancel:
            #expect(after.overlay == .unsaved(UnsavedPrompt(error: "cannot write x: Read-only file system")))
        case .interrupt:
            #expect(after.quitArmedUntil != nil && after.notice?.text == "Press Ctrl+C again to quit")
        case .send:
            #expect(after.input.isEmpty && after.conversation.messages.last == .user("a new question"))
            #expect(effects == [.send(after.conversation, seed: try #require(after.answer?.seed))])
        case .stop:
            #expect(effects == [.cancel] && after.activity == .stopping)
        case .showHelp: #expect(after.overlay == .help(scroll: 0))
        case .editSystemPrompt:
            guard case .systemPrompt = after.overlay else { throw Failure("no editor") }
        case .showParameters:
            guard case .parameters = after.overlay else { throw Failure("no panel") }
        case .temperatureDown: #expect(p.temperature == 0.7)
        case .temperatureUp: #expect(p.temperature == 0.9)
        case .maxTokensDown: #expect(p.maxTokens == 256)
        case .maxTokensUp: #expect(p.maxTokens == 1024)
        case .cycleTheme:
            #expect(after.theme.name == "mono" && effects == [.persistConfig(AppConfig(theme: "mono"))])
        case .newConversation:
            #expect(after.conversation.messages.isEmpty && after.transcript.id != before.transcript.id)
            #expect(effects.first == .save(before.transcriptSnapshot(), to: nil))
        case .regenerate:
            var expected = before.conversation
            expected.messages.removeLast()
            #expect(effects == [.send(expected, seed: try #require(after.answer?.seed))])
        case .editLastMessage:
            #expect(after.input.text == "Question 29" && after.conversation.messages.count == 58)
        case .copyLastAnswer:
            #expect(effects == [.copyToClipboard(try #require(before.conversation.messages.last).content)])
        case .showTranscripts:
            #expect(effects == [.listTranscripts])
            guard case .browser = after.overlay else { throw Failure("no browser") }
        case .pageUp, .scrollUp, .scrollToTop:
            #expect(!after.scroll.followsBottom)
            if action == .scrollToTop { #expect(after.scroll.anchor == .start) }
        case .pageDown, .scrollDown:
            #expect(after.scroll.anchor > before.scroll.anchor)
        case .scrollToBottom:
            #expect(after.scroll.followsBottom && !before.scroll.followsBottom)
        case .insertNewline:
            let editor = try focusedEditor(after)
            #expect(editor.text.hasSuffix("\n"))
        case .historyPrevious: #expect(after.input.text == "earlier message")
        case .historyNext: #expect(after.input.text == "draft" && before.input.text == "earlier message")
        case .cursorLeft: #expect(after.input.cursor == 10)
        case .cursorRight: #expect(after.input.cursor == 1)
        case .wordLeft: #expect(after.input.cursor == 6)
        case .wordRight: #expect(after.input.cursor == 5)
        case .lineStart: #expect(after.input.cursor == 0)
        case .lineEnd: #expect(after.input.cursor == 11)
        case .deleteBackward: #expect(after.input.text == "hello worl")
        case .deleteForward: #expect(after.input.text == "ello world")
        case .deleteWordBackward, .killWordBackward: #expect(after.input.text == "hello ")
        case .deleteWordForward: #expect(after.input.text == " world")
        case .killToLineEnd, .killToLineStart: #expect(after.input.text == "")
        case .yank: #expect(after.input.text == editorText)
        case .closeHelp, .cancelSystemPrompt, .closeParameters, .browserClose:
            #expect(after.overlay == nil)
        case .helpLineUp, .helpPageUp, .helpTop: #expect(helpScroll(after) < helpScroll(before))
        case .helpLineDown, .helpPageDown, .helpBottom: #expect(helpScroll(after) > helpScroll(before))
        case .saveSystemPrompt:
            #expect(after.overlay == nil && after.conversation.systemPrompt == "Be brief.")
            #expect(effects.last == .countTokens(after.conversation))
        case .parameterPrevious: #expect(panel(after)?.form.selection == 0)
        case .parameterNext: #expect(panel(after)?.form.selection == 1)
        case .parameterDecrease: #expect(p.temperature == 0.7)
        case .parameterIncrease: #expect(p.temperature == 0.9)
        case .parameterEdit: #expect(panel(after)?.form.isEditing == true)
        case .parameterCancel: #expect(after.overlay == nil)
        case .parametersReset:
            // It asks first; `y` confirms.
            #expect(before.conversation.parameters != .defaults && p == before.conversation.parameters)
            var confirmed = after
            confirmed.type("y")
            #expect(confirmed.conversation.parameters == .defaults)
        case .undo:
            #expect(before.conversation.messages.count == 58 && after.conversation.messages.count == 60)
            #expect(after.input.isEmpty)
        case .browserUp: #expect(browser(after)?.list.selectedRow == 1)
        case .browserPageUp: #expect(browser(after)?.list.selectedRow == 0)
        case .browserDown, .browserPageDown: #expect(browser(after)?.list.selectedRow ?? 0 > 0)
        case .browserOpen:
            #expect(
                effects.last == .loadTranscript(Fixture.summary("Alpha", 2, minutes: 3).url) && after.overlay == nil)
        case .browserDelete:
            guard case .confirmDelete = after.overlay else { throw Failure("no confirmation") }
        case .browserFilterBackspace: #expect(browser(after)?.list.filter == "a")
        case .browserClearFilter: #expect(browser(after)?.list.filter == "")
        case .confirmYes:
            #expect(effects == [.deleteTranscript(Fixture.summary("Alpha", 2, minutes: 3).url)])
            #expect(browser(after) != nil)
        case .confirmNo: #expect(effects.isEmpty && browser(after) != nil)
        case .previousAlternative, .nextAlternative:
            let message = try #require(after.conversation.messages.last)
            #expect(message.chosen == (action == .nextAlternative ? 1 : 2))
            #expect(message.content == (action == .nextAlternative ? "Second answer." : "Third answer."))
            #expect(effects == [.countTokens(after.conversation)])
        case .toggleProbabilityView:
            #expect(after.probabilityView && p.logprobs && p.topLogprobs == 5)
        case .showTokenInspector:
            #expect(tokenInspector(after)?.tokens.map(\.token).joined() == "First answer.")
        case .showPromptInspector:
            var expected = before.conversation
            expected.messages.removeLast()
            #expect(effects == [.previewPrompt(expected)])
            guard case .promptInspector = after.overlay else { throw Failure("no prompt inspector") }
        case .tokenPrevious: #expect(tokenInspector(after)?.position == 1)
        case .tokenNext: #expect(tokenInspector(after)?.position == 3)
        case .tokenFirst: #expect(tokenInspector(after)?.position == 0)
        case .tokenLast: #expect(tokenInspector(after)?.position == (tokenInspector(after)?.tokens.count ?? 0) - 1)
        case .closeTokenInspector, .closePromptInspector: #expect(after.overlay == nil)
        case .promptLineUp, .promptPageUp, .promptTop: #expect(promptScroll(after) < promptScroll(before))
        case .promptLineDown, .promptPageDown, .promptBottom: #expect(promptScroll(after) > promptScroll(before))
        case .complete: #expect(after.input.text == "/system ")
        case .attachFile: #expect(after.input.text == "/file ")
        case .removeAttachment: #expect(after.attachments.isEmpty && before.attachments.count == 1)
        case .exportMarkdown:
            #expect(effects == [.export(before.transcriptSnapshot(), beside: nil)])
        case .showCopyPicker:
            guard case .copyPicker = after.overlay else { throw Failure("no copy picker") }
        case .copyUp: #expect(copyPicker(after)?.list.selectedRow == 1)
        case .copyDown: #expect(copyPicker(after)?.list.selectedRow == 1)
        case .copyChoose: #expect(effects == [.copyToClipboard("make test")] && after.overlay == nil)
        case .copyClose: #expect(after.overlay == nil)
        case .copyFilterBackspace: #expect(copyPicker(after)?.list.filter == "m")
        case .showModelPicker:
            guard case .modelPicker = after.overlay else { throw Failure("no model picker") }
            #expect(effects == [.models(.list)])
        case .modelUp, .modelDown: #expect(modelPicker(after)?.list.selectedRow == 1)
        case .modelPageUp: #expect(modelPicker(after)?.list.selectedRow == 0)
        case .modelPageDown: #expect(modelPicker(after)?.list.selectedRow == 2)
        case .modelChoose: #expect(effects == [.models(.switchTo(modelChoices[1]))] && after.overlay == nil)
        case .modelClose: #expect(after.overlay == nil)
        case .modelFilterBackspace: #expect(modelPicker(after)?.list.filter == "s")
        case .modelClearFilter: #expect(modelPicker(after)?.list.filter == "")
        }
    }

    /// Three installed models, the first the fixture's current one.
    static let modelChoices = ["SmolLM2-135M-Instruct.Q4_1", "stories260K", "stories15M"].map {
        ModelChoice(place: .local(path: "/models/\($0).gguf"), name: $0, detail: "local")
    }

    static func modelPicker(_ state: AppState) -> ModelPicker? {
        if case .modelPicker(let picker) = state.overlay { return picker }
        return nil
    }

    static func copyPicker(_ state: AppState) -> CopyPicker? {
        if case .copyPicker(let picker) = state.overlay { return picker }
        return nil
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func focusedEditor(_ state: AppState) throws -> LineEditor {
        if case .systemPrompt(let editor) = state.overlay { return editor }
        return state.input
    }

    static func helpScroll(_ state: AppState) -> Int {
        if case .help(let scroll) = state.overlay { return scroll }
        return -1
    }

    static func panel(_ state: AppState) -> ParameterPanel? {
        if case .parameters(let panel) = state.overlay { return panel }
        return nil
    }

    static func tokenInspector(_ state: AppState) -> TokenInspector? {
        if case .tokenInspector(let inspector) = state.overlay { return inspector }
        return nil
    }

    static func promptScroll(_ state: AppState) -> Int {
        if case .promptInspector(let inspector) = state.overlay { return inspector.scroll }
        return -1
    }

    static func browser(_ state: AppState) -> TranscriptBrowser? {
        if case .browser(let browser) = state.overlay { return browser }
        return nil
    }
}
