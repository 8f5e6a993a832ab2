import Foundation
import Jinja
import Testing

@Suite("ChatTemplate API")
struct ChatTemplateTests {
    static let source = """
        {{- bos_token }}{% if tools is defined %}[tools:{{ tools|length }}]{% endif %}
        {%- for m in messages %}<{{ m.role }}>{{ m.content }}{{ eos_token }}{% endfor %}
        {%- if add_generation_prompt %}<assistant>{% endif %}{{ extra_var|default('') }}{{ strftime_now('%Y-%m-%d') }}
        """

    static let messages: [Value] = [.object(OrderedObject([("role", .string("user")), ("content", .string("Hi"))]))]

    @Test("renders the HF variables; nil tools stay undefined")
    func variables() throws {
        let template = try ChatTemplate(source: Self.source)
        let now = Date(timeIntervalSince1970: 1_768_473_000)
        #expect(
            try template.render(
                messages: Self.messages, tools: nil, addGenerationPrompt: true, bosToken: "<s>",
                eosToken: "</s>", now: now, extra: [:]) == "<s><user>Hi</s><assistant>2026-01-15")
        #expect(
            try template.render(
                messages: Self.messages, tools: [], addGenerationPrompt: false, bosToken: "",
                eosToken: "", now: now, extra: ["extra_var": .string("!")]) == "[tools:0]<user>Hi!2026-01-15")
    }

    @Test("values can be written as Swift literals")
    func literals() throws {
        let value: Value = ["a": [1, 2.5, true, .none, "x"], "b": [:]]
        #expect(value == (try Value(json: #"{"a": [1, 2.5, true, null, "x"], "b": {}}"#)))
    }

    @Test("extra variables can override the standard ones")
    func overrides() throws {
        let template = try ChatTemplate(source: "{{ bos_token }}{{ enable_thinking }}")
        #expect(
            try template.render(
                messages: [], tools: nil, addGenerationPrompt: false, bosToken: "<s>", eosToken: "",
                now: nil, extra: ["bos_token": .string("B"), "enable_thinking": .bool(false)]) == "BFalse")
    }

    @Test("strftime_now defaults to the current UTC date")
    func currentDate() throws {
        let template = try ChatTemplate(source: "{{ strftime_now('%Y') }}")
        let year = Calendar(identifier: .gregorian).dateComponents(
            in: TimeZone(identifier: "UTC") ?? .current, from: Date()
        ).year
        #expect(
            try template.render(
                messages: [], tools: nil, addGenerationPrompt: false, bosToken: "", eosToken: "",
                now: nil, extra: [:]) == String(year ?? 0))
    }

    @Test("templates are values that render concurrently")
    func concurrent() async throws {
        let template = try ChatTemplate(source: "{% for m in messages %}{{ m.content }}{% endfor %}")
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try template.render(
                        messages: Self.messages, tools: nil, addGenerationPrompt: false, bosToken: "",
                        eosToken: "", now: nil, extra: [:])
                }
            }
            for try await output in group { #expect(output == "Hi") }
        }
    }
}
