import Jinja
import Testing

/// Readable examples of each feature; every expected string was produced by Python jinja2 with the
/// HF environment (the exhaustive comparison lives in the snippet golden file).
@Suite("Template features")
struct FeatureTests {
    static let messages: Value = [
        ["role": "system", "content": "S"],
        ["role": "user", "content": "hi"],
        ["role": "assistant", "content": "yo"],
        ["role": "user", "content": "bye"]
    ]

    func render(_ source: String) throws -> String {
        try Template(source).render(["messages": Self.messages])
    }

    @Test("whitespace control: -, trim_blocks and lstrip_blocks")
    func whitespace() throws {
        #expect(
            try render(
                "<|im_start|>\n{%- for m in messages %}\n  {%- if m.role == 'user' %}\n    {{- 'U: ' + m.content }}\n  {%- else %}\n    {{- 'A: ' + m.content }}\n  {%- endif %}\n{%- endfor %}\n"
            )
                == "<|im_start|>A: SU: hiA: yoU: bye")
        #expect(
            try render("{% for m in messages %}\n  <{{ m.role }}>\n{% endfor %}")
                == "  <system>\n  <user>\n  <assistant>\n  <user>\n")
        #expect(
            try render("{% for m in messages %}  {%+ if true %}[{{ loop.index }}]{% endif %}\n{% endfor %}")
                == "  [1]  [2]  [3]  [4]")
        #expect(try render("{# note #}\n{%- set x = 1 -%}\n  value: {{ x }}  \n") == "value: 1  ")
    }

    @Test("loop variables and tuple unpacking")
    func loops() throws {
        #expect(
            try render(
                "{% for a, b in [(1, 'x'), (2, 'y')] %}{{ loop.index0 }}{{ a }}{{ b }}{{ loop.revindex }}{% if loop.last %}!{% endif %}{% endfor %}"
            )
                == "01x212y1!")
        #expect(
            try render(
                "{% for m in messages %}{{ loop.previtem.role if loop.previtem is defined else '-' }}>{{ m.role }}<{{ loop.nextitem.role if loop.nextitem is defined else '-' }} {% endfor %}"
            )
                == "->system<user system>user<assistant user>assistant<user assistant>user<- ")
    }

    @Test("macros with defaults and call blocks")
    func macros() throws {
        #expect(
            try render(
                "{% macro tag(name, body='') -%}<{{ name }}>{{ body }}{{ caller() if caller is defined else '' }}</{{ name }}>{%- endmacro %}{{ tag('a', 'x') }}{% call tag('b') %}inner{% endcall %}"
            )
                == "<a>x</a><b>inner</b>")
    }

    @Test("namespace carries values out of loops")
    func namespaces() throws {
        #expect(
            try render(
                "{% set ns = namespace(last=-1, names=[]) %}{% for m in messages %}{% if m.role == 'user' %}{% set ns.last = loop.index0 %}{% endif %}{% set ns.names = ns.names + [m.role] %}{% endfor %}{{ ns.last }} {{ ns.names|join('/') }}"
            )
                == "3 system/user/assistant/user")
    }

    @Test("slicing, filters and tests")
    func expressions() throws {
        #expect(
            try render("{{ 'abcdef'[1:4] }} {{ 'abcdef'[::-2] }} {{ [1,2,3,4][-2:] }} {{ [1,2,3,4][3:0:-1] }}")
                == "bcd fdb [3, 4] [4, 3, 2]")
        #expect(
            try render(
                "{{ messages|selectattr('role', 'equalto', 'user')|map(attribute='content')|join(', ') }} {{ messages|length }} {{ (messages|last).content|upper }}"
            )
                == "hi, bye 4 BYE")
        #expect(
            try render(
                "{{ x is defined }} {{ messages is sequence }} {{ 'a' is string }} {{ 3 is odd }} {{ 10 is divisibleby 5 }} {{ none is none }}"
            )
                == "False True True True True True")
    }

    @Test("generation blocks render their body")
    func generation() throws {
        #expect(
            try render(
                "{% for m in messages if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% endfor %}"
            ) == "yo")
    }
}
