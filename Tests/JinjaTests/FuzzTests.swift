import Foundation
import Jinja
import Testing
import TestSupport

/// Hostile and random input: every template must end in output or a `JinjaError`, never a crash or hang.
@Suite("Fuzzing and resource limits")
struct FuzzTests {
    static let context: [String: Value] = {
        let json = #"""
            {"messages": [{"role": "system", "content": "sys"}, {"role": "user", "content": "hi 👋"},
                          {"role": "assistant", "content": "yo", "tool_calls": [{"function": {"name": "f", "arguments": {"a": 1}}}]}],
             "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
             "x": [1, 2, 3], "d": {"a": 1, "b": [true, null]}, "s": "text", "n": 5}
            """#
        guard case .object(let object)? = try? Value(json: json) else { return [:] }
        var context: [String: Value] = ["add_generation_prompt": .bool(true), "bos_token": .string("<s>")]
        for (key, value) in object.pairs { if case .string(let name) = key { context[name] = value } }
        return context
    }()

    /// Renders `source`; returns nil on success, or the error (which must be a `JinjaError`).
    @discardableResult
    static func attempt(_ source: String, limits: Limits = .standard) -> JinjaError? {
        do {
            _ = try Template(source, limits: limits).render(context, now: Date(timeIntervalSince1970: 0))
            return nil
        } catch let error as JinjaError {
            return error
        } catch {
            Issue.record("non-Jinja error \(error) for template \(source.prefix(200).debugDescription)")
            return nil
        }
    }

    static let vocabulary: [String] = [
        "{%", "%}", "{%-", "-%}", "{{", "}}", "{{-", "-}}", "{#", "#}", "{%+", " ", " ", " ", "\n", "\t",
        "if", "elif", "else", "endif", "for", "in", "endfor", "set", "endset", "macro", "endmacro", "call",
        "endcall", "filter", "endfilter", "with", "endwith", "raw", "endraw", "break", "continue", "generation",
        "endgeneration", "not", "and", "or", "is", "defined", "none", "true", "loop", "loop.index", "caller()",
        "x", "d", "s", "n", "messages", "m", "ns", "ns.v", "namespace(v=1)", "range(3)", "range(99999)",
        "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "=", "==", "!=", "<", ">", "+", "-", "*", "/", "//",
        "%", "**", "~", "'a'", "\"b\"", "'", "\"", "1", "0", "-1", "1.5", "1e9", "upper", "tojson", "join",
        "map", "select", "length", "first", "default", "items", "string", "int", "trim", "replace('a','b')",
        "raise_exception('boom')", "strftime_now('%Y')", "[0]", "[1:]", "[::-1]", ".get('a')", ".items()",
    ]

    @Test("random token soup never crashes")
    func tokenSoup() {
        var rng = SeededRandom(seed: 0x5EED_0001)
        var errors = 0
        for _ in 0..<1_500 {
            let count = Int.random(in: 1...30, using: &rng)
            let source = (0..<count).map { _ in Self.vocabulary.randomElement(using: &rng) ?? "" }.joined()
            if Self.attempt(source) != nil { errors += 1 }
        }
        #expect(errors > 0)  // most soups are invalid; the point is that none crashed
    }

    @Test("structured random templates never crash")
    func structuredSoup() {
        var rng = SeededRandom(seed: 0x5EED_0002)
        let heads = ["{% if x %}", "{% for m in messages %}", "{% set ns = namespace(v=0) %}{% for i in x %}",
                     "{% macro f(a, b=2) %}", "{% filter upper %}", "{% with q = 1 %}", "{% generation %}"]
        let tails = ["{% endif %}", "{% endfor %}", "{% endfor %}", "{% endmacro %}{{ f(1) }}", "{% endfilter %}",
                     "{% endwith %}", "{% endgeneration %}"]
        let bodies = ["{{ m.content|upper }}", "{{ loop.index ~ s }}", "{% set ns.v = ns.v + 1 %}", "{{ x|tojson }}",
                      "{{ d.b[0] }}", "{% if loop is defined and loop.last %}{% break %}{% endif %}", "{{ 1/0 }}",
                      "{{ missing.attr }}", "{{ (x|map('string'))|join(',') }}", "{{ caller() }}", "text\n"]
        for _ in 0..<600 {
            var source = ""
            var open: [Int] = []
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:
                    let k = Int.random(in: 0..<heads.count, using: &rng)
                    source += heads[k]
                    open.append(k)
                case 1:
                    if let k = open.popLast() { source += tails[k] }
                default:
                    source += bodies.randomElement(using: &rng) ?? ""
                }
            }
            if Bool.random(using: &rng) { while let k = open.popLast() { source += tails[k] } }
            Self.attempt(source)
        }
    }

    @Test("mutated real chat templates never crash")
    func mutatedTemplates() throws {
        var rng = SeededRandom(seed: 0x5EED_0003)
        let names = Fixtures.templateNames()
        try #require(!names.isEmpty)
        for name in names {
            let original = Array(try Fixtures.templateSource(name).unicodeScalars)
            for _ in 0..<4 {
                var scalars = original
                for _ in 0..<Int.random(in: 1...6, using: &rng) where !scalars.isEmpty {
                    let at = Int.random(in: 0..<scalars.count, using: &rng)
                    let length = min(Int.random(in: 1...40, using: &rng), scalars.count - at)
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: scalars.removeSubrange(at..<(at + length))
                    case 1: scalars.insert(contentsOf: scalars[at..<(at + length)], at: Int.random(in: 0...scalars.count, using: &rng))
                    case 2: scalars.insert(contentsOf: (Self.vocabulary.randomElement(using: &rng) ?? "").unicodeScalars, at: at)
                    default: scalars.swapAt(at, Int.random(in: 0..<scalars.count, using: &rng))
                    }
                }
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                Self.attempt(String(view))
            }
        }
    }
}
