import Chat
import Foundation

/// The JSON body of a streamed Chat Completion request for a conversation.
///
/// OpenAI's fields carry the parameters they name. The samplers only a local engine has go as
/// the extensions llama.cpp's server and vLLM accept (`top_k`, `min_p`, `repeat_penalty` /
/// `repetition_penalty`, `repeat_last_n`), always, so those servers sample exactly as the
/// local engine would instead of with their own defaults. A hosted API that refuses unknown
/// fields gets a plain OpenAI request when `extensions` is false (`--no-extensions`).
enum ChatRequestBody {
    static func make(_ conversation: Conversation, model: String, seed: UInt64, extensions: Bool = true) -> [String:
        Any]
    {
        let p = conversation.parameters
        var messages: [[String: Any]] = []
        if let system = conversation.systemPrompt, !system.isEmpty {
            messages.append(["role": "system", "content": system])
        }
        for message in conversation.messages {
            messages.append(["role": message.role.rawValue, "content": message.content])
        }
        var body = sampling(p, model: model, seed: seed, extensions: extensions)
        body["messages"] = messages
        if p.logprobs {
            body["logprobs"] = true
            if p.topLogprobs > 0 { body["top_logprobs"] = p.topLogprobs }
        }
        return body
    }

    static func encode(_ conversation: Conversation, model: String, seed: UInt64, extensions: Bool = true) -> Data {
        serialize(make(conversation, model: model, seed: seed, extensions: extensions))
    }

    /// The fields both Chat Completion and legacy Completion requests carry: the model, a stream
    /// with its usage, and the sampling parameters.
    static func sampling(_ p: SamplingParameters, model: String, seed: UInt64, extensions: Bool) -> [String: Any] {
        var body: [String: Any] = [
            "model": model,
            "stream": true,
            "stream_options": ["include_usage": true],
            "temperature": p.temperature,
            "top_p": p.topP,
            "max_tokens": p.maxTokens,
            "seed": seed,
            "n": p.n
        ]
        if !p.stop.isEmpty { body["stop"] = p.stop }
        if p.presencePenalty != 0 { body["presence_penalty"] = p.presencePenalty }
        if p.frequencyPenalty != 0 { body["frequency_penalty"] = p.frequencyPenalty }
        if !p.logitBias.isEmpty { body["logit_bias"] = p.logitBias }
        if extensions {
            body["top_k"] = p.topK
            body["min_p"] = p.minP
            body["repeat_penalty"] = p.repeatPenalty // llama.cpp
            body["repetition_penalty"] = p.repeatPenalty // vLLM
            body["repeat_last_n"] = p.repeatLastN
        }
        return body
    }

    /// Only strings, numbers, booleans, arrays and dictionaries: serialization cannot fail.
    static func serialize(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}

/// The JSON body of a streamed legacy Completion request (`POST /completions`): a text to
/// continue with no chat template, for base models (`parley run --raw --endpoint`). Its
/// `logprobs` is the number of alternatives per token, as that API counts them.
enum TextRequestBody {
    /// `prompt` is the text, or the token ids (`[Int]`) the server continues as they are.
    static func make(_ prompt: Any, parameters p: SamplingParameters, model: String, seed: UInt64, extensions: Bool)
        -> [String: Any]
    {
        var body = ChatRequestBody.sampling(p, model: model, seed: seed, extensions: extensions)
        body["prompt"] = prompt
        if p.logprobs { body["logprobs"] = p.topLogprobs }
        return body
    }

    static func encode(_ prompt: Any, parameters: SamplingParameters, model: String, seed: UInt64, extensions: Bool)
        -> Data
    {
        ChatRequestBody.serialize(
            make(prompt, parameters: parameters, model: model, seed: seed, extensions: extensions))
    }
}
