import TestSupport
import Testing

@testable import TerminalUI

struct FormTests {
    func parameters() -> Form {
        Form(fields: [
            FormField(label: "Temperature", value: "0.7", hint: "0–2"),
            FormField(label: "Top-p", value: "0.95", hint: "0–1"),
            FormField(label: "Max tokens", value: "512", hint: "1–8192")
        ])
    }

    @Test func editInPlaceSubmitsTextToTheApp() {
        var form = parameters()
        #expect(form.handle(.down) == .handled)
        #expect(form.handle(.enter) == .handled)
        #expect(form.isEditing)
        // The old value starts selected; End unselects it, keeping it to edit.
        _ = form.handle(.end)
        _ = form.handle(.backspace)
        _ = form.handle(.backspace)
        _ = form.handle(.character("8"))
        #expect(form.handle(.enter) == .submitted(index: 1, text: "0.8"))
        form.setValue("0.8", for: 1)
        #expect(!form.isEditing)
        #expect(form.fields[1].value == "0.8")
    }

    @Test func errorsStayUntilFixedOrCancelled() {
        var form = parameters()
        _ = form.handle(.enter)
        _ = form.handle(.ctrl("u"))
        for character in "abc" { _ = form.handle(.character(character)) }
        #expect(form.handle(.enter) == .submitted(index: 0, text: "abc"))
        form.setError("not a number", for: 0)
        #expect(form.isEditing)
        #expect(form.rowCount == 4)
        var grid = ScreenGrid(width: 34, height: 5)
        let cursor = form.draw(into: &grid, rect: grid.bounds)
        assertSnapshot(grid, named: "form-error")
        #expect(cursor == GridPosition(row: 0, col: 18))
        _ = form.handle(.escape)
        #expect(!form.isEditing && form.fields[0].error == nil && form.fields[0].value == "0.7")
        #expect(form.handle(.escape) == .closed)
    }

    @Test func navigationWrapsNowhere() {
        var form = parameters()
        _ = form.handle(.up)
        #expect(form.selection == 0)
        _ = form.handle(.end)
        _ = form.handle(.tab)
        #expect(form.selection == 2)
        _ = form.handle(.backTab)
        #expect(form.selection == 1)
        var grid = ScreenGrid(width: 34, height: 3)
        #expect(form.draw(into: &grid, rect: grid.bounds) == nil)
        assertSnapshot(grid, named: "form-selected")
    }
}

struct TextFieldTests {
    @Test func editsAndScrollsHorizontally() {
        var field = TextField(text: "héllo\nworld")
        #expect(field.text == "héllo world")
        _ = field.handle(.home)
        _ = field.handle(.delete)
        _ = field.handle(.character("H"))
        _ = field.handle(.end)
        field.insert(" 世界")
        #expect(field.text == "Héllo world 世界")
        var grid = ScreenGrid(width: 8, height: 1)
        let cursor = field.render(into: &grid, rect: grid.bounds)
        #expect(grid.text == "ld 世界")
        #expect(cursor == GridPosition(row: 0, col: 7))
        _ = field.handle(.ctrl("u"))
        #expect(field.text.isEmpty)
    }
}

struct ModalTests {
    @Test func centredBoxWithTitle() {
        var grid = ScreenGrid(width: 30, height: 9)
        grid.fill(grid.bounds, with: "·")
        let modal = Modal(title: "Pick a model", width: 20, height: 5)
        let content = modal.draw(into: &grid, screen: grid.bounds)
        grid.write("中文 content", row: content.row, col: content.col, clip: content)
        assertSnapshot(grid, named: "modal-centred")
        #expect(content == Rect(row: 3, col: 7, width: 16, height: 3))
    }

    @Test func shrinksToSmallScreens() {
        let modal = Modal(title: "A very long title indeed", width: 50, height: 20)
        #expect(
            modal.frame(in: Rect(row: 0, col: 0, width: 10, height: 4)) == Rect(row: 0, col: 0, width: 10, height: 4))
        var grid = ScreenGrid(width: 10, height: 4)
        modal.draw(into: &grid, screen: grid.bounds)
        #expect(grid.lines[0] == "┌ A ver… ┐")
        #expect(grid.lines[3] == "└────────┘")
    }
}
