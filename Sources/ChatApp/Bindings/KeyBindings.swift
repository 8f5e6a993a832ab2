import TerminalUI

/// The one key-binding table: dispatch, the F1 help and the README's "Key bindings" section all
/// read it, so they cannot disagree.
public enum KeyBindings {
    private static func k(_ event: KeyEvent) -> Trigger { .key(event) }
    private static func shift(_ key: Key) -> Trigger { .key(KeyEvent(key, modifiers: .shift)) }
    private static func ctrl(_ key: Key) -> Trigger { .key(KeyEvent(key, modifiers: .control)) }
    private static func alt(_ key: Key) -> Trigger { .key(KeyEvent(key, modifiers: .alt)) }

    /// Every binding, in help order. Within a context the first matching row wins.
    public static let table: [KeyBinding] = [
        KeyBinding(.global, [k(.ctrl("q"))], .quit, "quit (the conversation is saved)"),
        KeyBinding(.global, [k(.ctrl("c"))], .interrupt, "stop the answer; when idle, press twice to quit"),

        KeyBinding(.chat, [k(.enter)], .send, "send the message"),
        KeyBinding(
            .chat, [k(.escape)], .stop,
            "stop the answer, keeping what was written; after editing the last message, put the exchange back"),
        KeyBinding(
            .chat, [k(.alt("u"))], .undo,
            "undo the last destructive action (edit of the last message, new chat, parameter reset)"),
        KeyBinding(.chat, [k(.function(1)), k(.alt("h"))], .showHelp, "this help"),
        KeyBinding(.chat, [k(.function(2)), k(.alt("s"))], .editSystemPrompt, "edit the system prompt"),
        KeyBinding(.chat, [k(.function(3)), k(.alt("p"))], .showParameters, "parameter panel"),
        KeyBinding(.chat, [k(.function(5)), k(.alt("["))], .temperatureDown, "temperature − 0.1"),
        KeyBinding(.chat, [k(.function(6)), k(.alt("]"))], .temperatureUp, "temperature + 0.1"),
        KeyBinding(.chat, [k(.function(7)), k(.alt("-"))], .maxTokensDown, "max tokens ÷ 2 (at least 16)"),
        KeyBinding(.chat, [k(.function(8)), k(.alt("="))], .maxTokensUp, "max tokens × 2 (at most the context)"),
        KeyBinding(.chat, [k(.function(9)), k(.alt("t"))], .cycleTheme, "next colour theme (remembered)"),
        KeyBinding(.chat, [k(.ctrl("n"))], .newConversation, "new conversation"),
        KeyBinding(.chat, [k(.ctrl("r"))], .regenerate, "answer the last message again"),
        KeyBinding(.chat, [k(.alt("e"))], .editLastMessage, "edit the last message (removes the last exchange)"),
        KeyBinding(.chat, [k(.ctrl("e"))], .editLastMessage, "edit the last message", when: .inputEmpty),
        KeyBinding(.chat, [k(.alt("c"))], .copyLastAnswer, "copy the last answer to the clipboard (OSC 52)"),
        KeyBinding(.chat, [k(.alt("k"))], .showCopyPicker, "copy any message or code block (pick it from a list)"),
        KeyBinding(.chat, [k(.ctrl("o"))], .showTranscripts, "saved conversations"),
        KeyBinding(.chat, [k(.tab)], .complete, "complete a /command, or the path after /file"),
        KeyBinding(.chat, [k(.alt("a"))], .attachFile, "attach a text file to the next message (types /file)"),
        KeyBinding(
            .chat, [k(.backspace)], .removeAttachment, "remove the last attached file", when: .noInputButAttachments),
        KeyBinding(.chat, [k(.alt("x"))], .exportMarkdown, "export the conversation as Markdown beside its transcript"),
        KeyBinding(.chat, [k(.pageUp)], .pageUp, "scroll the conversation up a page"),
        KeyBinding(.chat, [k(.pageDown)], .pageDown, "scroll the conversation down a page"),
        KeyBinding(.chat, [.wheelUp, shift(.up), ctrl(.up)], .scrollUp, "scroll up"),
        KeyBinding(.chat, [.wheelDown, shift(.down), ctrl(.down)], .scrollDown, "scroll down"),
        KeyBinding(.chat, [ctrl(.home)], .scrollToTop, "scroll to the first message"),
        KeyBinding(.chat, [k(.home)], .scrollToTop, "scroll to the first message", when: .inputEmpty),
        KeyBinding(.chat, [ctrl(.end)], .scrollToBottom, "scroll to the latest message"),
        KeyBinding(.chat, [k(.end)], .scrollToBottom, "scroll to the latest message", when: .inputEmpty),
        KeyBinding(.chat, [k(.alt(","))], .previousAlternative, "previous alternative of the last answer (‹)"),
        KeyBinding(
            .chat, [k(.alt("."))], .nextAlternative,
            "next alternative of the last answer (›); the chat continues from the one shown"),
        KeyBinding(
            .chat, [k(.function(4)), k(.alt("l"))], .toggleProbabilityView,
            "probability view: answer tokens coloured by probability (records logprobs from the next answer)"),
        KeyBinding(
            .chat, [k(.alt("i"))], .showTokenInspector,
            "token inspector: the last answer's tokens and their top alternatives"),
        KeyBinding(
            .chat, [k(.alt("m"))], .showPromptInspector,
            "prompt inspector: the exact prompt the model receives, token by token"),
        KeyBinding(
            .chat, [k(.ctrl("p"))], .showModelPicker,
            "switch models (local files, configured endpoints; the conversation stays) or pull one"),

        KeyBinding(.editing, [k(.altEnter), k(.ctrl("j"))], .insertNewline, "new line"),
        KeyBinding(.editing, [k(.up)], .historyPrevious, "line up; from the first line, the previous message sent"),
        KeyBinding(.editing, [k(.down)], .historyNext, "line down; from the last line, the next message sent"),
        KeyBinding(.editing, [k(.left), k(.ctrl("b"))], .cursorLeft, "character left"),
        KeyBinding(.editing, [k(.right), k(.ctrl("f"))], .cursorRight, "character right"),
        KeyBinding(.editing, [k(.alt("b")), ctrl(.left), alt(.left)], .wordLeft, "word left"),
        KeyBinding(.editing, [k(.alt("f")), ctrl(.right), alt(.right)], .wordRight, "word right"),
        KeyBinding(.editing, [k(.home), k(.ctrl("a"))], .lineStart, "start of the line"),
        KeyBinding(.editing, [k(.end), k(.ctrl("e"))], .lineEnd, "end of the line"),
        KeyBinding(.editing, [k(.backspace)], .deleteBackward, "delete the character before the cursor"),
        KeyBinding(.editing, [k(.delete), k(.ctrl("d"))], .deleteForward, "delete the character under the cursor"),
        KeyBinding(.editing, [alt(.backspace), ctrl(.backspace)], .deleteWordBackward, "delete the word before"),
        KeyBinding(.editing, [k(.alt("d"))], .deleteWordForward, "delete the word after"),
        KeyBinding(.editing, [k(.ctrl("k"))], .killToLineEnd, "cut to the end of the line"),
        KeyBinding(.editing, [k(.ctrl("u"))], .killToLineStart, "cut to the start of the line"),
        KeyBinding(.editing, [k(.ctrl("w"))], .killWordBackward, "cut the word before"),
        KeyBinding(.editing, [k(.ctrl("y"))], .yank, "paste what was cut last"),

        KeyBinding(.help, [k(.escape), k(.function(1)), k(.character("q"))], .closeHelp, "close the help"),
        KeyBinding(.help, [k(.up), .wheelUp], .helpLineUp, "scroll up"),
        KeyBinding(.help, [k(.down), .wheelDown], .helpLineDown, "scroll down"),
        KeyBinding(.help, [k(.pageUp)], .helpPageUp, "page up"),
        KeyBinding(.help, [k(.pageDown), k(.character(" "))], .helpPageDown, "page down"),
        KeyBinding(.help, [k(.home)], .helpTop, "top"),
        KeyBinding(.help, [k(.end)], .helpBottom, "bottom"),

        KeyBinding(
            .systemPrompt, [k(.ctrl("s")), k(.function(2))], .saveSystemPrompt, "save (applies from the next answer)"),
        KeyBinding(.systemPrompt, [k(.escape)], .cancelSystemPrompt, "cancel"),
        KeyBinding(.systemPrompt, [k(.enter)], .insertNewline, "new line"),

        KeyBinding(
            .parameters, [k(.up), k(.backTab)], .parameterPrevious, "previous parameter", when: .notEditingValue),
        KeyBinding(.parameters, [k(.down), k(.tab)], .parameterNext, "next parameter", when: .notEditingValue),
        KeyBinding(.parameters, [k(.left)], .parameterDecrease, "decrease the value", when: .notEditingValue),
        KeyBinding(.parameters, [k(.right)], .parameterIncrease, "increase the value", when: .notEditingValue),
        KeyBinding(
            .parameters, [k(.enter)], .parameterEdit, "type a value (or just start typing); Enter again applies it"),
        KeyBinding(.parameters, [k(.escape)], .parameterCancel, "cancel typing, or close the panel"),
        KeyBinding(
            .parameters, [k(.ctrl("r"))], .parametersReset, "reset every parameter to its default (asks first)",
            when: .notEditingValue),
        KeyBinding(.parameters, [k(.function(3))], .closeParameters, "close the panel"),

        KeyBinding(.browser, [k(.up)], .browserUp, "previous conversation"),
        KeyBinding(.browser, [k(.down)], .browserDown, "next conversation"),
        KeyBinding(.browser, [k(.pageUp), .wheelUp], .browserPageUp, "page up"),
        KeyBinding(.browser, [k(.pageDown), .wheelDown], .browserPageDown, "page down"),
        KeyBinding(.browser, [k(.enter)], .browserOpen, "open it and continue"),
        KeyBinding(.browser, [k(.delete)], .browserDelete, "delete it (asks first)"),
        KeyBinding(.browser, [k(.escape), k(.ctrl("o"))], .browserClose, "close the browser"),
        KeyBinding(.browser, [k(.backspace)], .browserFilterBackspace, "delete a filter character (type to filter)"),
        KeyBinding(.browser, [k(.ctrl("u"))], .browserClearFilter, "clear the filter"),

        KeyBinding(.confirm, [k(.character("y")), k(.enter)], .confirmYes, "yes, delete"),
        KeyBinding(.confirm, [k(.character("n")), k(.escape)], .confirmNo, "no, keep it"),

        KeyBinding(.unsaved, [k(.character("r")), k(.enter)], .unsavedRetry, "try saving again (quits when it works)"),
        KeyBinding(.unsaved, [k(.character("s"))], .unsavedSaveAs, "save to another path"),
        KeyBinding(.unsaved, [k(.character("q"))], .unsavedDiscard, "quit without saving"),
        KeyBinding(.unsaved, [k(.escape), k(.character("c"))], .unsavedCancel, "cancel: back to the chat"),

        KeyBinding(.savePath, [k(.enter)], .savePathConfirm, "save there and quit"),
        KeyBinding(.savePath, [k(.escape)], .savePathCancel, "back to the choices"),

        KeyBinding(.tokenInspector, [k(.left), k(.up)], .tokenPrevious, "previous token"),
        KeyBinding(.tokenInspector, [k(.right), k(.down), k(.character(" "))], .tokenNext, "next token"),
        KeyBinding(.tokenInspector, [k(.home)], .tokenFirst, "first token"),
        KeyBinding(.tokenInspector, [k(.end)], .tokenLast, "last token"),
        KeyBinding(
            .tokenInspector, [k(.escape), k(.alt("i")), k(.character("q"))], .closeTokenInspector, "close the inspector"
        ),

        KeyBinding(.promptInspector, [k(.up), .wheelUp], .promptLineUp, "scroll up"),
        KeyBinding(.promptInspector, [k(.down), .wheelDown], .promptLineDown, "scroll down"),
        KeyBinding(.promptInspector, [k(.pageUp)], .promptPageUp, "page up"),
        KeyBinding(.promptInspector, [k(.pageDown), k(.character(" "))], .promptPageDown, "page down"),
        KeyBinding(.promptInspector, [k(.home)], .promptTop, "top"),
        KeyBinding(.promptInspector, [k(.end)], .promptBottom, "bottom"),
        KeyBinding(
            .promptInspector, [k(.escape), k(.alt("m")), k(.character("q"))], .closePromptInspector,
            "close the inspector"),

        KeyBinding(.copyPicker, [k(.up)], .copyUp, "previous item"),
        KeyBinding(.copyPicker, [k(.down)], .copyDown, "next item"),
        KeyBinding(.copyPicker, [k(.enter)], .copyChoose, "copy it to the clipboard"),
        KeyBinding(.copyPicker, [k(.escape), k(.alt("k"))], .copyClose, "close"),
        KeyBinding(.copyPicker, [k(.backspace)], .copyFilterBackspace, "delete a filter character (type to filter)"),

        KeyBinding(.modelPicker, [k(.up)], .modelUp, "previous model"),
        KeyBinding(.modelPicker, [k(.down)], .modelDown, "next model"),
        KeyBinding(.modelPicker, [k(.pageUp), .wheelUp], .modelPageUp, "page up"),
        KeyBinding(.modelPicker, [k(.pageDown), .wheelDown], .modelPageDown, "page down"),
        KeyBinding(
            .modelPicker, [k(.enter)], .modelChoose,
            "switch to it (the next answer uses its template), or pull the typed owner/repo[:QUANT]"),
        KeyBinding(.modelPicker, [k(.escape), k(.ctrl("p"))], .modelClose, "cancel the pull; else close"),
        KeyBinding(.modelPicker, [k(.backspace)], .modelFilterBackspace, "delete a filter character (type to filter)"),
        KeyBinding(.modelPicker, [k(.ctrl("u"))], .modelClearFilter, "clear the filter")
    ]
}
