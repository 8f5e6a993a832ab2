import Foundation
import GGUF
import TestSupport
import Testing

@testable import Chat
@testable import LocalChat

/// Prompts rendered from the model's own template match what llama.cpp was given, and every
/// template failure falls back to something usable, with a notice.
struct PromptBuilderTests {
    struct GreedyCase: Decodable { var prompt: String }

    @Test(.requires(.smolLM2Q4_1)) func smolLM2TemplateReproducesTheReferencePrompts() throws {
        let model = TestPaths.model(TestModel.smolLM2Q4_1.fileName)
        let file = try GGUFFile(path: model.path)
        let builder = PromptBuilder(
            templateSource: file.metadata.string("tokenizer.chat_template"),
            bosToken: "<|im_start|>", eosToken: "<|im_end|>")
        let data = try Data(contentsOf: TestPaths.referenceFile("SmolLM2-135M-Instruct.Q4_1.greedy.json"))
        let cases = try JSONDecoder().decode([GreedyCase].self, from: data)
        #expect(!cases.isEmpty)
        for reference in cases {
            // Recover the user message from the reference prompt, then render it ourselves.
            let user = try #require(
                reference.prompt.components(separatedBy: "<|im_start|>user\n").last?
                    .components(separatedBy: "<|im_end|>").first)
            let system =
                reference.prompt.hasPrefix("<|im_start|>system\nYou are a helpful AI assistant named SmolLM")
                ? nil
                : reference.prompt.components(separatedBy: "<|im_start|>system\n").last?
                    .components(separatedBy: "<|im_end|>").first
            let conversation = Conversation(systemPrompt: system, messages: [.user(user)])
            let rendered = builder.render(conversation.templateMessages)
            #expect(rendered.text == reference.prompt)
            #expect(rendered.notices.isEmpty)
        }
    }

    @Test func noTemplateFallsBackToChatMLWithANotice() {
        let builder = PromptBuilder(templateSource: nil, bosToken: "<s>", eosToken: "</s>")
        let rendered = builder.render([.system("S"), .user("U")])
        #expect(
            rendered.text == "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n")
        #expect(rendered.notices == [PromptBuilder.noTemplateNotice + "; using ChatML"])
    }

    @Test func templateRejectingTheSystemRoleGetsItFolded() {
        // Gemma 2's template, which refuses system messages outright.
        let gemma = """
            {{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}\
            {% for message in messages %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}\
            {% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}\
            {% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}
            """
        let builder = PromptBuilder(templateSource: gemma, bosToken: "<bos>", eosToken: "<eos>")
        let rendered = builder.render([.system("Be terse."), .user("Hi")])
        #expect(rendered.text == "<bos><start_of_turn>user\nBe terse.\n\nHi<end_of_turn>\n<start_of_turn>model\n")
        #expect(rendered.notices.count == 1)
        #expect(rendered.notices.first?.contains("System role not supported") == true)
    }

    @Test func brokenTemplateFallsBackToChatML() {
        let builder = PromptBuilder(templateSource: "{% for m in messages %}{{ m.content }", bosToken: "", eosToken: "")
        let rendered = builder.render([.user("U")])
        #expect(rendered.text == "<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n")
        #expect(rendered.notices.first?.hasPrefix("the chat template does not parse") == true)
    }
}
