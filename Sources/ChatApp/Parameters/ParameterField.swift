import Chat
import Foundation

/// One row of the parameter panel: how a `SamplingParameters` field is shown, stepped and typed.
///
/// Ranges and messages come from `SamplingParameters.validate`, the single source of truth for
/// what is allowed; this type only formats, parses and steps.
public enum ParameterField: String, CaseIterable, Hashable, Sendable {
    case temperature, topP, maxTokens, topK, minP, repeatPenalty, repeatLastN
    case presencePenalty, frequencyPenalty, seed, stop, logitBias
    case n, logprobs, topLogprobs

    public var label: String {
        switch self {
        case .temperature: return "temperature"
        case .topP: return "top_p"
        case .maxTokens: return "max_tokens"
        case .topK: return "top_k"
        case .minP: return "min_p"
        case .repeatPenalty: return "repeat_penalty"
        case .repeatLastN: return "repeat_last_n"
        case .presencePenalty: return "presence_penalty"
        case .frequencyPenalty: return "frequency_penalty"
        case .seed: return "seed"
        case .stop: return "stop"
        case .logitBias: return "logit_bias"
        case .n: return "n"
        case .logprobs: return "logprobs"
        case .topLogprobs: return "top_logprobs"
        }
    }

    /// The allowed range as shown beside the value.
    public func hint(contextLength: Int) -> String {
        switch self {
        case .temperature: return "0–2"
        case .topP, .minP: return "0–1"
        case .maxTokens: return "1–\(contextLength)"
        case .topK: return "0 = off"
        case .repeatPenalty: return "0–10, 1 = off"
        case .repeatLastN: return "-1 = all"
        case .presencePenalty, .frequencyPenalty: return "-2–2"
        case .seed: return "random or ≥ 0"
        case .stop: return "JSON list, ≤ 4"
        case .logitBias: return "ID=BIAS, …"
        case .n: return "1–\(SamplingParameters.maxChoices) answers"
        case .logprobs: return "on/off"
        case .topLogprobs: return "0–\(SamplingParameters.maxTopLogprobs)"
        }
    }

