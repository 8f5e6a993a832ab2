import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// Issue #17, "Deliver" 1, 2, 3 and 5 in the update loop: attachments, slash commands, Tab
/// completion, export and the browser's full-text search.
struct DocumentFlowTests {
    static let notes = Attachment(name: "notes.txt", text: "Line one.\nLine two.\n")

    @Test func fileCommandReadsTheFileAndTheInputShowsItsNameAndTokens() {
        var state = Fixture.state()
        state.type("/file notes.txt")
        #expect(state.press(.enter) == [.readAttachment(path: "notes.txt")])
        #expect(state.input.text.isEmpty)
        state.apply(.attachmentRead(Self.notes, tokens: 1234))
        let screen = state.screen.text
        #expect(screen.contains("+ notes.txt · 1,234 tokens"), "\(screen)")
        state.type("Summarise this")
        let effects = state.press(.enter)
        let expected = Attachment.compose(typed: "Summarise this", attachments: [Self.notes])
        #expect(state.conversation.messages.last?.content == expected)
        #expect(
            effects.contains {
                if case .send(let conversation, _) = $0 {
                    return conversation.messages.last?.content == expected
                } else {
                    return false
                }
            })
        #expect(state.attachments.isEmpty && !state.screen.text.contains("notes.txt · "))
        #expect(state.transcript.title == "Summarise this")
        #expect(state.history.last == "Summarise this")
    }

    @Test func aFileAloneCanBeSent() {
        var state = Fixture.state()
        state.apply(.attachmentRead(Self.notes, tokens: 12))
        state.press(.enter)
        #expect(
            state.conversation.messages.map(\.content) == [Attachment.compose(typed: "", attachments: [Self.notes])])
        #expect(state.transcript.title == "notes.txt")
    }

    @Test func aFileTooLargeForTheContextIsRefusedByHowMuch() {
        var state = Fixture.state()
        state.apply(.attachmentRead(Self.notes, tokens: 2000))
        state.apply(.attachmentRead(Attachment(name: "big.txt", text: "x"), tokens: 100))
        #expect(state.attachments.count == 1)
        let notice = state.notice?.text ?? ""
        #expect(notice.hasPrefix("big.txt is 100 tokens, 52 more than the 2048-token context holds"), "\(notice)")
        #expect(state.notice?.isError == true)
    }

    @Test func backspaceOnAnEmptyInputRemovesTheLastAttachment() {
        var state = Fixture.state()
        state.apply(.attachmentRead(Self.notes, tokens: 12))
        state.type("a")
        state.press(.backspace)
        #expect(state.attachments.count == 1 && state.input.text.isEmpty)
        state.press(.backspace)
        #expect(state.attachments.isEmpty)
    }

    @Test func attachmentErrorsShowInTheStatusBar() {
        var state = Fixture.state()
        state.apply(.attachmentFailed("cannot attach x.bin: it is a binary file, not text"))
        #expect(state.screen.text.contains("cannot attach x.bin: it is a binary file"))
    }

    // MARK: Slash commands

    @Test func setChangesAnyParameterWithThePanelsRules() {
        var state = Fixture.state()
        state.type("/set temperature 0.5")
        state.press(.enter)
        #expect(state.conversation.parameters.temperature == 0.5 && state.input.text.isEmpty)
        state.type("/set max-tokens 64")
        state.press(.enter)
        #expect(state.conversation.parameters.maxTokens == 64)
        state.type("/set top_p 7")
        state.press(.enter)
        #expect(state.conversation.parameters.topP == SamplingParameters.defaults.topP)
        #expect(
            state.notice?.isError == true && state.input.text.isEmpty == false, "a refused command stays to be fixed")
        state.input.setText("/set warmth 1")
        state.press(.enter)
        #expect(state.notice?.text.hasPrefix("no parameter warmth; the names are temperature, top_p") == true)
    }

    @Test func systemClearSaveExportHelpAndLiteralSlash() {
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.type("/system Answer in French.")
        state.press(.enter)
        #expect(state.conversation.systemPrompt == "Answer in French.")
        state.type("/save Trip notes")
        let saved = state.press(.enter)
        #expect(state.transcript.title == "Trip notes")
        #expect(
            saved.contains { if case .save(let t, _) = $0 { return t.title == "Trip notes" } else { return false } })
        state.type("/export")
        let exported = state.press(.enter)
        #expect(
            exported.contains {
                if case .export(let t, _) = $0 { return t.conversation.messages.count == 2 } else { return false }
            })
        state.type("/help")
        state.press(.enter)
        #expect(state.overlay == .help(scroll: 0))
        state.press(.escape)
        state.type("/clear")
        state.press(.enter)
        #expect(state.conversation.messages.isEmpty)
        state.press(.alt("u"))
        #expect(state.conversation.messages.count == 2, "/clear is undoable like Ctrl+N")
        state.type("//etc/hosts is a file")
        state.press(.enter)
        #expect(state.conversation.messages.last?.content == "/etc/hosts is a file")
    }

    @Test func unknownCommandsAndMissingArgumentsAreExplained() {
        var state = Fixture.state()
        state.type("/frobnicate")
        state.press(.enter)
        #expect(state.notice?.text.hasPrefix("unknown command /frobnicate") == true)
        #expect(state.notice?.text.contains("start with //") == true)
        #expect(state.conversation.messages.isEmpty && state.input.text == "/frobnicate")
        state.input.setText("/file")
        #expect(state.press(.enter).isEmpty)
        #expect(state.notice?.text == "/file needs a path, e.g. /file notes.txt")
    }

    @Test func exportingAnEmptyChatSaysWhy() {
        var state = Fixture.state()
        #expect(state.press(.alt("x")).isEmpty)
        #expect(state.notice?.text == "nothing to export: the conversation is empty")
    }

    // MARK: Tab completion

    @Test func tabCompletesCommandNames() {
        var state = Fixture.state()
        state.type("/sy")
        state.press(.tab)
        #expect(state.input.text == "/system ")
        state.input.setText("/s")
        state.press(.tab)
        #expect(state.input.text == "/s")
        #expect(state.notice?.text == "/set  /system  /save")
    }

    @Test func tabAsksTheRuntimeForPathsAndAppliesTheirCommonPrefix() {
        var state = Fixture.state()
        state.type("/file Doc")
        #expect(state.press(.tab) == [.completePath("Doc")])
        state.apply(.pathCompletions(typed: "Doc", candidates: ["Docs/", "Docker/"]))
        #expect(state.input.text == "/file Doc")
        #expect(state.notice?.text == "Docs/  Docker/")
        state.input.setText("/file Docs/gu")
        state.apply(.pathCompletions(typed: "Docs/gu", candidates: ["Docs/guide.md"]))
        #expect(state.input.text == "/file Docs/guide.md")
        state.apply(.pathCompletions(typed: "stale", candidates: ["stale.txt"]))
        #expect(state.input.text == "/file Docs/guide.md", "an answer for older input is dropped")
    }

    // MARK: Full-text search in the browser

    @Test func typingInTheBrowserSearchesMessagesAndShowsTheMatchingLine() {
        let gardening = Fixture.summary("Gardening", 2, minutes: 5)
        let cooking = Fixture.summary("Cooking", 2, minutes: 3)
        var state = Fixture.state(width: 100)
        state.press(.ctrl("o"))
        state.apply(.transcriptsListed([gardening, cooking], problems: []))
        var effects: [Effect] = []
        for character in "brunnera" { effects += state.press(.character(character)) }
        #expect(effects.last == .searchTranscripts("brunnera", in: [gardening.url, cooking.url]))
        #expect(state.screen.text.contains("searching…"))
        state.apply(
            .transcriptsSearched(
                query: "brunnera", hits: [TranscriptSearch.Hit(url: gardening.url, preview: "Hostas and Brunnera too")],
                done: true))
        let screen = state.screen.text
        #expect(screen.contains("Gardening") && screen.contains("“Hostas and Brunnera too”"), "\(screen)")
        #expect(!screen.contains("Cooking"))
        state.press(.ctrl("u"))
        #expect(state.screen.text.contains("Cooking") && !state.screen.text.contains("Hostas"))
    }

    @Test func resultsForAnOlderQueryAreIgnored() {
        let gardening = Fixture.summary("Gardening", 2, minutes: 5)
        var state = Fixture.state(width: 100)
        state.press(.ctrl("o"))
        state.apply(.transcriptsListed([gardening], problems: []))
        state.type("fern")
        state.apply(.transcriptsSearched(query: "fer", hits: [.init(url: gardening.url, preview: "ferry")], done: true))
        #expect(!state.screen.text.contains("ferry"))
    }

    // MARK: Copying any message or code block

    @Test func theCopyPickerCopiesACodeBlockOrAnEarlierMessage() {
        var state = Fixture.state(
            width: 100,
            messages: [
                .user("How do I list files?"),
                Fixture.answer(
                    "Use ls:\n\n```sh\nls -la\n```\n\nOr in Python:\n~~~python\nimport os\nprint(os.listdir())\n~~~"),
                .user("Thanks"), Fixture.answer("You're welcome.")
            ])
        state.press(.alt("k"))
        let screen = state.screen.text
        #expect(screen.contains("Copy to the clipboard") && screen.contains("python block 2 · answer 2"), "\(screen)")
        // Newest first: the last answer, then the earlier answer's blocks (last block first).
        #expect(state.press(.enter) == [.copyToClipboard("You're welcome.")])
        state.press(.alt("k"))
        state.type("sh block")
        #expect(state.press(.enter) == [.copyToClipboard("ls -la")])
        #expect(state.notice?.text.hasPrefix("copied sh block 1 · answer 2") == true)
        state.press(.alt("k"))
        state.type("python")
        #expect(state.press(.enter) == [.copyToClipboard("import os\nprint(os.listdir())")])
        state.press(.alt("k"))
        for _ in 0..<5 { state.press(.down) }
        #expect(state.press(.enter) == [.copyToClipboard("How do I list files?")])
    }
}
