import Chat

/// Turns a request's `messages` into a `Conversation`.
///
/// Leading system (or `developer`) messages become the conversation's system prompt, so the
/// context policy never drops them; `content` may be a string or an array of text parts (joined
/// as they are, which is what OpenAI does for text).
enum MessageParser {
    static func conversation(from messages: JSONValue?, parameters: SamplingParameters) throws(ServerError)
        -> Conversation
    {
        guard let messages else { throw .invalidRequest("messages is required", param: "messages") }
        guard case .array(let items) = messages else {
            throw .invalidRequest("messages must be an array, got \(messages.typeName)", param: "messages")
        }
        guard !items.isEmpty else { throw .invalidRequest("messages must not be empty", param: "messages") }
        var parsed: [ChatMessage] = []
        parsed.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            parsed.append(try message(item, at: "messages[\(index)]"))
        }
        var system: [String] = []
        while let first = parsed.first, first.role == .system {
            system.append(first.content)
            parsed.removeFirst()
        }
        guard !parsed.isEmpty else {
            throw .invalidRequest("messages must hold at least one user message", param: "messages")
        }
        return Conversation(
            systemPrompt: system.isEmpty ? nil : system.joined(separator: "\n\n"), messages: parsed,
            parameters: parameters)
    }

    static func message(_ item: JSONValue, at path: String) throws(ServerError) -> ChatMessage {
        guard case .object = item else {
            throw .invalidRequest("\(path) must be an object, got \(item.typeName)", param: path)
        }
        let fields = RequestFields(item, prefix: "\(path).")
        guard let roleValue = fields.present("role") else {
            throw .invalidRequest("\(path).role is required", param: "\(path).role")
        }
        guard case .string(let roleName) = roleValue else {
            throw .invalidRequest("\(path).role must be a string, got \(roleValue.typeName)", param: "\(path).role")
        }
        let role: Role
        switch roleName {
        case "system", "developer": role = .system
        case "user": role = .user
        case "assistant": role = .assistant
        case "tool", "function":
            throw .unsupported(
                "\(path).role '\(roleName)' is not supported: Parley has no tool calling", param: "\(path).role")
        default:
            throw .invalidRequest(
                "\(path).role must be system, developer, user or assistant, got '\(roleName)'",
                param: "\(path).role")
        }
        if let calls = fields.present("tool_calls"), !calls.isEmptyCollection {
            throw .unsupported(
                "\(path).tool_calls is not supported: Parley has no tool calling", param: "\(path).tool_calls")
        }
        let content = try text(of: fields.present("content"), at: "\(path).content", optional: role == .assistant)
        return ChatMessage(role: role, content: content)
    }

    /// A string, or the concatenated text of an array of `{"type": "text", "text": ...}` parts.
    static func text(of content: JSONValue?, at path: String, optional: Bool) throws(ServerError) -> String {
        switch content {
        case nil:
            if optional { return "" }
            throw .invalidRequest("\(path) is required", param: path)
        case .string(let text)?:
            return text
        case .array(let parts)?:
            var text = ""
            for (index, part) in parts.enumerated() {
                let partPath = "\(path)[\(index)]"
                guard case .object = part, case .string(let type)? = part["type"] else {
                    throw .invalidRequest("\(partPath) must be an object with a string 'type'", param: partPath)
                }
                switch type {
                case "text":
                    guard case .string(let piece)? = part["text"] else {
                        throw .invalidRequest("\(partPath).text must be a string", param: "\(partPath).text")
                    }
                    text += piece
                case "image_url", "input_image", "image":
                    throw .unsupported("\(partPath) is an image: Parley's models read text only", param: partPath)
                case "input_audio", "audio", "file":
                    throw .unsupported("\(partPath) is '\(type)': Parley's models read text only", param: partPath)
                default:
                    throw .invalidRequest(
                        "\(partPath).type '\(type)' is unknown; only 'text' parts are read", param: partPath)
                }
            }
            return text
        case let other?:
            throw .invalidRequest(
                "\(path) must be a string or an array of text parts, got \(other.typeName)", param: path)
        }
    }
}
