import Foundation
import Jinja

/// libFuzzer target: arbitrary bytes as a chat template, optionally followed by a JSON context.
///
/// The input is `TEMPLATE [NUL JSON]`: the template is lexed, parsed, constant-folded and
/// rendered with a Hugging Face style context (messages with a system prompt, a tool call and a
/// tool answer, tools, BOS/EOS, `add_generation_prompt`). When a NUL byte follows, the JSON after
/// it is parsed with `Value(json:)` (the parser `parley template --messages/--tools` uses) and,
/// when it is an array, replaces `messages`. Limits are on and smaller than the defaults, so
/// each input stays fast; a template that still runs for seconds is a finding (libFuzzer
/// `-timeout`), as is any crash, ASan report or error that is not a `JinjaError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJinja(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0) ?? size
    let source = String(decoding: bytes[..<split], as: UTF8.self)
    var context = standardContext
    if split < size {
        let json = String(decoding: bytes[(split + 1)...], as: UTF8.self)
        if case .array(let messages)? = try? Value(json: json) { context["messages"] = .array(messages) }
    }
    let template: Template
    do { template = try Template(source, limits: fuzzLimits) } catch { return expectJinjaError(error) }
    do { _ = try template.render(context, now: fixedDate) } catch { return expectJinjaError(error) }
    return 0
}

/// Limits well under the defaults: the same code paths, at a fraction of the cost per input.
let fuzzLimits = Limits(
    maxLoopIterations: 20_000, maxCallDepth: 50, maxParseDepth: 200, maxOutputBytes: 1 << 20,
    maxCollectionCount: 1 << 16, maxWork: 1 << 22, maxValueDepth: 100)

let fixedDate = Date(timeIntervalSince1970: 1_764_806_400)

let standardContext: [String: Value] = [
    "messages": [
        ["role": "system", "content": "You are helpful."],
        ["role": "user", "content": "What's the weather in Paris? <|im_end|> {{ x }}"],
        [
            "role": "assistant", "content": "",
            "tool_calls": [
                [
                    "id": "call_1", "type": "function",
                    "function": ["name": "get_weather", "arguments": ["city": "Paris", "days": 2]]
                ]
            ]
        ],
        ["role": "tool", "tool_call_id": "call_1", "content": "{\"temp\": 21.5}"],
        ["role": "assistant", "content": "It is 21.5 °C 🙂", "reasoning_content": "Look it up."],
        ["role": "user", "content": [["type": "text", "text": "Thanks"]]]
    ],
    "tools": [
        [
            "type": "function",
            "function": [
                "name": "get_weather", "description": "Weather by city",
                "parameters": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]
            ]
        ]
    ],
    "add_generation_prompt": true,
    "bos_token": "<s>",
    "eos_token": "</s>"
]

/// Every failure must be a `JinjaError` with a message: anything else escaping is a bug.
func expectJinjaError(_ error: any Error) -> CInt {
    guard let error = error as? JinjaError else { fatalError("non-Jinja error escaped: \(error)") }
    if error.message.isEmpty, error.pythonExceptionName != "TemplateError" {
        fatalError("\(error.pythonExceptionName) without a message")
    }
    return 0
}
