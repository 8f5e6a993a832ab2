import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// Issue #17, "Deliver" 7: keys say what they did, or why they did nothing.
struct SmallThingsTests {
    @Test func newChatSaysWhatItCarriesOver() {
        var state = Fixture.state(messages: Fixture.pairs(1), systemPrompt: "Be brief.")
        state.press(.ctrl("n"))
        #expect(state.notice?.text == "new conversation, with the same system prompt and parameters")
        #expect(state.conversation.systemPrompt == "Be brief.")
    }

    @Test func temperatureKeysSayWhenALimitIsReached() {
        var state = Fixture.state()
        state.conversation.parameters.temperature = 2
        state.press(.function(6))
        #expect(state.notice?.text == "temperature is already 2, its highest")
        state.conversation.parameters.temperature = 0
        state.press(.function(5))
        #expect(state.notice?.text == "temperature is already 0, its lowest")
        state.press(.function(6))
        #expect(state.notice?.text == "temperature 0.1 from the next answer")
    }

    @Test func maxTokensKeysSayWhenALimitIsReached() {
        var state = Fixture.state()
        state.conversation.parameters.maxTokens = 2048
        state.press(.function(8))
        #expect(state.notice?.text == "max tokens is already 2048, the whole context")
        state.conversation.parameters.maxTokens = 16
        state.press(.function(7))
        #expect(state.notice?.text == "max tokens is already 16, the lowest the keys go")
    }

    @Test(arguments: [
        (KeyEvent.ctrl("r"), "no message to answer again yet"),
        (KeyEvent.alt("e"), "no message to edit yet"),
        (KeyEvent.alt("c"), "no answer to copy yet"),
        (KeyEvent.alt("u"), "nothing to undo"),
        (KeyEvent.alt("."), "no answer to flip through yet"),
        (KeyEvent.alt("x"), "nothing to export: the conversation is empty")
    ])
    func actionsInAnEmptyChatSayWhy(key: KeyEvent, reason: String) {
        var state = Fixture.state()
        state.press(key)
        #expect(state.notice?.text == reason)
        #expect(state.screen.text.contains(reason))
    }

    /// "Deliver" 4: a prompt read for more than half a second shows its progress; Esc stops it.
    @Test func aLongPromptShowsItsProgressAndEscapeCancelsIt() {
        var state = Fixture.state()
        state.type("Summarise")
        state.press(.enter)
        state.apply(.session(.started(promptTokens: 1079, cachedTokens: 0)))
        state.apply(.session(.promptProgress(evaluated: 256, total: 1079)))
        #expect(state.screen.text.contains("thinking"), "not before half a second")
        state.apply(.tick(now: .milliseconds(600), wallClock: Fixture.created))
        state.apply(.session(.promptProgress(evaluated: 512, total: 1079)))
        #expect(state.screen.text.contains("reading prompt 512/1079"))
        #expect(state.press(.escape) == [.cancel])
        #expect(state.screen.text.contains("stopping"))
    }
}