    /// The value as shown and as the starting text when typing.
    public func format(_ p: SamplingParameters) -> String {
        switch self {
        case .temperature: return Self.number(p.temperature)
        case .topP: return Self.number(p.topP)
        case .maxTokens: return String(p.maxTokens)
        case .topK: return String(p.topK)
        case .minP: return Self.number(p.minP)
        case .repeatPenalty: return Self.number(p.repeatPenalty)
        case .repeatLastN: return String(p.repeatLastN)
        case .presencePenalty: return Self.number(p.presencePenalty)
        case .frequencyPenalty: return Self.number(p.frequencyPenalty)
        case .seed: return p.seed.map(String.init) ?? "random"
        case .stop:
            guard !p.stop.isEmpty,
                let data = try? JSONSerialization.data(withJSONObject: p.stop, options: [.withoutEscapingSlashes])
            else { return "" }
            return String(decoding: data, as: UTF8.self)
        case .logitBias:
            return p.logitBias.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }
                .map { "\($0.key)=\(Self.number($0.value))" }.joined(separator: ", ")
        case .n: return String(p.n)
        case .logprobs: return p.logprobs ? "on" : "off"
        case .topLogprobs: return String(p.topLogprobs)
        }
    }

    /// Numbers without float noise: 0.9, not 0.9000000000000001.
    static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded() && abs(rounded) < 1e9 { return String(Int(rounded)) }
        return String(rounded)
    }

    /// A value for this field typed by the person, or a message saying what is wrong with it.
    /// The result still has to pass `SamplingParameters.validate`.
    public func parse(_ text: String, into p: SamplingParameters) -> Result<SamplingParameters, ParameterInputError> {
        var p = p
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func double() -> Double? { Double(trimmed).flatMap { $0.isFinite ? $0 : nil } }
        func fail(_ expected: String) -> Result<SamplingParameters, ParameterInputError> {
            .failure(ParameterInputError(message: "\(label): '\(trimmed)' is not \(expected)"))
        }
        switch self {
        case .temperature, .topP, .minP, .repeatPenalty, .presencePenalty, .frequencyPenalty:
            guard let value = double() else { return fail("a number") }
            setDouble(value, in: &p)
        case .maxTokens, .topK, .repeatLastN, .n, .topLogprobs:
            guard let value = Int(trimmed) else { return fail("a whole number") }
            setInt(value, in: &p)
        case .logprobs:
            switch trimmed.lowercased() {
            case "on", "true", "yes", "1": p.logprobs = true
            case "off", "false", "no", "0":
                p.logprobs = false
                p.topLogprobs = 0
            default: return fail("on or off")
            }
        case .seed:
            if trimmed.isEmpty || trimmed == "random" {
                p.seed = nil
            } else {
                guard let value = UInt64(trimmed) else { return fail("a whole number ≥ 0 (or empty for random)") }
                p.seed = value
            }
        case .stop:
            if trimmed.isEmpty {
                p.stop = []
            } else if trimmed.hasPrefix("[") {
                guard let data = trimmed.data(using: .utf8),
                    let list = (try? JSONSerialization.jsonObject(with: data)) as? [String]
                else { return fail("a JSON list of strings") }
                p.stop = list
            } else {
                p.stop = [trimmed]
            }
        case .logitBias:
            var bias: [String: Double] = [:]
            for entry in trimmed.split(separator: ",") {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let value = Double(parts[1]) else { return fail("a list of ID=BIAS") }
                bias[parts[0]] = value
            }
            p.logitBias = bias
        }
        return .success(p)
    }

    /// The value one step up (`direction` 1) or down (-1), clamped to the allowed range.
    /// Max tokens doubles and halves, within 16 and the context, as the hot keys do.
    public func step(_ p: SamplingParameters, direction: Int, contextLength: Int) -> SamplingParameters {
        var p = p
        let d = Double(direction)
        func clamp(_ value: Double, _ low: Double, _ high: Double) -> Double { min(max(value, low), high) }
        func tidy(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
        switch self {
        case .temperature: p.temperature = tidy(clamp(p.temperature + 0.1 * d, 0, 2))
        case .topP: p.topP = tidy(clamp(p.topP + 0.05 * d, 0, 1))
        case .minP: p.minP = tidy(clamp(p.minP + 0.01 * d, 0, 1))
        case .repeatPenalty: p.repeatPenalty = tidy(clamp(p.repeatPenalty + 0.05 * d, 0.05, 10))
        case .presencePenalty: p.presencePenalty = tidy(clamp(p.presencePenalty + 0.1 * d, -2, 2))
        case .frequencyPenalty: p.frequencyPenalty = tidy(clamp(p.frequencyPenalty + 0.1 * d, -2, 2))
        case .maxTokens: p.maxTokens = MaxTokens.step(p.maxTokens, up: direction > 0, contextLength: contextLength)
        case .topK: p.topK = max(0, p.topK + 5 * direction)
        case .repeatLastN: p.repeatLastN = min(max(-1, p.repeatLastN + 16 * direction), contextLength)
        case .seed:
            let current = p.seed ?? 0
            p.seed = direction > 0 ? current &+ 1 : (current == 0 ? nil : current - 1)
        case .n: p.n = min(max(1, p.n + direction), SamplingParameters.maxChoices)
        case .logprobs:
            // Either arrow toggles; top_logprobs needs logprobs, so it goes with it.
            p.logprobs.toggle()
            if !p.logprobs { p.topLogprobs = 0 }
        case .topLogprobs:
            p.topLogprobs = min(max(0, p.topLogprobs + direction), SamplingParameters.maxTopLogprobs)
            if p.topLogprobs > 0 { p.logprobs = true }
        case .stop, .logitBias: break
        }
        return p
    }

    func setDouble(_ value: Double, in p: inout SamplingParameters) {
        switch self {
        case .temperature: p.temperature = value
        case .topP: p.topP = value
        case .minP: p.minP = value
        case .repeatPenalty: p.repeatPenalty = value
        case .presencePenalty: p.presencePenalty = value
        case .frequencyPenalty: p.frequencyPenalty = value
        default: break
        }
    }

    func setInt(_ value: Int, in p: inout SamplingParameters) {
        switch self {
        case .maxTokens: p.maxTokens = value
        case .topK: p.topK = value
        case .repeatLastN: p.repeatLastN = value
        case .n: p.n = value
        case .topLogprobs:
            p.topLogprobs = value
            if value > 0 { p.logprobs = true }
        default: break
        }
    }
}

/// A typed parameter value that is not even the right kind of value.
public struct ParameterInputError: Error, Hashable, Sendable {
    public var message: String
}

/// The max-tokens hot keys: halve or double, within 16 and the context length.
enum MaxTokens {
    static let minimum = 16

    static func step(_ value: Int, up: Bool, contextLength: Int) -> Int {
        let upper = max(minimum, contextLength)
        let next = up ? value.multipliedReportingOverflow(by: 2).partialValue : value / 2
        return min(max(next, minimum), upper)
    }
}
