/// Everything a key can make the app do.
///
/// Actions are named by intent, not by key, so the key-binding table (`KeyBindings.table`) is
/// plain data: it maps triggers to actions per screen, and the same table drives dispatch in
/// `update`, the F1 help screen and the README.
public enum Action: String, CaseIterable, Hashable, Sendable {
    // Anywhere.
    case quit
    case interrupt

    // The chat screen.
    case send
    case stop
    case showHelp
    case editSystemPrompt
    case showParameters
    case temperatureDown
    case temperatureUp
    case maxTokensDown
    case maxTokensUp
    case cycleTheme
    case newConversation
    case regenerate
    case editLastMessage
    case copyLastAnswer
    case showTranscripts
    case pageUp
    case pageDown
    case scrollUp
    case scrollDown
    case scrollToTop
    case scrollToBottom
    case previousAlternative
    case nextAlternative
    case toggleProbabilityView
    case showTokenInspector
    case showPromptInspector
    case undo
    case complete
    case attachFile
    case removeAttachment
    case exportMarkdown

    // Text editing (the chat input and the system-prompt editor).
    case insertNewline
    case historyPrevious
    case historyNext
    case cursorLeft
    case cursorRight
    case wordLeft
    case wordRight
    case lineStart
    case lineEnd
    case deleteBackward
    case deleteForward
    case deleteWordBackward
    case deleteWordForward
    case killToLineEnd
    case killToLineStart
    case killWordBackward
    case yank

    // The help screen.
    case closeHelp
    case helpLineUp
    case helpLineDown
    case helpPageUp
    case helpPageDown
    case helpTop
    case helpBottom

    // The system-prompt editor.
    case saveSystemPrompt
    case cancelSystemPrompt

    // The parameter panel.
    case parameterPrevious
    case parameterNext
    case parameterDecrease
    case parameterIncrease
    case parameterEdit
    case parameterCancel
    case parametersReset
    case closeParameters

    // The transcript browser.
    case browserUp
    case browserDown
    case browserPageUp
    case browserPageDown
    case browserOpen
    case browserDelete
    case browserClose
    case browserFilterBackspace
    case browserClearFilter

    // The delete confirmation.
    case confirmYes
    case confirmNo

    // Quitting after a failed save.
    case unsavedRetry
    case unsavedSaveAs
    case unsavedDiscard
    case unsavedCancel
    case savePathConfirm
    case savePathCancel

    // The token inspector.
    case tokenPrevious
    case tokenNext
    case tokenFirst
    case tokenLast
    case closeTokenInspector

    // The prompt inspector.
    case promptLineUp
    case promptLineDown
    case promptPageUp
    case promptPageDown
    case promptTop
    case promptBottom
    case closePromptInspector

    // The copy picker.
    case showCopyPicker
    case copyUp
    case copyDown
    case copyChoose
    case copyClose
    case copyFilterBackspace

    // The model picker.
    case showModelPicker
    case modelUp
    case modelDown
    case modelPageUp
    case modelPageDown
    case modelChoose
    case modelClose
    case modelFilterBackspace
    case modelClearFilter
}
