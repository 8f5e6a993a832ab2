import Foundation
import Jinja
import TestSupport
import Testing

/// Hostile and random input: every template must end in output or a `JinjaError`, never a crash or hang.
@Suite("Fuzzing and resource limits")
struct FuzzTests {
    static let contextJSON = #"""
        {"messages": [{"role": "system", "content": "sys"}, {"role": "user", "content": "hi 👋"},
                      {"role": "assistant", "content": "yo", "tool_calls": [{"function": {"name": "f", "arguments": {"a": 1}}}]}],
         "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
         "x": [1, 2, 3], "d": {"a": 1, "b": [true, null]}, "s": "text", "n": 5}
        """#

    /// The render context: `contextJSON`'s keys plus the HF globals. Throws (so the tests fail)
    /// when the JSON does not parse to an object, rather than fuzzing with an empty context.
    static func makeContext() throws -> [String: Value] {
        let parsed = try Value(json: contextJSON)
        guard case .object(let object) = parsed else {
            throw JinjaError.type(message: "the fuzz context must be a JSON object, got \(parsed)")
        }
        var context: [String: Value] = ["add_generation_prompt": .bool(true), "bos_token": .string("<s>")]
        for (key, value) in object.pairs { if case .string(let name) = key { context[name] = value } }
        return context
    }

    /// How one render ended (parsing and rendering throw only `JinjaError`, by their types).
    enum Outcome: Equatable {
        case rendered(String)
        case failed(JinjaError)
    }

    /// Renders `source` with `context`.
    static func attempt(_ source: String, _ context: [String: Value], limits: Limits = .standard) -> Outcome {
        do throws(JinjaError) {
            return .rendered(try Template(source, limits: limits).render(context, now: Date(timeIntervalSince1970: 0)))
        } catch {
            return .failed(error)
        }
    }

    /// The error of rendering `source` with the fuzz context, or nil when it rendered (for the
    /// limit suites, which look only at the error).
    @discardableResult
    static func attempt(_ source: String, limits: Limits = .standard) -> JinjaError? {
        let context: [String: Value]
        do { context = try makeContext() } catch {
            Issue.record("the fuzz context does not parse: \(error)")
            return nil
        }
        if case .failed(let error) = attempt(source, context, limits: limits) { return error }
        return nil
    }

    /// Renders `source` twice and checks the two outcomes agree (no state leaks between renders)
    /// and that a syntax error names a line of the source.
    static func check(_ source: String, _ context: [String: Value], tally: inout Tally) {
        let first = attempt(source, context)
        let second = attempt(source, context)
        #expect(first == second, "two renders of \(source.prefix(200).debugDescription) differ")
        switch first {
        case .rendered:
            tally.rendered += 1
        case .failed(let error):
            tally.failed += 1
            if case .syntax(_, let line) = error {
                tally.syntax += 1
                let lines = source.split(separator: "\n", omittingEmptySubsequences: false).count
                #expect(
                    (1...lines).contains(line), "syntax error on line \(line) of a \(lines)-line template: \(error)")
            }
        }
    }

    struct Tally {
        var rendered = 0
        var failed = 0
        var syntax = 0
    }

    @Test("the context parses to the documented keys")
    func contextIsReal() throws {
        let context = try Self.makeContext()
        #expect(Set(context.keys) == ["add_generation_prompt", "bos_token", "messages", "tools", "x", "d", "s", "n"])
        guard case .array(let messages)? = context["messages"] else {
            Issue.record("messages is not an array")
            return
        }
        #expect(messages.count == 3)
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
        "raise_exception('boom')", "strftime_now('%Y')", "[0]", "[1:]", "[::-1]", ".get('a')", ".items()"
    ]

    @Test("random token soup never crashes")
    func tokenSoup() throws {
        let context = try Self.makeContext()
        var rng = SeededRandom(seed: 0x5EED_0001)
        var tally = Tally()
        for _ in 0..<1_500 {
            let count = Int.random(in: 1...30, using: &rng)
            let source = (0..<count).map { _ in Self.vocabulary.randomElement(using: &rng) ?? "" }.joined()
            Self.check(source, context, tally: &tally)
        }
        // Most soups are invalid and fail to parse, but some render: both paths were exercised.
        #expect(tally.syntax > tally.rendered && tally.rendered > 0, "\(tally)")
    }

    @Test("structured random templates never crash")
    func structuredSoup() throws {
        let context = try Self.makeContext()
        var tally = Tally()
        var rng = SeededRandom(seed: 0x5EED_0002)
        let heads = [
            "{% if x %}", "{% for m in messages %}", "{% set ns = namespace(v=0) %}{% for i in x %}",
            "{% macro f(a, b=2) %}", "{% filter upper %}", "{% with q = 1 %}", "{% generation %}"
        ]
        let tails = [
            "{% endif %}", "{% endfor %}", "{% endfor %}", "{% endmacro %}{{ f(1) }}", "{% endfilter %}",
            "{% endwith %}", "{% endgeneration %}"
        ]
        let bodies = [
            "{{ m.content|upper }}", "{{ loop.index ~ s }}", "{% set ns.v = ns.v + 1 %}", "{{ x|tojson }}",
            "{{ d.b[0] }}", "{% if loop is defined and loop.last %}{% break %}{% endif %}", "{{ 1/0 }}",
            "{{ missing.attr }}", "{{ (x|map('string'))|join(',') }}", "{{ caller() }}", "text\n"
        ]
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
            Self.check(source, context, tally: &tally)
        }
        // Well-formed blocks mostly render; the bodies that divide by zero or call an undefined
        // `caller` make some fail at run time.
        #expect(tally.rendered > 0 && tally.failed > tally.syntax, "\(tally)")
    }

    @Test("mutated real chat templates never crash")
    func mutatedTemplates() throws {
        let context = try Self.makeContext()
        var tally = Tally()
        var originals = Tally()
        var rng = SeededRandom(seed: 0x5EED_0003)
        let names = Fixtures.templateNames()
        try #require(!names.isEmpty)
        for name in names {
            let source = try Fixtures.templateSource(name)
            Self.check(source, context, tally: &originals)
            let original = Array(source.unicodeScalars)
            for _ in 0..<4 {
                var scalars = original
                for _ in 0..<Int.random(in: 1...6, using: &rng) where !scalars.isEmpty {
                    let at = Int.random(in: 0..<scalars.count, using: &rng)
                    let length = min(Int.random(in: 1...40, using: &rng), scalars.count - at)
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: scalars.removeSubrange(at..<(at + length))
                    case 1:
                        scalars.insert(
                            contentsOf: scalars[at..<(at + length)], at: Int.random(in: 0...scalars.count, using: &rng))
                    case 2:
                        scalars.insert(
                            contentsOf: (Self.vocabulary.randomElement(using: &rng) ?? "").unicodeScalars, at: at)
                    default: scalars.swapAt(at, Int.random(in: 0..<scalars.count, using: &rng))
                    }
                }
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                Self.check(String(view), context, tally: &tally)
            }
        }
        // The real templates render this context (a few raise for it, e.g. on the tool call);
        // their mutations mostly still parse, and some do not.
        #expect(originals.syntax == 0 && originals.rendered > names.count / 2, "\(originals)")
        #expect(tally.syntax > 0 && tally.rendered > 0, "\(tally)")
    }
}
