import Foundation
import Jinja
import Testing

/// Each resource limit turns into a clear `JinjaError` instead of a crash, hang or huge allocation.
@Suite("Resource limits")
struct LimitTests {
    func error(_ source: String, limits: Limits = .standard) -> JinjaError? {
        FuzzTests.attempt(source, limits: limits)
    }

    func isLimit(_ error: JinjaError?) -> Bool {
        if case .limit? = error { return true }
        return false
    }

    @Test("10,000 nested if blocks fail with a nesting limit")
    func deepIfs() {
        let source =
            String(repeating: "{% if true %}", count: 10_000) + "x" + String(repeating: "{% endif %}", count: 10_000)
        #expect(isLimit(error(source)))
        let unclosed = String(repeating: "{% if true %}", count: 10_000)
        #expect(isLimit(error(unclosed)))
    }

    @Test("deeply nested expressions fail with a nesting limit")
    func deepExpressions() {
        #expect(
            isLimit(
                error(
                    "{{ " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + " }}")
            ))
        #expect(
            isLimit(
                error(
                    "{{ " + String(repeating: "[", count: 10_000) + "1" + String(repeating: "]", count: 10_000) + " }}")
            ))
        #expect(isLimit(error("{{ " + String(repeating: "-", count: 10_000) + "1 }}")))
        #expect(isLimit(error("{{ " + String(repeating: "not ", count: 10_000) + "1 }}")))
        #expect(isLimit(error("{{ 1" + String(repeating: " + 1", count: 10_000) + " }}")))
        #expect(isLimit(error("{{ x" + String(repeating: "|first", count: 10_000) + " }}")))
        #expect(isLimit(error("{{ d" + String(repeating: ".a", count: 10_000) + " }}")))
        #expect(isLimit(error("{{ 1" + String(repeating: " if 1 else 1", count: 10_000) + " }}")))
    }

    @Test("nesting below the limit still renders")
    func moderateNesting() throws {
        let ifs = String(repeating: "{% if true %}", count: 100) + "deep" + String(repeating: "{% endif %}", count: 100)
        #expect(try Template(ifs).render([:]) == "deep")
        let parens = "{{ " + String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100) + " }}"
        #expect(try Template(parens).render([:]) == "1")
        let sum = "{{ x" + String(repeating: " + 1", count: 250) + " }}"
        #expect(try Template(sum).render(["x": .int(0)]) == "250")
        let loops =
            String(repeating: "{% for i in [1] %}", count: 60) + "{{ loop.index }}"
            + String(repeating: "{% endfor %}", count: 60)
        #expect(try Template(loops).render([:]) == "1")
    }

    @Test("huge ranges are refused like jinja2's sandbox (MAX_RANGE)")
    func hugeRange() {
        let failure = error("{% for i in range(10**9) %}{{ i }}{% endfor %}")
        #expect(
            failure
                == .evaluation(
                    exception: "OverflowError",
                    message: "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."))
    }

    @Test("total loop iterations are limited")
    func loopIterations() {
        let nested = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
        #expect(isLimit(error(nested, limits: Limits(maxLoopIterations: 20_000))))
        #expect(
            isLimit(
                error(
                    "{% for i in range(3) %}{% for j in range(3) %}{% endfor %}{% endfor %}",
                    limits: Limits(maxLoopIterations: 5))))
    }

    @Test("the default loop limit is one million iterations")
    func defaultLoopLimit() {
        #expect(Limits.standard.maxLoopIterations == 1_000_000)
    }

    @Test("infinite macro recursion hits the call depth limit")
    func recursion() {
        #expect(isLimit(error("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")))
        #expect(isLimit(error("{% macro f() %}{% call f() %}{{ caller() }}{% endcall %}{% endmacro %}{{ f() }}")))
    }

    @Test("output and string sizes are limited")
    func outputSize() {
        #expect(isLimit(error("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}")))
        #expect(isLimit(error("{{ 'x' * 100000000 }}")))
        #expect(
            isLimit(
                error(
                    "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"))
        )
        #expect(isLimit(error("{{ 'ab'.replace('', 'x' * 1000000) * 100 }}")))
        #expect(isLimit(error("{{ [0] * 10**9 }}")))
        #expect(isLimit(error("{{ 'x'.center(10**12) }}")))
    }

    @Test("values cannot grow exponentially or endlessly deep")
    func valueGrowth() {
        #expect(
            isLimit(
                error(
                    "{% set ns = namespace(x=[1]) %}{% for i in range(100) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x }}"
                )))
        #expect(
            isLimit(
                error("{% set ns = namespace(x=1) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% endfor %}")))
        #expect(
            isLimit(
                error("{% set ns = namespace(x=[1]) %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}{% endfor %}")
            ))
    }

    @Test("integer overflow is an error, not a wrong number")
    func overflow() {
        #expect(
            error("{{ 2 ** 63 }}")
                == .evaluation(exception: "OverflowError", message: "integer result does not fit in 64 bits"))
        #expect(error("{{ 9223372036854775807 + 1 }}") != nil)
        #expect(error("{{ -9223372036854775807 - 2 }}") != nil)
    }

    @Test("huge slice steps and indexes do not trap")
    func extremeIndexes() throws {
        #expect(
            try Template("{{ x[::9223372036854775807] }}|{{ x[-9223372036854775807:] }}|{{ x[9223372036854775807] }}")
                .render(["x": .array([.int(1), .int(2)])]) == "[1]|[1, 2]|")
        #expect(try Template("{{ 'abc'[::-9223372036854775807] }}").render([:]) == "c")
    }
}
