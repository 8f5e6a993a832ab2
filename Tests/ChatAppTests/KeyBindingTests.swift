import Chat
import ChatApp
import Foundation
import TerminalUI
import TestSupport
import Testing

/// Every binding of the table, through `update`: each trigger on its screen does its action.
struct KeyBindingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var binding: KeyBinding
        var trigger: Trigger
        var testDescription: String {
            "\(binding.context.rawValue): \(KeyBindings.displayName(trigger)) → \(binding.action)"
        }
    }

    static let cases: [Case] = KeyBindings.table.flatMap { binding in
        binding.triggers.map { Case(binding: binding, trigger: $0) }
    }

    @Test(arguments: cases)
    func bindingDoesItsAction(_ test: Case) throws {
        var state = BindingScenario.prepare(test.binding)
        let before = state
        let event: AppEvent
        switch test.trigger {
        case .key(let key): event = .input(.key(key))
        case .wheelUp: event = .input(.mouse(MouseEvent(.wheelUp, at: GridPosition(row: 2, col: 2))))
        case .wheelDown: event = .input(.mouse(MouseEvent(.wheelDown, at: GridPosition(row: 2, col: 2))))
        }
        let effects = ChatUI.update(&state, event)
        try BindingScenario.verify(test.binding.action, before: before, after: state, effects: effects)
        _ = ChatUI.view(state, size: state.size) // every resulting screen draws
    }

    @Test func everyActionIsBound() {
        let bound = Set(KeyBindings.table.map(\.action))
        #expect(bound == Set(Action.allCases))
    }

    @Test func noTriggerIsBoundTwiceUnconditionallyInOneContext() {
        for context in BindingContext.allCases {
            var seen: Set<Trigger> = []
            for binding in KeyBindings.bindings(in: context) where binding.condition == .always {
                for trigger in binding.triggers {
                    #expect(!seen.contains(trigger), "\(KeyBindings.displayName(trigger)) twice in \(context)")
                    seen.insert(trigger)
                }
            }
        }
    }

    @Test func conditionalKeysFallBackToEditing() {
        var state = Fixture.state(messages: Fixture.pairs(3))
        state.type("hello")
        state.press(.home)
        #expect(state.input.cursor == 0 && state.scroll.followsBottom)
        state.press(.ctrl("e"))
        #expect(state.input.cursor == 5 && state.conversation.messages.count == 6)
    }

    @Test func readmeKeyTableMatchesTheGeneratedOne() throws {
        let readme = try String(contentsOf: TestPaths.repositoryFile("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Key bindings\n"))
        let rest = readme[section.upperBound...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        let table = rest[..<end].split(separator: "\n").filter { $0.hasPrefix("|") }.joined(separator: "\n")
        #expect(table == KeyBindings.markdownTable(), "README's table is stale: run `parley help-keys` and paste it")
    }
}
