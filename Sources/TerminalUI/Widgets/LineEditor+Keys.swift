/// The editor's default key bindings (readline/emacs style).
extension LineEditor {
    /// Applies `key`; Enter is left to the app (`.ignored`) so it can mean "send".
    ///
    /// Newline is Alt-Enter or Ctrl-J. Up on the first row and Down on the last row return
    /// `.recallPrevious` / `.recallNext` instead of moving.
    public mutating func handle(_ key: KeyEvent) -> EditorResult {
        if let character = key.typedCharacter {
            insert(String(character))
            return .handled
        }
        switch key {
        case .altEnter, .ctrl("j"): insertNewline()
        case .backspace: deleteBackward()
        case .alt("\u{7F}"), KeyEvent(.backspace, modifiers: .alt), KeyEvent(.backspace, modifiers: .control):
            deleteWordBackward()
        case .delete: deleteForward()
        case .alt("d"): deleteWordForward()
        case .left, .ctrl("b"): moveLeft()
        case .right, .ctrl("f"): moveRight()
        case .alt("b"), KeyEvent(.left, modifiers: .control), KeyEvent(.left, modifiers: .alt): moveWordLeft()
        case .alt("f"), KeyEvent(.right, modifiers: .control), KeyEvent(.right, modifiers: .alt): moveWordRight()
        case .home, .ctrl("a"): moveToLineStart()
        case .end, .ctrl("e"): moveToLineEnd()
        case .ctrl("k"): killToLineEnd()
        case .ctrl("u"): killToLineStart()
        case .ctrl("w"): killWordBackward()
        case .ctrl("y"): yank()
        case .up: return moveUp() ? .handled : .recallPrevious
        case .down: return moveDown() ? .handled : .recallNext
        default: return .ignored
        }
        return .handled
    }
}
