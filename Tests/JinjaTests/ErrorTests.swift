import Foundation
import Jinja
import Testing

@Suite("Errors")
struct ErrorTests {
    /// (template, expected line) pairs checked against jinja2's `TemplateSyntaxError.lineno`.
    static let syntaxErrors: [(String, Int)] = [
        ("line1\n{% if x %}\n{{ x + }}\n{% endif %}", 3),
        ("a\n\n{% for x in y %}\n{% endif %}", 4),
        ("{% if x %}\nx\n", 2),
        ("a\nb\n{{ x|nosuchfilter }}", 3),
        ("a\n{% unknown %}", 2),
        ("a\nb\n{{ 'unterminated }}", 3),
        ("{# never closed\n\n", 1)
    ]

    @Test("syntax errors carry jinja2's line numbers")
    func syntaxLines() {
        for (source, line) in Self.syntaxErrors {
            #expect(throws: JinjaError.self) { try Template(source) }
            do {
                _ = try Template(source)
            } catch let JinjaError.syntax(message, errorLine) {
                #expect(errorLine == line, "\(message) in \(source.debugDescription)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test("raise_exception surfaces the template's own message verbatim")
    func raised() throws {
        let template = try Template(
            "{% if messages[0].role != 'user' %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
        )
        let context: [String: Value] = ["messages": .array([.object(OrderedObject([("role", .string("system"))]))])]
        #expect(
            throws: JinjaError.raised(message: "Conversation roles must alternate user/assistant/user/assistant/...")
        ) {
            try template.render(context)
        }
    }

    @Test("undefined errors use jinja2's messages")
    func undefinedMessages() throws {
        #expect(throws: JinjaError.undefined(message: "'tools' is undefined")) {
            try Template("{{ tools.x }}").render([:])
        }
        let d: [String: Value] = ["d": .object(OrderedObject([("a", .int(1))]))]
        #expect(throws: JinjaError.undefined(message: "'dict object' has no attribute 'b'")) {
            try Template("{{ d.b.c }}").render(d)
        }
        #expect(throws: JinjaError.undefined(message: "list object has no element 3")) {
            try Template("{{ x[3].y }}").render(["x": .array([])])
        }
    }

    @Test("the sandbox refuses mutating methods")
    func sandbox() {
        #expect(throws: JinjaError.security(message: "access to attribute 'append' of 'list' object is unsafe.")) {
            try Template("{% set _ = x.append(1) %}").render(["x": .array([])])
        }
    }

    @Test("errors describe themselves")
    func descriptions() {
        #expect(JinjaError.syntax(message: "boom", line: 3).description == "template syntax error on line 3: boom")
        #expect(JinjaError.raised(message: "no").description == "template raised an exception: no")
        #expect(JinjaError.type(message: "bad").description == "TypeError: bad")
        #expect(JinjaError.undefined(message: "u").pythonExceptionName == "UndefinedError")
        #expect(JinjaError.limit(message: "x").localizedDescription == "template limit exceeded: x")
    }
}
