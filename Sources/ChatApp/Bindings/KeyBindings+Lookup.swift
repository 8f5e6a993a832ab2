import TerminalUI

/// Finding the binding for a trigger on the current screen.
extension KeyBindings {
    /// The action `trigger` means when the screen consults `contexts` in order, or nil.
    ///
    /// `holds` decides conditional rows (for example "only while the input is empty").
    public static func action(
        for trigger: Trigger, in contexts: [BindingContext], table: [KeyBinding] = table,
        holds: (BindingCondition) -> Bool
    ) -> Action? {
        for context in contexts {
            for binding in table where binding.context == context && binding.triggers.contains(trigger) {
                if holds(binding.condition) { return binding.action }
            }
        }
        return nil
    }

    /// The rows of one context, in table order.
    public static func bindings(in context: BindingContext, of table: [KeyBinding] = table) -> [KeyBinding] {
        table.filter { $0.context == context }
    }
}
