import ChatApp
import Testing

/// `KeyHints` on the built-in table names the keys the hints always named.
struct KeyHintsTableTests {
    @Test func theBuiltInTableStillReadsAsBefore() {
        let keys = KeyHints(table: KeyBindings.table)
        #expect(keys.key(.stop, in: .chat) == "Esc" && keys.key(.showHelp) == "F1" && keys.key(.confirmYes) == "y")
        #expect(
            keys.pair(.parameterPrevious, .parameterNext) == "↑↓" && keys.key(.scrollToBottom, in: .chat) == "Ctrl+End")
        #expect(KeyHints(table: KeyHintTests.overridden.table).pair(.stop, .showHelp) == "Ctrl+G/F10")
        for context in BindingContext.allCases { #expect(context.title(keys: keys) == context.title) }
    }
}
