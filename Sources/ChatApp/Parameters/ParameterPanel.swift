import Chat
import TerminalUI

/// The parameter panel's state: a `Form` with one row per `ParameterField`.
///
/// The parameters themselves live in the conversation; the panel only mirrors them into form
/// rows (after every change) and remembers the selection, the typed text and any error.
public struct ParameterPanel: Hashable, Sendable {
    public private(set) var form: Form
    /// Ctrl+R was pressed: the next key confirms (y, Enter) or cancels resetting every parameter.
    public var confirmingReset = false

    public init(parameters: SamplingParameters, contextLength: Int) {
        form = Form(fields: Self.fields(parameters, contextLength: contextLength))
    }

    /// The field on the selected row.
    public var selectedField: ParameterField {
        let fields = ParameterField.allCases
        return fields[min(max(0, form.selection), fields.count - 1)]
    }

    static func fields(_ p: SamplingParameters, contextLength: Int) -> [FormField] {
        ParameterField.allCases.map { field in
            FormField(label: field.label, value: field.format(p), hint: field.hint(contextLength: contextLength))
        }
    }

    /// Shows new values, keeping the selection and any error on a row still being typed.
    mutating func refresh(_ p: SamplingParameters, contextLength: Int) {
        var fields = Self.fields(p, contextLength: contextLength)
        if form.isEditing && fields.indices.contains(form.selection) {
            fields[form.selection].error = form.fields[form.selection].error
        }
        form.setFields(fields)
    }

    mutating func select(_ index: Int) { form.select(index) }
    mutating func beginEditing() { form.beginEditing() }
    mutating func beginEditing(typing text: String) { form.beginEditing(typing: text) }
    mutating func cancelEditing() { form.cancelEditing() }
    mutating func setError(_ message: String) { form.setError(message, for: form.selection) }
    mutating func accept(_ p: SamplingParameters, contextLength: Int) {
        form.setValue(selectedField.format(p), for: form.selection)
        refresh(p, contextLength: contextLength)
    }
    /// Forwards a key to the value being typed; false when it is not an editing key.
    mutating func type(_ key: KeyEvent) -> Bool { form.handle(key) == .handled }
    mutating func paste(_ text: String) { form.paste(text) }
}
