import ChatApp
import Foundation
import TerminalUI
import Testing

/// Issue #17, "Deliver" 6: bindings overridden in config.json, problems reported, F1 and
/// `help-keys` showing what is in effect.
struct KeyOverridesTests {
    static func overrides(_ json: String) -> (table: [KeyBinding], problems: [String]) {
        var problems: [String] = []
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        let applied = KeyOverrides.parse(object?["keys"], problems: &problems).apply(to: KeyBindings.table)
        return (applied.table, problems + applied.problems)
    }

    /// Every key the built-in table shows can be written back in config.json: `help-keys` is
    /// the reference for the names.
    @Test func everyShownKeyNameReadsBackAsItsKey() {
        for binding in KeyBindings.table {
            for trigger in binding.triggers {
                let name = KeyBindings.displayName(trigger)
                #expect(KeyOverrides.trigger(named: name) == trigger, "\(name)")
            }
        }
        #expect(KeyOverrides.trigger(named: "ctrl+t") == .key(.ctrl("t")))
        #expect(KeyOverrides.trigger(named: "Alt+Shift+x") == .key(.alt("X")))
        #expect(KeyOverrides.trigger(named: "Hyper+x") == nil && KeyOverrides.trigger(named: "F13") == nil)
    }

    @Test func anOverrideMovesTheActionAndTheHelpFollows() {
        let (table, problems) = Self.overrides(
            #"{"keys": {"newConversation": "Ctrl+T", "exportMarkdown": ["F10", "Alt+X"]}}"#)
        #expect(problems.isEmpty)
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.bindings = table
        state.press(.ctrl("n"))
        #expect(state.conversation.messages.count == 2, "Ctrl+N is no longer bound")
        state.press(.ctrl("t"))
        #expect(state.conversation.messages.isEmpty)
        state.press(.alt("u"))
        #expect(state.press(.function(10)).contains { if case .export = $0 { return true } else { return false } })
        state.press(.function(1))
        let help = state.screen.text
        #expect(help.contains("Ctrl+T") && !help.contains("Ctrl+N "), "\(help)")
        #expect(KeyBindings.markdownTable(table).contains("| Chat | `Ctrl+T` | new conversation |"))
    }

    @Test func unknownActionsUnreadableKeysAndConflictsAreReportedAndLeftOut() {
        let (table, problems) = Self.overrides(
            #"""
            {"keys": {"newChat": "Ctrl+T", "regenerate": "Ctrl+Banana", "newConversation": "Ctrl+O",
                      "undo": "z", "cycleTheme": 9}}
            """#)
        #expect(
            problems == [
                "config.json: keys.cycleTheme must be a key name or a list of them, like \"Ctrl+T\"",
                "config.json: keys.newChat: no such action (parley help-keys --actions lists them)",
                "config.json: keys.newConversation: Ctrl+O is already showTranscripts (Chat); keys.newConversation not applied",
                "config.json: keys.regenerate: cannot read \"Ctrl+Banana\" (write keys like Ctrl+T, Alt+X, F10, Shift+Up, Enter, Esc)",
                "config.json: keys.undo: Z alone would stop you typing it; add Ctrl+ or Alt+"
            ])
        #expect(table == KeyBindings.table)
    }

    @Test func anOverlayKeyMayReuseAChatKey() {
        // q closes the token inspector; Ctrl+O is the chat's, but the browser is another screen.
        let (_, problems) = Self.overrides(#"{"keys": {"closeTokenInspector": ["Esc", "Ctrl+R"]}}"#)
        #expect(problems.isEmpty)
    }
}
