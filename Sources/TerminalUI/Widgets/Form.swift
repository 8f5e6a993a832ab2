/// One row of a `Form`: a named value with its allowed range and, after a bad edit, an error.
public struct FormField: Hashable, Sendable {
    public var label: String
    public var value: String
    /// A short hint such as the allowed range ("0.0–2.0").
    public var hint: String
    /// Shown under the row until the value is edited again.
    public var error: String?

    public init(label: String, value: String, hint: String = "", error: String? = nil) {
        self.label = label
        self.value = value
        self.hint = hint
        self.error = error
    }
}

/// What the app should do after the form saw a key.
public enum FormResult: Hashable, Sendable {
    case handled
    case ignored
    /// Enter while editing: validate `text` for `fields[index]`, then call `setValue` or `setError`.
    case submitted(index: Int, text: String)
    /// Escape while not editing: close the form.
    case closed
}

/// A list of editable fields, as in a sampling-parameter panel.
///
/// Enter starts editing the selected value in place; Enter again submits the text to the app,
/// which validates it (the form knows no types) and answers with `setValue` or `setError`.
/// Escape cancels an edit, or closes the form when not editing.
public struct Form: Hashable, Sendable {
    public private(set) var fields: [FormField]
    public private(set) var selection = 0
    /// The field being edited, if any.
    public private(set) var editor: TextField?

    public init(fields: [FormField]) {
        self.fields = fields
    }

    public var isEditing: Bool { editor != nil }

    public mutating func setFields(_ newFields: [FormField]) {
        fields = newFields
        selection = min(selection, max(0, fields.count - 1))
        if fields.isEmpty { editor = nil }
    }

    /// Accepts a value: stores it, clears the error and ends editing of that field.
    public mutating func setValue(_ value: String, for index: Int) {
        guard fields.indices.contains(index) else { return }
        fields[index].value = value
        fields[index].error = nil
        if index == selection { editor = nil }
    }

    /// Rejects an edit: shows `message` under the field and keeps it in edit mode.
    public mutating func setError(_ message: String?, for index: Int) {
        guard fields.indices.contains(index) else { return }
        fields[index].error = message
    }

    public mutating func select(_ index: Int) {
        guard !fields.isEmpty else { return }
        editor = nil
        selection = min(max(0, index), fields.count - 1)
    }

    /// Starts editing the selected value with the old value selected, so typing replaces it.
    public mutating func beginEditing() {
        guard fields.indices.contains(selection) else { return }
        editor = TextField(text: fields[selection].value, selected: true)
    }

    /// Starts editing the selected value with `text` in place of the old one (typing on a row
    /// that is not being edited: the letters go to the field, never to hot keys).
    public mutating func beginEditing(typing text: String) {
        guard fields.indices.contains(selection) else { return }
        editor = TextField(text: text)
    }

    public mutating func cancelEditing() {
        editor = nil
        if fields.indices.contains(selection) { fields[selection].error = nil }
    }

    public mutating func handle(_ key: KeyEvent) -> FormResult {
        if var field = editor {
            switch key {
            case .enter: return .submitted(index: selection, text: field.text)
            case .escape:
                cancelEditing()
                return .handled
            default:
                guard field.handle(key) else { return .ignored }
                editor = field
                return .handled
            }
        }
        switch key {
        case .up, .ctrl("p"), .backTab: select(selection - 1)
        case .down, .ctrl("n"), .tab: select(selection + 1)
        case .home: select(0)
        case .end: select(fields.count - 1)
        case .enter: beginEditing()
        case .escape: return .closed
        default: return .ignored
        }
        return .handled
    }

    /// Inserts pasted text into the field being edited.
    public mutating func paste(_ text: String) {
        editor?.insert(text)
    }
}
